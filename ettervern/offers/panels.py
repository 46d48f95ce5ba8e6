"""The directory in the navigation, stale offers on the coordinator's home page, and offers on
the participant page: her suggestions and offers that fit her goals and area."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Role
from ettervern.lib.panels import NavItem, Panel
from ettervern.matching.access import answer
from ettervern.offers import selectors
from ettervern.offers.models import Suggestion

READERS = {Role.COORDINATOR, Role.ORG_ADMIN, Role.PEER_WORKER, Role.PARTICIPANT}


def nav_items(request, roles: set[str]) -> list[NavItem]:
    if not roles & READERS:
        return []
    return [NavItem(_("Offers"), reverse("offers:list"), order=45)]


def home_panels(request, role: str) -> list[Panel]:
    if role not in (Role.COORDINATOR, Role.ORG_ADMIN):
        return []
    stale = selectors.stale_offers(request.user)
    count = stale.count()
    if not count:
        return []
    context = {"count": count, "oldest": list(stale[:5])}
    return [Panel("offers/_home_stale.html", context, order=55)]


def participant_panels(request, participant) -> list[Panel]:
    access = answer(request.user, participant)
    if not access.read:
        return []
    suggestions = list(selectors.suggestions_of(participant)[:20])
    fitting = selectors.offers_for_participant(request.user, participant)
    suggested = {s.offer_id for s in suggestions if not s.outcome}
    context = {
        "participant": participant,
        "suggestions": suggestions,
        "fitting": [o for o in fitting if o.pk not in suggested],
        "can_suggest": access.follow,
        "outcomes": [c for c in Suggestion.Outcome.choices if c[0]],
        "today": timezone.localdate(),
    }
    return [Panel("offers/_participant_offers.html", context, order=45)]
