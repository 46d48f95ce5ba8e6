"""Who may read a programme's report, and that every read, summary and download is audited."""

import pytest

from ettervern.audit.models import AuditEvent
from ettervern.reports.models import Export, Summary


def _url(personas, programme=None) -> str:
    return f"/rapporter/{(programme or personas.programme_a).pk}/?periode=2026-11"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["coordinator", "admin"])
def test_coordinator_and_org_admin_read_the_report_and_it_is_audited(client, clock, personas, name):
    client.force_login(personas.user(name))
    assert client.get(_url(personas)).status_code == 200
    row = AuditEvent.objects.filter(data__event="report_viewed").get()
    assert row.actor == personas.user(name)
    assert row.programme_id == personas.programme_a.pk
    assert row.data["period_start"] == "2026-11-01"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["peer_user", "participant_user", "researcher", "employer"])
def test_other_roles_get_404(client, clock, personas, name):
    client.force_login(personas.user(name))
    assert client.get(_url(personas)).status_code == 404


@pytest.mark.django_db
def test_another_organisations_programme_is_404(client, clock, personas):
    client.force_login(personas.coordinator_b)
    assert client.get(_url(personas)).status_code == 404
    assert client.post(f"/rapporter/{personas.programme_a.pk}/eksport/", {}).status_code == 404
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DENIED).exists()


@pytest.mark.django_db
def test_summary_is_saved_once_per_period_and_audited_without_its_text(client, clock, personas):
    client.force_login(personas.coordinator)
    url = f"/rapporter/{personas.programme_a.pk}/sammendrag/"
    for text in ("Rolig måned.", "Rolig måned med to nye."):
        response = client.post(url, {"periode": "2026-11", "text": text})
        assert response.status_code == 302
    summary = Summary.objects.get()
    assert summary.text == "Rolig måned med to nye."
    assert "Rolig måned med to nye." in client.get(_url(personas)).content.decode()
    rows = AuditEvent.objects.filter(data__event="report_summary_saved")
    assert rows.count() == 2
    assert all("Rolig" not in str(r.data) + r.summary for r in rows)


@pytest.mark.django_db
def test_an_export_is_only_its_requesters_and_its_download_is_audited(client, clock, personas):
    client.force_login(personas.coordinator)
    response = client.post(
        f"/rapporter/{personas.programme_a.pk}/eksport/",
        {"periode": "2026-11", "format": "xlsx"},
    )
    assert response.status_code == 302
    export = Export.objects.get()
    while export.status == Export.Status.WORKING:
        client.post(f"/rapporter/eksport/{export.pk}/steg/")
        export.refresh_from_db()
    assert export.status == Export.Status.DONE and export.percent == 100
    assert client.get(f"/rapporter/eksport/{export.pk}/fil/").status_code == 200
    row = AuditEvent.objects.filter(data__event="report_downloaded").get()
    assert row.data["format"] == "xlsx" and row.data["export_id"] == export.pk
    client.force_login(personas.coordinator_b)
    assert client.get(f"/rapporter/eksport/{export.pk}/fil/").status_code == 404
    client.force_login(personas.admin)
    assert client.get(f"/rapporter/eksport/{export.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_same_export_form_sent_twice_makes_one_export(client, clock, personas):
    client.force_login(personas.coordinator)
    data = {
        "periode": "2026-11",
        "format": "pdf",
        "submission_key": "5f1c2b8e-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
    }
    first = client.post(f"/rapporter/{personas.programme_a.pk}/eksport/", data)
    second = client.post(f"/rapporter/{personas.programme_a.pk}/eksport/", data)
    assert first["Location"] == second["Location"]
    assert Export.objects.count() == 1
