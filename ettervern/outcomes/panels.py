"""Scores on the participant page and the participant's own home page; the schedule in the
coordinator's navigation. Due questionnaires reach staff through the attention list."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Role
from ettervern.lib.panels import NavItem, Panel
from ettervern.matching.access import Need, answer, own_participant
from ettervern.outcomes import selectors
from ettervern.outcomes.display import cards_for
from ettervern.participants.models import Participant


def nav_items(request, roles: set[str]) -> list[NavItem]:
    if Role.COORDINATOR in roles:
        return [NavItem(_("Questionnaires"), reverse("outcomes:schedule"), order=70)]
    return []


def _context(request, participant: Participant, view: str) -> dict:
    # Shown within a page whose read is audited already (the participant page), or to her own
    # login on her home page; the outcomes pages audit their own reads (``outcomes_viewed``).
    today = timezone.localdate()
    return {
        "participant": participant,
        "cards": cards_for(selectors.series_for(participant), prefix=view),
        "due": selectors.due_for_participant(participant, today),
    }


def participant_panels(request, participant) -> list[Panel]:
    # Her scores: the coordinator, her current peer worker, and she herself. Never a researcher.
    if not answer(request.user, participant).allows(Need.CURRENT):
        return []
    return [Panel("outcomes/_participant_panel.html", _context(request, participant, "panel"), 35)]


def home_panels(request, role: str) -> list[Panel]:
    if role != Role.PARTICIPANT:
        return []
    own = own_participant(request.user)
    if own is None:
        return []
    return [Panel("outcomes/_own_home.html", _context(request, own, "home"), order=12)]
