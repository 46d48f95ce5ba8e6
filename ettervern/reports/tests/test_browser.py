"""The coordinator, on a phone (390 px), opens last month's report from the menu, writes the
summary, and downloads the report as PDF and as Excel, waiting on the progress shown."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader


def _download(page, fmt: str, shared: bool = False) -> bytes:
    page.get_by_label("Format").select_option(fmt)
    box = page.get_by_label("Skal deles utenfor organisasjonen")
    box.check() if shared else box.uncheck()
    page.get_by_role("button", name="Lag filen").click()
    expect(page.get_by_text("Filen er klar.")).to_be_visible(timeout=20_000)
    with page.expect_download() as info:
        page.get_by_role("link", name="Last ned").click()
    content = open(info.value.path(), "rb").read()  # noqa: PTH123, SIM115
    page.get_by_role("link", name="Tilbake til rapporten").click()
    return content


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_downloads_the_months_report_on_a_phone(
    page, live_server, login, personas, tmp_path
):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, personas.coordinator)
    page.get_by_role("link", name="Rapporter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport: Likepersontjenesten")
    expect(page.get_by_role("heading", name="Kontakter og aktiviteter")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1

    page.get_by_label("Sammendrag til tilskuddsgiver").fill("To nye deltakere startet.")
    page.get_by_role("button", name="Lagre sammendraget").click()
    expect(page.get_by_text("Sammendraget er lagret.")).to_be_visible()
    page.screenshot(path=tmp_path / "report-390.png", full_page=True)

    pdf = _download(page, "pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "To nye deltakere startet." in text
    assert "Kontakter og aktiviteter" in text

    workbook = load_workbook(io.BytesIO(_download(page, "xlsx", shared=True)))
    cells = [c for row in workbook.active.iter_rows(values_only=True) for c in row if c]
    assert "Likepersontjenesten Bergen" in cells
    assert any("<5" in str(c) for c in cells)
