"""Supervision notes and check-ins: the peer and their coordinator only, whatever the role."""

import pytest
from django.utils import timezone

from ettervern.peers import services

NOTE = "HEMMELIG-VEILEDNINGSNOTAT"
CHECKIN = "HEMMELIG-INNSJEKK"

# persona -> (sees the supervision notes, sees the check-in text)
EXPECTED = {
    "coordinator": (True, True),  # held the supervision; coordinates the peer
    "second_coordinator": (False, True),  # coordinates the peer, did not hold the conversation
    "peer_user": (True, True),
    "other_peer_user": (False, False),
    "participant_user": (False, False),
    "employer": (False, False),
    "referrer": (False, False),
    "researcher": (False, False),
    "admin": (False, False),
    "coordinator_b": (False, False),
    "peer_b_user": (False, False),
}


@pytest.fixture
def secrets(personas):
    services.supervision_create(
        actor=personas.coordinator,
        peer=personas.peer,
        held_on=timezone.localdate(),
        topics=["own_recovery"],
        notes=NOTE,
    )
    services.checkin_submit(
        actor=personas.peer_user,
        peer=personas.peer,
        workload="too_much",
        boundaries=1,
        own_recovery=2,
        support_wanted=True,
        text=CHECKIN,
    )


def _pages(personas) -> list[str]:
    peer = personas.peer.pk
    return [
        "/",
        "/likepersoner/",
        "/logg/",
        f"/likepersoner/{peer}/",
        f"/likepersoner/{peer}/veiledning/",
        f"/likepersoner/{peer}/innsjekk/",
        f"/likepersoner/{peer}/attest/",
    ]


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_supervision_notes_and_checkins_reach_only_the_peer_and_their_coordinator(
    client, personas, secrets, second_coordinator, persona
):
    user = second_coordinator if persona == "second_coordinator" else personas.user(persona)
    client.force_login(user)
    seen = ""
    for url in _pages(personas):
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        seen += response.content.decode()
    sees_note, sees_checkin = EXPECTED[persona]
    assert (NOTE in seen) is sees_note
    assert (CHECKIN in seen) is sees_checkin


def test_secrets_never_reach_the_audit_log(personas, secrets):
    from ettervern.audit.models import AuditEvent

    rows = str(list(AuditEvent.objects.values_list("summary", "data")))
    assert NOTE not in rows and CHECKIN not in rows
