from ettervern.offers.tests.factories import offers
from ettervern.web.tests.access import AccessObject

OBJECTS = {
    "offer_id": AccessObject(
        foreign=lambda p: offers(p).offer_b.pk,
        local=lambda p: offers(p).offer.pk,
        # The directory: staff and participants with their own login read it.
        entitled=frozenset(
            {"coordinator", "admin", "peer_user", "other_peer_user", "participant_user"}
        ),
    ),
    "suggestion_id": AccessObject(
        foreign=lambda p: offers(p).suggestion_b.pk,
        local=lambda p: offers(p).suggestion.pk,
        entitled=frozenset({"coordinator", "peer_user"}),
    ),
    "sharing_id": AccessObject(
        foreign=lambda p: offers(p).sharing_b.pk,
        local=lambda p: offers(p).sharing.pk,
        entitled=frozenset({"admin"}),
    ),
}
