import datetime as dt
import io

import pytest
import time_machine
from openpyxl import Workbook, load_workbook

from ettervern.audit.models import AuditEvent
from ettervern.offers import sheets
from ettervern.offers.models import Offer
from ettervern.offers.tests.factories import make_offer

pytestmark = pytest.mark.django_db

HEADERS = ["Navn", "Tilbyder", "Kategori", "Område", "Åpningstider", "Sist kontrollert"]
TODAY = dt.datetime(2026, 12, 4, 12, tzinfo=dt.UTC)


def _xlsx(rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tilbud"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _import(personas, content, *, dry_run=False, name="tilbud.xlsx"):
    with time_machine.travel(TODAY, tick=False):
        return sheets.directory_import(
            actor=personas.coordinator,
            organisation=personas.org_a,
            name=name,
            content=content,
            dry_run=dry_run,
        )


GOOD = [
    ["Gatejuristen", "Kirkens Bymisjon", "Gjeld og juridisk hjelp", "", "Tirsdager", "01.10.2026"],
    ["NA-møte", "Anonyme Narkomane", "self_help", "Bergenhus", "Mandager kl. 19", None],
    ["NAV Årstad", "NAV", "Arbeid og utdanning", "arstad", "", dt.date(2026, 3, 1)],
]


def test_a_good_sheet_is_dry_run_then_imported_in_one_go(personas):
    outcome = _import(personas, _xlsx(GOOD), dry_run=True)
    assert outcome.ok and (outcome.rows, outcome.created) == (3, 3)
    assert not Offer.objects.exists()

    outcome = _import(personas, _xlsx(GOOD))
    assert outcome.written and outcome.created == 3
    offers = {o.name: o for o in Offer.objects.filter(organisation=personas.org_a)}
    assert offers["Gatejuristen"].category == "legal_debt"
    assert offers["Gatejuristen"].checked_on == dt.date(2026, 10, 1)
    assert offers["NA-møte"].area == "bergenhus"
    assert offers["NA-møte"].checked_on == dt.date(2026, 12, 4)  # no date: checked now
    assert offers["NAV Årstad"].area == "arstad"
    assert AuditEvent.objects.filter(data__event="offer_created", data__imported=True).count() == 3
    assert AuditEvent.objects.get(data__event="offers_imported").data["created"] == 3

    # The same file again changes nothing (a double submit adds no copies).
    again = _import(personas, _xlsx(GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Offer.objects.count() == 3


def test_a_sheet_with_broken_rows_is_refused_row_by_row_and_nothing_is_written(personas):
    existing = make_offer(personas.org_a, "Fontenehuset", provider="Fontenehuset Bergen")
    rows = [
        GOOD[0],
        ["NA-møte", None, "Selvhjelpsgrupper", "", "", None],  # no provider
        ["Kafé", "Bymisjonen", "Cafe", "", "", None],  # unknown category
        ["Bolig", "Kommunen", "Bolig", "Grorud", "", None],  # an area of another city
        ["Fontenehuset", "Fontenehuset Bergen", "Fritid", "", "", "31.02.2026"],  # no such date
        ["Framtid", "NAV", "Helse", "", "", "01.01.2030"],  # in the future
        GOOD[0],  # the same offer twice
    ]
    outcome = _import(personas, _xlsx(rows))
    assert not outcome.ok and not outcome.written
    by_row = {(p.row, p.column) for p in outcome.problems}
    assert by_row == {
        (3, "Tilbyder"),
        (4, "Kategori"),
        (5, "Område"),
        (6, "Sist kontrollert"),
        (7, "Sist kontrollert"),
        (8, "Navn"),
    }
    messages = " ".join(p.message for p in outcome.problems)
    assert "Ukjent kategori «Cafe»" in messages or "Ukjent kategori “Cafe”" in messages
    assert Offer.objects.filter(organisation=personas.org_a).get() == existing
    assert not AuditEvent.objects.filter(data__event__in=["offer_created", "offers_imported"])


def test_unknown_and_missing_columns_and_a_broken_file_are_refused(personas):
    outcome = _import(personas, _xlsx([["x", "y"]], headers=["Navn", "Farge"]))
    assert {(p.column, p.row) for p in outcome.problems} == {
        ("Farge", 1),
        ("Tilbyder", 1),
        ("Kategori", 1),
    }
    outcome = _import(personas, b"PK\x03\x04 not really a workbook")
    assert not outcome.ok and outcome.problems[0].row is None
    outcome = _import(personas, b"", name="tom.csv")
    assert not outcome.ok
    assert not Offer.objects.exists()


def test_an_id_from_another_organisation_is_unknown(personas):
    other = make_offer(personas.org_b, "Hemmelig")
    outcome = _import(
        personas,
        _xlsx([[other.pk, "Kapret", "X", "Helse"]], headers=["ID", "Navn", "Tilbyder", "Kategori"]),
    )
    assert [p.column for p in outcome.problems] == ["ID"]
    other.refresh_from_db()
    assert other.name == "Hemmelig"


def test_export_imports_back_unchanged_and_changes_by_id(personas):
    make_offer(personas.org_a, "Gatejuristen", area="bergenhus", price="Gratis")
    make_offer(personas.org_a, "NA-møte", provider="NA", category="self_help")
    make_offer(personas.org_b, "Ikke vår")
    with time_machine.travel(TODAY, tick=False):
        content = sheets.export_xlsx(actor=personas.coordinator, organisation=personas.org_a)
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("ID", "Navn", "Tilbyder", "Kategori")
    assert [r[1] for r in rows[1:]] == ["Gatejuristen", "NA-møte"]
    assert rows[1][3] == "Gjeld og juridisk hjelp" and rows[1][5] == "Bergenhus"

    outcome = _import(personas, content)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 2)

    sheet.cell(row=2, column=2).value = "Gatejuristen Bergen"
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    outcome = _import(personas, buffer.getvalue())
    assert (outcome.created, outcome.updated) == (0, 1)
    assert Offer.objects.filter(organisation=personas.org_a, name="Gatejuristen Bergen").exists()
    assert Offer.objects.filter(organisation=personas.org_a).count() == 2


def test_a_csv_file_imports_too(personas):
    content = "Navn;Tilbyder;Kategori\nAA-møte;Anonyme Alkoholikere;Selvhjelpsgrupper\n"
    outcome = _import(personas, content.encode(), name="tilbud.csv")
    assert outcome.written and outcome.created == 1
