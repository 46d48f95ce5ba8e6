from ettervern.web.tests.access import AccessObject

OBJECTS = {
    "peer_id": AccessObject(
        foreign=lambda p: p.peer_b.pk,
        local=lambda p: p.peer.pk,
        entitled=frozenset({"coordinator", "peer_user"}),
    ),
}
