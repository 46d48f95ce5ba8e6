"""The request id ties audit rows to one request, so it must never come from the client."""

from ettervern.audit.models import AuditEvent


def test_three_refused_urls_with_the_same_header_give_three_audit_rows(client, personas):
    client.force_login(personas.other_peer_user)
    header = {"HTTP_X_REQUEST_ID": "same-id-from-the-client-0001"}
    for path in ("/finnes-ikke/", "/logg/", "/matching/plan/"):
        assert client.get(path, **header).status_code == 404
    refused = AuditEvent.objects.filter(action="denied", actor=personas.other_peer_user)
    assert refused.count() == 3
    assert len(set(refused.values_list("request_id", flat=True))) == 3


def test_the_request_id_is_made_by_the_server_not_taken_from_the_header(client, personas):
    client.force_login(personas.coordinator)
    response = client.get("/", HTTP_X_REQUEST_ID="chosen-by-the-client-0001")
    assert response["X-Request-ID"] != "chosen-by-the-client-0001"
    assert len(response["X-Request-ID"]) == 32


def test_a_refused_object_and_its_404_page_are_one_audit_row(client, personas):
    client.force_login(personas.other_peer_user)
    assert client.get(f"/deltakere/{personas.participant.pk}/").status_code == 404
    refused = AuditEvent.objects.filter(action="denied", actor=personas.other_peer_user)
    assert [e.object_type for e in refused] == ["participants.participant"]
