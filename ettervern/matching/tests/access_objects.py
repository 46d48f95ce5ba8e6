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
}
