import pytest

from ettervern.audit.models import AuditEvent


def test_editing_details_is_audited_by_field_names_not_values(client, personas):
    client.force_login(personas.coordinator)
    url = f"/deltakere/{personas.participant.pk}/kontaktinfo/"
    response = client.post(url, {"phone": "98765432", "email": "", "address": "", "area": ""})
    assert response.status_code == 302
    personas.participant.refresh_from_db()
    assert personas.participant.phone == "98765432"
    event = AuditEvent.objects.get(
        action="update", participant=personas.participant, actor=personas.coordinator
    )
    assert event.data["fields"] == ["phone"]
    assert "98765432" not in str(event.data) + event.summary
    assert event.actor_role == "coordinator"
    assert event.request_id


def test_invalid_details_are_refused_in_norwegian_and_nothing_changes(client, personas):
    client.force_login(personas.coordinator)
    url = f"/deltakere/{personas.participant.pk}/kontaktinfo/"
    response = client.post(url, {"phone": "abc", "email": "not-an-email", "area": "mars"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Skriv inn et telefonnummer med 8 til 15 sifre." in body
    personas.participant.refresh_from_db()
    assert personas.participant.phone == "91234567"
    assert not AuditEvent.objects.filter(action="update", actor=personas.coordinator).exists()


def test_participant_login_cannot_edit_own_case_record(client, personas):
    client.force_login(personas.participant_user)
    url = f"/deltakere/{personas.participant.pk}/kontaktinfo/"
    assert client.post(url, {"phone": "98765432"}).status_code == 404


def test_audit_events_are_append_only(personas):
    event = AuditEvent.objects.create(action="read", object_type="x", object_id="1")
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_coordinator_sees_audit_log_of_own_programme_only(client, personas):
    client.force_login(personas.coordinator_b)
    client.get(f"/deltakere/{personas.participant_b.pk}/")
    client.force_login(personas.coordinator)
    client.get(f"/deltakere/{personas.participant.pk}/")
    response = client.get("/logg/")
    assert response.status_code == 200
    events = list(response.context["page"])
    assert events and all(e.programme_id == personas.programme_a.pk for e in events)


@pytest.mark.parametrize("persona", ["peer_user", "participant_user", "employer", "researcher"])
def test_only_coordinators_open_the_audit_log(client, personas, persona):
    client.force_login(personas.user(persona))
    assert client.get("/logg/").status_code == 404


def test_participant_sees_who_opened_their_record(client, personas):
    client.force_login(personas.peer_user)
    client.get(f"/deltakere/{personas.participant.pk}/")
    client.force_login(personas.coordinator)
    client.get(f"/deltakere/{personas.waiting.pk}/")  # someone else's record
    client.force_login(personas.participant_user)
    response = client.get("/logg/min-journal/")
    assert response.status_code == 200
    events = list(response.context["page"])
    assert [e.actor for e in events if e.action == "read"] == [personas.peer_user]
    body = response.content.decode()
    assert "Per Likeperson" in body and "Likeperson" in body and "Lest" in body


@pytest.mark.parametrize("persona", ["coordinator", "peer_user", "employer"])
def test_only_participants_open_their_own_access_log(client, personas, persona):
    client.force_login(personas.user(persona))
    assert client.get("/logg/min-journal/").status_code == 404


def test_a_role_refused_a_page_is_audited(client, personas):
    client.force_login(personas.peer_user)
    assert client.get("/logg/").status_code == 404
    event = AuditEvent.objects.get(action="denied", actor=personas.peer_user)
    assert event.object_type == "view"
    assert event.object_id == "audit:list"
    assert event.path == "/logg/"


def test_every_refused_page_is_audited_once(client, personas):
    from ettervern.audit.models import AuditEvent

    client.force_login(personas.peer_user)
    # A selector refusal (audited with the object) is not audited twice.
    client.get(f"/deltakere/{personas.waiting.pk}/")
    assert AuditEvent.objects.filter(action="denied").count() == 1
    # A guessed id of an object that does not exist is audited by the error page.
    client.get("/deltakere/999999/kontaktinfo/")
    client.get("/finnes-ikke/")
    paths = set(AuditEvent.objects.filter(action="denied").values_list("path", flat=True))
    assert {"/deltakere/999999/kontaktinfo/", "/finnes-ikke/"} <= paths
    assert AuditEvent.objects.filter(action="denied").count() == 3


def test_anonymous_404_is_not_audited(client, db):
    from ettervern.audit.models import AuditEvent

    client.get("/finnes-ikke/")
    assert not AuditEvent.objects.exists()
