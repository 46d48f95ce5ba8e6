import datetime as dt

from ettervern.web.tests.access import AccessObject


def _proposal(programme_participant, peer):
    from ettervern.matching.models import Match

    return Match.objects.create(
        organisation=programme_participant.organisation,
        programme=programme_participant.programme,
        participant=programme_participant,
        peer=peer,
        status=Match.Status.PROPOSED,
    ).pk


def _exclusion(participant, peer):
    from ettervern.matching.models import Exclusion

    return Exclusion.objects.create(
        organisation=participant.organisation,
        programme=participant.programme,
        participant=participant,
        peer=peer,
        kind="known",
        reason="Kjenner hverandre",
    ).pk


def _pause(peer):
    from ettervern.matching.models import PeerPause

    return PeerPause.objects.create(
        organisation=peer.organisation,
        programme=peer.programme,
        peer=peer,
        reason="holiday",
        starts_on=dt.date(2026, 1, 5),
        expected_return_on=dt.date(2026, 1, 19),
        status=PeerPause.Status.REQUESTED,
        requested_by=peer.user,
    ).pk


OBJECTS = {
    # A proposal of the waiting participant to the unmatched peer: only the coordinator acts on
    # it (and the proposed peer accepts it, which the walker's POST with {} also exercises).
    "proposal_id": AccessObject(
        foreign=lambda p: _proposal(p.participant_b, p.peer_b),
        local=lambda p: _proposal(p.waiting, p.other_peer),
        entitled=frozenset({"coordinator", "other_peer_user"}),
    ),
    "exclusion_id": AccessObject(
        foreign=lambda p: _exclusion(p.participant_b, p.peer_b),
        local=lambda p: _exclusion(p.waiting, p.peer),
        entitled=frozenset({"coordinator"}),
    ),
    # A pause the peer asked for: only her coordinator decides it.
    "pause_id": AccessObject(
        foreign=lambda p: _pause(p.peer_b),
        local=lambda p: _pause(p.other_peer),
        entitled=frozenset({"coordinator"}),
    ),
}
