"""Social arenas in the navigation, on the home pages and on the participant page."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Role
from ettervern.arenas import selectors
from ettervern.lib.panels import NavItem, Panel
from ettervern.matching.access import answer

ARENA_ROLES = {Role.COORDINATOR, Role.PEER_WORKER, Role.PARTICIPANT, Role.VOLUNTEER}


def nav_items(request, roles: set[str]) -> list[NavItem]:
    if not roles & ARENA_ROLES:
        return []
    label = _("My events") if roles <= {Role.VOLUNTEER} else _("Social arenas")
    return [NavItem(label, reverse("arenas:calendar"), order=45)]


def home_panels(request, role: str) -> list[Panel]:
    if role == Role.VOLUNTEER:
        events = selectors.upcoming_helping(request.user)
        return [Panel("arenas/_home_helping.html", {"events": events}, order=10)]
    if role not in ARENA_ROLES:
        return []
    since = timezone.now() - dt.timedelta(hours=3)
    events = list(
        selectors.with_signup_counts(
            selectors.events_visible_to(request.user).filter(
                starts_at__gte=since, cancelled_at=None
            )
        ).order_by("starts_at")[:5]
    )
    if not events:
        return []
    return [Panel("arenas/_home_upcoming.html", {"events": events}, order=70)]


def participant_panels(request, participant) -> list[Panel]:
    if not answer(request.user, participant).sign_up:
        return []
    signups = selectors.upcoming_for_participant(participant)
    context = {"signups": signups, "participant": participant}
    return [Panel("arenas/_participant_signups.html", context, order=55)]
