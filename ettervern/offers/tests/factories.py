"""Offers for the personas, built once per test and cached on ``personas`` (the URL walker only
has ``personas``)."""

import datetime as dt
from dataclasses import dataclass

from ettervern.accounts.models import Organisation
from ettervern.offers.models import Category, Offer, Sharing, Suggestion
from ettervern.participants.models import Goal


def make_offer(organisation, name: str = "Gatejuristen", **fields) -> Offer:
    defaults = {
        "provider": "Kirkens Bymisjon",
        "category": Category.LEGAL_DEBT,
        "checked_on": dt.date(2026, 9, 1),
    }
    defaults.update(fields)
    return Offer.objects.create(organisation=organisation, name=name, **defaults)


@dataclass
class Offers:
    offer: Offer
    offer_b: Offer
    goal: Goal
    suggestion: Suggestion
    suggestion_b: Suggestion
    sharing: Sharing
    sharing_b: Sharing


def offers(personas) -> Offers:
    cached = getattr(personas, "_offers", None)
    if cached is not None:
        return cached
    offer = make_offer(personas.org_a)
    offer_b = make_offer(personas.org_b, "NA-møte Grünerløkka", category=Category.SELF_HELP)
    goal = Goal.objects.create(
        organisation=personas.org_a,
        programme=personas.programme_a,
        participant=personas.participant,
        life_area="economy_debt",
        description="Få orden på gjelda",
    )

    def suggestion(participant, offer, goal=None):
        return Suggestion.objects.create(
            organisation_id=participant.organisation_id,
            programme_id=participant.programme_id,
            participant=participant,
            offer=offer,
            goal=goal,
            suggested_on=dt.date(2026, 10, 1),
        )

    org_c = Organisation.objects.create(name="Organisasjon C", slug="org-c")
    built = Offers(
        offer=offer,
        offer_b=offer_b,
        goal=goal,
        suggestion=suggestion(personas.participant, offer, goal),
        suggestion_b=suggestion(personas.participant_b, offer_b),
        sharing=Sharing.objects.create(organisation=personas.org_a, partner=org_c),
        sharing_b=Sharing.objects.create(organisation=personas.org_b, partner=org_c),
    )
    personas._offers = built
    return built
