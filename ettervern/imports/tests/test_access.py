"""Coordinators only, their own programmes only; everyone else gets 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ettervern.imports.models import ImportUpload
from ettervern.imports.tests import sheets
from ettervern.participants.models import Participant
from ettervern.web.tests.home import home_page

PAGES = [
    "/import/",
    "/import/mal.xlsx",
    "/import/mal-deltakere.csv",
    "/import/mal-likepersoner.csv",
]


@pytest.mark.parametrize("persona", ["peer_user", "participant_user", "employer", "admin"])
def test_only_coordinators_reach_the_import_pages(client, personas, persona):
    client.force_login(getattr(personas, persona))
    for url in PAGES:
        assert client.get(url).status_code == 404, url


def test_the_templates_download_with_norwegian_headers(client, personas):
    client.force_login(personas.coordinator)
    xlsx = client.get("/import/mal.xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    peer_csv = client.get("/import/mal-likepersoner.csv").content.decode("utf-8-sig")
    assert peer_csv.startswith("Ekstern ID;Navn;E-post;Kjønn;Fødselsår;Kurs fullført")
    assert "Samtykke oppfølging" in client.get("/import/mal-deltakere.csv").content.decode()


def test_the_downloaded_template_reads_back_as_an_empty_import(client, personas, upload):
    client.force_login(personas.coordinator)
    response = upload(client.get("/import/mal.xlsx").content)
    assert response.status_code == 400
    assert [p.message for p in response.context["outcome"].problems] == [
        "Filen har ingen rader å importere."
    ]


def test_another_organisations_upload_is_a_404_and_cannot_be_imported(client, personas):
    client.force_login(personas.coordinator_b)
    client.post(
        "/import/",
        {
            "programme": personas.programme_b.pk,
            "file": SimpleUploadedFile(
                "b.xlsx", sheets.xlsx([sheets.participant_row(1, Bydel="Grünerløkka")])
            ),
        },
    )
    theirs = ImportUpload.objects.get()
    client.force_login(personas.coordinator)
    before = Participant.objects.count()

    assert client.get(f"/import/{theirs.pk}/").status_code == 404
    assert client.post(f"/import/{theirs.pk}/").status_code == 404
    assert Participant.objects.count() == before


def test_a_coordinator_cannot_import_into_another_organisations_programme(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(
        "/import/",
        {
            "programme": personas.programme_b.pk,
            "file": SimpleUploadedFile("x.xlsx", sheets.xlsx([sheets.participant_row(1)])),
        },
    )
    assert response.status_code == 400
    assert not ImportUpload.objects.exists()


def test_the_coordinator_sees_import_in_the_navigation(client, personas):
    client.force_login(personas.coordinator)
    assert 'href="/import/"' in home_page(client).content.decode()
    client.force_login(personas.peer_user)
    assert 'href="/import/"' not in home_page(client).content.decode()
