import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ettervern.audit.models import AuditEvent
from ettervern.offers.models import Offer, Sharing, Suggestion
from ettervern.offers.tests.factories import make_offer
from ettervern.web.tests.home import home_page

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 12, 4, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fixed_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_peer_searches_the_directory_live(client, personas, directory):
    make_offer(personas.org_a, "NA-møte Bergen", provider="Anonyme Narkomane", category="self_help")
    client.force_login(personas.peer_user)
    page = client.get("/tilbud/", {"q": "narkomane"}, headers={"HX-Request": "true"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "NA-møte Bergen" in text and "Gatejuristen" not in text
    assert "<html" not in text  # the results only, for htmx
    full = client.get("/tilbud/", {"category": "legal_debt"}).content.decode()
    assert "<html" in full and "Gatejuristen" in full and "NA-møte Bergen" not in full


def test_the_directory_flags_an_offer_not_checked_since_spring(client, personas):
    make_offer(personas.org_a, "NAV Bergenhus", provider="NAV", checked_on=dt.date(2026, 4, 20))
    make_offer(personas.org_a, "Fersk", checked_on=dt.date(2026, 11, 20))
    client.force_login(personas.coordinator)
    text = client.get("/tilbud/").content.decode()
    assert text.count("Ikke kontrollert siden") == 1
    assert "Ikke kontrollert siden 20.04.2026" in text
    stale = client.get("/tilbud/", {"stale": "on"}).content.decode()
    assert "NAV Bergenhus" in stale and "Fersk" not in stale
    home = home_page(client).content.decode()
    assert "1 tilbud er ikke kontrollert på seks måneder" in home


def test_the_directory_is_paginated(client, personas):
    for n in range(25):
        make_offer(personas.org_a, f"Tilbud {n:02d}")
    client.force_login(personas.peer_user)
    first = client.get("/tilbud/").content.decode()
    assert "Tilbud 19" in first and "Tilbud 20" not in first and "Side 1 av 2" in first
    second = client.get("/tilbud/", {"side": 2}).content.decode()
    assert "Tilbud 24" in second


def test_other_organisations_offer_is_a_404_until_shared_and_then_read_only(
    client, personas, directory
):
    client.force_login(personas.coordinator_b)
    url = f"/tilbud/{directory.offer.pk}/"
    assert client.get(url).status_code == 404
    Sharing.objects.create(organisation=personas.org_a, partner=personas.org_b)
    page = client.get(url)
    assert page.status_code == 200
    assert "Delt av Organisasjon A" in page.content.decode()
    assert "Bekreft at det stemmer" not in page.content.decode()
    assert client.get(f"{url}endre/").status_code == 404
    assert client.post(f"{url}bekreft/").status_code == 404
    directory.offer.refresh_from_db()
    assert directory.offer.checked_on == dt.date(2026, 9, 1)


def test_coordinator_adds_an_offer_and_one_without_provider_is_refused(client, personas):
    client.force_login(personas.coordinator)
    form = client.get("/tilbud/ny/").context["form"]
    data = {
        "name": "Gatejuristen",
        "provider": "",
        "category": "legal_debt",
        "area": "bergenhus",
        "submission_key": form["submission_key"].initial,
    }
    refused = client.post("/tilbud/ny/", data)
    assert refused.status_code == 400
    assert "Skriv hvem som tilbyr det" in refused.content.decode()
    assert not Offer.objects.exists()
    data["provider"] = "Kirkens Bymisjon"
    assert client.post("/tilbud/ny/", data).status_code == 302
    assert client.post("/tilbud/ny/", data).status_code == 302  # sent twice
    assert Offer.objects.count() == 1


def test_confirming_from_the_offer_page(client, personas):
    offer = make_offer(personas.org_a, checked_on=dt.date(2026, 3, 1))
    client.force_login(personas.admin)
    assert client.post(f"/tilbud/{offer.pk}/bekreft/").status_code == 302
    offer.refresh_from_db()
    assert offer.checked_on == dt.date(2026, 12, 4) and offer.checked_by == personas.admin


def test_participant_browses_the_directory_but_cannot_edit_or_suggest(client, personas, directory):
    client.force_login(personas.participant_user)
    assert "Gatejuristen" in client.get("/tilbud/").content.decode()
    page = client.get(f"/tilbud/{directory.offer.pk}/").content.decode()
    assert "Foreslå for" not in page and "Bekreft at det stemmer" not in page
    assert client.get("/tilbud/ny/").status_code == 404
    suggest = f"/tilbud/{directory.offer.pk}/foresla/{personas.participant.pk}/"
    assert client.post(suggest, {}).status_code == 404


def test_participant_sees_her_own_suggestions_and_nobody_elses(client, personas, directory):
    other = Suggestion.objects.create(
        organisation=personas.org_a,
        programme=personas.programme_a,
        participant=personas.waiting,
        offer=make_offer(personas.org_a, "Hemmelig forslag", category="family"),
        suggested_on=dt.date(2026, 11, 1),
    )
    client.force_login(personas.participant_user)
    own = client.get(f"/deltakere/{personas.participant.pk}/").content.decode()
    assert "Gatejuristen" in own
    assert "Hemmelig forslag" not in own
    assert client.get(f"/deltakere/{personas.waiting.pk}/").status_code == 404
    assert (
        client.post(f"/tilbud/forslag/{other.pk}/utfall/", {"outcome": "taken_up"}).status_code
        == 404
    )
    other.refresh_from_db()
    assert other.outcome == ""


def test_peer_suggests_from_the_participant_page_and_sets_the_outcome(client, personas, directory):
    Suggestion.objects.all().delete()
    client.force_login(personas.peer_user)
    page = client.get(f"/deltakere/{personas.participant.pk}/").content.decode()
    # Her goal is about debt: the street lawyer fits.
    assert "Tilbud som passer til målene og området hennes" in page and "Gatejuristen" in page
    url = f"/tilbud/{directory.offer.pk}/foresla/{personas.participant.pk}/"
    form = client.get(url).context["form"]
    assert form["goal"].initial == directory.goal.pk
    data = {"goal": directory.goal.pk, "submission_key": form["submission_key"].initial}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.goal == directory.goal and suggestion.suggested_by == personas.peer_user
    timeline = client.get(f"/deltakere/{personas.participant.pk}/").content.decode()
    assert "Tilbud foreslått: Gatejuristen" in timeline
    client.post(f"/tilbud/forslag/{suggestion.pk}/utfall/", {"outcome": "taken_up"})
    suggestion.refresh_from_db()
    assert suggestion.outcome == "taken_up"


def test_a_goal_of_another_participant_is_a_form_error(client, personas, directory):
    client.force_login(personas.coordinator)
    url = f"/tilbud/{directory.offer.pk}/foresla/{personas.waiting.pk}/"
    response = client.post(url, {"goal": directory.goal.pk})
    assert response.status_code == 400
    assert not Suggestion.objects.filter(participant=personas.waiting).exists()


def _sheet(rows) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(["Navn", "Tilbyder", "Kategori"])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("tilbud.xlsx", buffer.getvalue())


def test_import_page_refuses_broken_rows_and_imports_good_ones(client, personas):
    client.force_login(personas.coordinator)
    broken = client.post(
        "/tilbud/import/",
        {"file": _sheet([["AA-møte", "AA", "Selvhjelpsgrupper"], ["X", "", "Helse"]])},
    )
    assert broken.status_code == 400
    text = broken.content.decode()
    assert "Ingenting ble importert" in text and "Skriv hvem som tilbyr det" in text
    assert not Offer.objects.exists()
    checked = client.post(
        "/tilbud/import/",
        {"file": _sheet([["AA-møte", "AA", "Selvhjelpsgrupper"]]), "dry_run": "on"},
    )
    assert checked.status_code == 200 and not Offer.objects.exists()
    done = client.post(
        "/tilbud/import/", {"file": _sheet([["AA-møte", "AA", "Selvhjelpsgrupper"]])}
    )
    assert done.status_code == 200 and Offer.objects.get().name == "AA-møte"


def test_export_downloads_the_own_directory(client, personas, directory):
    client.force_login(personas.coordinator)
    response = client.get("/tilbud/eksport/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="tilbud-org-a-')
    assert AuditEvent.objects.filter(data__event="offers_exported").exists()
    client.force_login(personas.peer_user)
    assert client.get("/tilbud/eksport/").status_code == 404


def test_org_admin_shares_the_directory_by_the_partners_code(client, personas, directory):
    client.force_login(personas.admin)
    assert client.post("/tilbud/deling/", {"partner_code": "finnes-ikke"}).status_code == 400
    assert client.post("/tilbud/deling/", {"partner_code": "org-b"}).status_code == 302
    assert Sharing.objects.filter(organisation=personas.org_a, partner=personas.org_b).exists()
    client.force_login(personas.coordinator)
    assert client.get("/tilbud/deling/").status_code == 404


def test_directory_query_count_does_not_grow(client, personas, django_assert_max_num_queries):
    client.force_login(personas.peer_user)
    client.get("/tilbud/")  # warm up per-session queries
    make_offer(personas.org_a, "Første", area="bergenhus")
    with django_assert_max_num_queries(10):
        assert client.get("/tilbud/").status_code == 200
    for n in range(30):
        make_offer(personas.org_a, f"Ekstra {n:02d}", area="fana" if n % 2 else "")
    with django_assert_max_num_queries(10):
        assert "Ekstra 00" in client.get("/tilbud/").content.decode()


def test_an_offer_taken_out_of_the_directory_stays_open_to_its_editors(client, personas):
    offer = make_offer(personas.org_a, is_active=False)
    client.force_login(personas.coordinator)
    assert client.get(f"/tilbud/{offer.pk}/").status_code == 200
    assert "Gatejuristen" not in client.get("/tilbud/").content.decode()
    client.force_login(personas.peer_user)
    assert client.get(f"/tilbud/{offer.pk}/").status_code == 404
