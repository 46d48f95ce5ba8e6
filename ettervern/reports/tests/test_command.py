"""The console command writes the same workbook and PDF as the download, for cron."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from ettervern.audit.models import AuditEvent
from ettervern.reports import periods, render
from ettervern.reports.selectors import build_report


@pytest.mark.django_db
def test_the_command_writes_the_reports_numbers(november, tmp_path):
    programme = november.programme
    out = tmp_path / "rapport.xlsx"
    call_command(
        "report", programme=str(programme.pk), period="2026-11", format="xlsx", out=str(out)
    )
    report = build_report(programme=programme, period=periods.parse("2026-11"))
    rows = [list(r) for r in load_workbook(out).active.iter_rows(values_only=True)]
    for section in report["sections"]:
        for t in section["tables"]:
            for r in t["rows"]:
                expected = [r["label"], *(render.excel_value(c) for c in r["cells"])]
                assert expected in [row[: len(expected)] for row in rows], r["label"]
    pdf = tmp_path / "rapport.pdf"
    call_command("report", programme=programme.slug, period="2026-K4", format="pdf", out=str(pdf))
    text = PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    assert "4. kvartal 2026" in text
    assert AuditEvent.objects.filter(data__event="report_downloaded").count() == 2


@pytest.mark.django_db
def test_the_command_refuses_a_reversed_period(clock, personas, tmp_path):
    with pytest.raises(CommandError, match="Perioden slutter før den begynner"):
        call_command(
            "report",
            programme=str(personas.programme_a.pk),
            period="2026-11-30..2026-11-01",
            out=str(tmp_path / "x.pdf"),
        )
