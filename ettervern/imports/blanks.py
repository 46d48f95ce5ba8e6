"""The downloadable templates: an Excel workbook with a sheet per kind and a sheet of the
allowed values, and one CSV file per kind (UTF-8 with BOM and semicolons, as Norwegian Excel
reads and writes them)."""

import csv
import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font

from ettervern.imports import columns
from ettervern.imports.services import IGNORED_SHEETS
from ettervern.lib import labels

CODED = [
    ("Kjønn", labels.GENDER_LABELS),
    ("Status", columns.IMPORT_STATUSES),
    ("Egenerfaring", labels.LIVED_EXPERIENCE_LABELS),
    ("Rusmidler", labels.SUBSTANCE_LABELS),
    ("Behandlingsforløp", labels.TREATMENT_PATH_LABELS),
    ("Språk", labels.LANGUAGE_LABELS),
]
CODES_SHEET = "Koder"
assert CODES_SHEET.casefold() in IGNORED_SHEETS


def xlsx(areas: dict[str, str] | None = None) -> bytes:
    """The workbook; ``areas`` (code to name) are the organisation's areas in use."""
    book = Workbook()
    sheets = [
        (columns.PARTICIPANT_SHEET, columns.PARTICIPANT_COLUMNS),
        (columns.PEER_SHEET, columns.PEER_COLUMNS),
    ]
    for index, (name, specs) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = name
        sheet.append([c.header for c in specs])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for letter, spec in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", specs, strict=False):
            sheet.column_dimensions[letter].width = max(12, len(spec.header) + 4)
        sheet.freeze_panes = "A2"
    codes = book.create_sheet(CODES_SHEET)
    codes.append(["Kolonne", "Tillatte verdier (skriv teksten eller koden; flere med komma)"])
    codes.append(["Samtykke oppfølging", "ja, nei"])
    codes.append(["Datoer", "dd.mm.åååå, åååå-mm-dd eller Excel-dato"])
    with translation.override("nb"):
        for header, choices in [*CODED, (columns.AREA, areas or {})]:
            codes.append(
                [header, ", ".join(f"{label} ({code})" for code, label in choices.items())]
            )
    codes.column_dimensions["A"].width = 22
    codes.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_file(kind: str) -> bytes:
    specs = columns.PEER_COLUMNS if kind == "peer" else columns.PARTICIPANT_COLUMNS
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerow([c.header for c in specs])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
