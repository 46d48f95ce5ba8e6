"""Interest tags in use, and merging spellings across one organisation only."""

from conftest import make_participant
from ettervern.audit.models import AuditEvent
from ettervern.participants.models import Participant
from ettervern.peers.models import PeerWorker


def _tags(personas):
    Participant.objects.filter(pk=personas.participant.pk).update(interests=["Fjelltur", "fiske"])
    Participant.objects.filter(pk=personas.waiting.pk).update(interests=["fjelltur "])
    PeerWorker.objects.filter(pk=personas.peer.pk).update(interests=["fjelltur", "fiske"])
    other = make_participant(personas.programme_b, "Berit B", interests=["Fjelltur"])
    return other


def test_admin_sees_the_tags_in_use_with_counts_and_other_spellings(client, personas):
    _tags(personas)
    client.force_login(personas.admin)
    response = client.get("/admin-org/interesser/")
    tags = {t.tag: t for t in response.context["tags"]}
    assert set(tags) >= {"Fjelltur", "fjelltur ", "fjelltur", "fiske"}
    assert (tags["fiske"].participants, tags["fiske"].peers) == (1, 2)  # other_peer has fiske
    assert tags["Fjelltur"].participants == 1  # organisation B's participant not counted
    assert set(tags["Fjelltur"].same_as) == {"fjelltur ", "fjelltur"}
    assert "Andre skrivemåter" in response.content.decode()


def test_merging_changes_this_organisation_only_in_one_audited_write(client, personas):
    other = _tags(personas)
    client.force_login(personas.admin)
    data = {"tags": ["Fjelltur", "fjelltur "], "into": " fjelltur "}
    response = client.post("/admin-org/interesser/", data)
    assert response.status_code == 302
    personas.participant.refresh_from_db()
    personas.waiting.refresh_from_db()
    personas.peer.refresh_from_db()
    other.refresh_from_db()
    assert personas.participant.interests == ["fjelltur", "fiske"]
    assert personas.waiting.interests == ["fjelltur"]
    assert personas.peer.interests == ["fjelltur", "fiske"]  # already had it: no duplicate
    assert other.interests == ["Fjelltur"]  # organisation B
    merged = AuditEvent.objects.get(data__event="interests_merged")
    assert merged.organisation_id == personas.org_a.pk
    assert merged.data["participants"] == 2 and merged.data["peers"] == 0
    assert merged.data["into"] == "fjelltur"


def test_merging_needs_known_tags_and_a_spelling(client, personas):
    _tags(personas)
    client.force_login(personas.admin)
    response = client.post("/admin-org/interesser/", {"tags": ["Ukjent"], "into": "x"})
    assert response.status_code == 400
    response = client.post("/admin-org/interesser/", {"tags": ["Fjelltur"], "into": "  "})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(data__event="interests_merged").exists()
