"""In Chromium at phone width: the admin registers a research project and approves it; the
researcher logs in, sees the tables with hidden cells marked, and downloads an export."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from ettervern.audit.models import AuditEvent
from ettervern.research.tests.factories import consenting
from tests.test_accessibility import violations

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_researcher_sees_suppressed_tables_and_downloads_an_export(
    browser, live_server, login, personas
):
    consenting(personas.programme_a, 6, prefix="Samtykke", gender="female", birth_year=1988)
    consenting(personas.programme_a, 1, prefix="Eneste", gender="male", birth_year=1950)
    today = timezone.localdate()
    contexts = [
        browser.new_context(
            locale="nb-NO",
            timezone_id="Europe/Oslo",
            viewport=PHONE,
            accept_downloads=True,
            # Only to inject axe-core below; the pages are unchanged.
            bypass_csp=True,
        )
        for _ in range(2)
    ]
    try:
        admin, researcher = (context.new_page() for context in contexts)

        # The administrator registers the project and approves it.
        login(admin, personas.admin)
        admin.goto(f"{live_server.url}/admin-org/forskning/")
        admin.get_by_label("Tittel").fill("Ventetid og kontakt")
        admin.get_by_label("Formål").fill("Hvor lenge deltakere venter på en likeperson.")
        admin.get_by_label("Starter").fill((today - dt.timedelta(days=10)).isoformat())
        admin.get_by_label("Slutter").fill((today + dt.timedelta(days=300)).isoformat())
        admin.get_by_label(personas.programme_a.name).check()
        admin.get_by_label(f"{personas.researcher.name} ({personas.researcher.email})").check()
        admin.get_by_role("button", name="Registrer prosjektet").click()
        expect(
            admin.get_by_text("Forskningsprosjektet er registrert som foreslått.")
        ).to_be_visible()
        admin.get_by_label("Godkjenningsreferanse").fill("REK 777777")
        admin.get_by_role("button", name="Godkjenn", exact=True).click()
        expect(admin.get_by_text("Prosjektet er godkjent")).to_be_visible()

        # The researcher finds it from the home page.
        login(researcher, personas.researcher)
        expect(researcher.get_by_role("heading", name="Dine forskningsprosjekter")).to_be_visible()
        researcher.get_by_role("link", name="Ventetid og kontakt").click()
        expect(
            researcher.get_by_role("heading", name="Deltakere etter alder og kjønn")
        ).to_be_visible()
        age_table = researcher.locator('table[data-table="age_gender"]')
        # The one man is hidden, and so is what would give him away.
        expect(age_table.locator(".suppressed").first).to_be_visible()
        assert age_table.locator(".suppressed").count() >= 4
        expect(researcher.get_by_text("Deltakere i utvalget: 7")).to_be_visible()
        assert violations(researcher) == []
        body = researcher.content()
        assert "Eneste" not in body and "Samtykke" not in body

        # A filter down to the one man shows no number, with the reason.
        researcher.get_by_label("Henvist fra").fill((today - dt.timedelta(days=1)).isoformat())
        researcher.locator("#id_status").select_option("ended")
        researcher.get_by_role("button", name="Vis tabellene").click()
        expect(researcher.get_by_text("Færre enn 5 deltakere passer")).to_be_visible()
        researcher.get_by_role("link", name="Fjern filtrene").click()

        with researcher.expect_download() as download_info:
            researcher.get_by_role("link", name="Last ned Excel").click()
        download = download_info.value
        assert download.suggested_filename.endswith(".xlsx")
        with open(download.path(), "rb") as handle:
            book = load_workbook(io.BytesIO(handle.read()))
        rows = list(book["data"].iter_rows(values_only=True))
        assert len(rows) == 1 + 7
        assert "kodebok" in book.sheetnames
        assert AuditEvent.objects.filter(data__event="research_export_made").count() == 1
    finally:
        for context in contexts:
            context.close()
