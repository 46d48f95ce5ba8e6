from ettervern.arenas.tests.factories import arenas
from ettervern.web.tests.access import AccessObject

OBJECTS = {
    "event_id": AccessObject(
        foreign=lambda p: arenas(p).film_b.pk,
        local=lambda p: arenas(p).film.pk,
        # An event for everyone: the programme's coordinator, peers and participants see it.
        entitled=frozenset({"coordinator", "peer_user", "other_peer_user", "participant_user"}),
    ),
    "signup_id": AccessObject(
        foreign=lambda p: arenas(p).signup_b.pk,
        local=lambda p: arenas(p).signup.pk,
        # Dag's sign-up: he, his peer worker and the coordinator may withdraw it.
        entitled=frozenset({"coordinator", "peer_user", "participant_user"}),
    ),
    "helper_id": AccessObject(
        foreign=lambda p: arenas(p).helper_b.pk,
        local=lambda p: arenas(p).helper.pk,
        entitled=frozenset({"coordinator"}),
    ),
}
