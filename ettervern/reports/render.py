"""One report, three copies: the page, the PDF (WeasyPrint) and the Excel workbook render the
same plain data (``selectors.build_report``), so they cannot disagree."""

import io
import logging

from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Counts below this are hidden in copies that leave the organisation.
SMALL = 5
HIDDEN = "<5"


def hidden(cell: dict, shared: bool) -> bool:
    """Counts of 1-4, and figures computed from 1-4 people (``of``), in a shared copy."""
    if not shared:
        return False
    if cell["k"] == "count":
        return 0 < cell["v"] < SMALL
    return 0 < cell.get("of", SMALL) < SMALL


def _decimal(value: float) -> str:
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",")


def display(cell: dict, shared: bool = False) -> str:
    """A cell as the page and the PDF show it."""
    kind, value = cell["k"], cell["v"]
    if value is None:
        return "–"
    if hidden(cell, shared):
        return HIDDEN
    if kind == "count":
        return str(value)
    if kind == "percent":
        return f"{value} %"
    return _decimal(value)


def excel_value(cell: dict, shared: bool = False):
    """A cell as the workbook stores it: numbers stay numbers, hidden counts are "<5"."""
    if cell["v"] is None:
        return "–"
    if hidden(cell, shared):
        return HIDDEN
    return cell["v"]


def shown(report: dict, shared: bool) -> dict:
    """The report with every cell's text for templates (``row["texts"]``), and its charts."""
    sections = []
    for section in report["sections"]:
        tables = []
        for t in section["tables"]:
            rows = []
            for r in t["rows"]:
                texts = [display(c, shared) for c in r["cells"]]
                rows.append(
                    {**r, "texts": texts, "pairs": list(zip(t["columns"], texts, strict=True))}
                )
            tables.append({**t, "rows": rows, "svg": bar_chart(t, shared) if t["chart"] else ""})
        sections.append({**section, "tables": tables})
    return {**report, "sections": sections, "shared": shared}


# --- charts: SVG drawn on the server (no script runs in a PDF) --------------------------------

BAR_COLOUR = "#1f5f8b"
ROW = 34


def bar_chart(table: dict, shared: bool = False) -> SafeString:
    """Horizontal bars of the table's first column, one per row that is not zero (totals left
    out), each with its label above and its figure beside it: readable at 390 px. The table
    beside the chart is its text alternative; the SVG carries its own description too."""
    items = [
        (r["label"], r["cells"][0]) for r in table["rows"] if not r["total"] and r["cells"][0]["v"]
    ]
    if not items:
        return mark_safe("")  # noqa: S308 (a constant)
    top = max(0 if hidden(c, shared) else c["v"] for _l, c in items) or 1
    width, bar_max = 320, 250
    parts = []
    for i, (label, cell) in enumerate(items):
        y = i * ROW
        value = 0 if hidden(cell, shared) else cell["v"]
        length = max(1, round(bar_max * value / top)) if value else 0
        parts.append(
            format_html(
                '<text x="0" y="{}" font-size="12" fill="#222">{}</text>'
                '<rect x="0" y="{}" width="{}" height="14" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="12" fill="#222">{}</text>',
                y + 12,
                label,
                y + 16,
                length,
                BAR_COLOUR,
                length + 4,
                y + 28,
                display(cell, shared),
            )
        )
    desc = "; ".join(f"{label}: {display(cell, shared)}" for label, cell in items)
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" font-family="sans-serif" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title><desc>{}</desc>{}</svg>',
        width,
        len(items) * ROW + 4,
        _("Chart: %(title)s") % {"title": table["title"]},
        desc,
        mark_safe("".join(parts)),  # noqa: S308 (each part escaped by format_html)
    )


# --- files -----------------------------------------------------------------------------------


def html(report: dict, shared: bool) -> str:
    return render_to_string("reports/report_print.html", {"report": shown(report, shared)})


def pdf(report: dict, shared: bool) -> bytes:
    # Imported here: WeasyPrint loads Pango through cffi, which only the PDF needs.
    import weasyprint  # noqa: PLC0415

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

    return weasyprint.HTML(string=html(report, shared)).write_pdf()


def xlsx(report: dict, shared: bool) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    book = Workbook()
    sheet = book.active
    sheet.title = _("Report")[:31]
    bold = Font(bold=True)
    sheet.append([report["programme"]])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Period"), report["label"], report["start"], report["end"]])
    if shared:
        sheet.append([_("Counts below 5 are shown as <5: this copy may be shared.")])
    if report["no_data"]:
        sheet.append([report["no_data"]])
    if report["summary"]:
        sheet.append([_("Summary"), report["summary"]])
    for section in report["sections"]:
        sheet.append([])
        sheet.append([section["title"]])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        for t in section["tables"]:
            sheet.append([t["title"], *t["columns"]])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for r in t["rows"]:
                sheet.append([r["label"], *(excel_value(c, shared) for c in r["cells"])])
                for cell, source in zip(sheet[sheet.max_row][1:], r["cells"], strict=False):
                    if source["k"] == "percent" and isinstance(cell.value, int):
                        cell.number_format = '0" %"'
    sheet.column_dimensions["A"].width = 48
    for column in "BCD":
        sheet.column_dimensions[column].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


RENDERERS = {"pdf": pdf, "xlsx": xlsx}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def file(report: dict, format: str, shared: bool) -> bytes:
    return RENDERERS[format](report, shared)
