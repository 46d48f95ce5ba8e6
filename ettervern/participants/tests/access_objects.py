from ettervern.web.tests.access import AccessObject

OBJECTS = {
    "participant_id": AccessObject(
        foreign=lambda p: p.participant_b.pk,
        local=lambda p: p.participant.pk,
        entitled=frozenset({"coordinator", "peer_user", "participant_user"}),
    ),
}
