"""The coordinator moves in on a phone: downloads nothing, uploads a workbook, reads the dry
run, imports, and the pages pass axe."""

import pytest
from playwright.sync_api import expect

from ettervern.imports.tests import sheets
from ettervern.participants.models import Participant
from tests.test_accessibility import AXE, violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_imports_a_workbook_on_a_phone(browser, live_server, login, personas, tmp_path):
    rows, peers = sheets.people(participants=12, peers=3, matches=3)
    rows.append(sheets.participant_row(99, Kjønn="ukjent"))
    bad = tmp_path / "feil.xlsx"
    bad.write_bytes(sheets.xlsx(rows, peers))
    good = tmp_path / "flytting.xlsx"
    good.write_bytes(sheets.xlsx(rows[:-1], peers))
    context = browser.new_context(
        bypass_csp=True, locale="nb-NO", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    login(page, personas.coordinator)
    page.goto(f"{live_server.url}/import/")
    assert AXE and violations(page) == []

    page.get_by_label("Regneark (.xlsx eller .csv)").set_input_files(str(bad))
    page.get_by_role("button", name="Sjekk filen").click()
    expect(page.get_by_text("1 problem i filen")).to_be_visible()
    expect(page.get_by_text("Ukjent verdi «ukjent»")).to_be_visible()
    assert violations(page) == []

    page.get_by_label("Regneark (.xlsx eller .csv)").set_input_files(str(good))
    page.get_by_role("button", name="Sjekk filen").click()
    expect(page.get_by_text("Prøveimport: dette vil importen opprette")).to_be_visible()
    assert violations(page) == []
    before = Participant.objects.count()
    page.get_by_role("button", name="Importer").click()

    expect(page.get_by_text("Filen er importert.")).to_be_visible()
    assert Participant.objects.count() == before + 12
    assert violations(page) == []
    context.close()
