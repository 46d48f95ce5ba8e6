"""The job programme on the home pages, in the navigation and on the participant page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Programme, Role
from ettervern.accounts.selectors import memberships_of, programme_ids_for_role
from ettervern.employment import selectors
from ettervern.employment.models import Party
from ettervern.lib.panels import NavItem, Panel
from ettervern.matching.access import answer

# The party a role confirms agreements as, on its home page.
PARTY_OF_ROLE = {
    Role.PEER_WORKER: Party.ADVISOR,
    Role.PARTICIPANT: Party.PARTICIPANT,
    Role.EMPLOYER_CONTACT: Party.EMPLOYER,
}


def _in_job_programme(request, roles: set[str]) -> bool:
    """Employer contacts exist only for jobs; others see the job pages in a job programme."""
    return any(
        m.programme.kind == Programme.Kind.JOB or m.role == Role.EMPLOYER_CONTACT
        for m in memberships_of(request.user)
        if m.role in roles
    )


def nav_items(request, roles: set[str]) -> list[NavItem]:
    case_roles = {Role.COORDINATOR, Role.PEER_WORKER, Role.PARTICIPANT, Role.EMPLOYER_CONTACT}
    if not _in_job_programme(request, roles & case_roles):
        return []
    label = _("My agreements") if roles <= {Role.EMPLOYER_CONTACT} else _("Work")
    return [NavItem(label, reverse("employment:list"), order=40)]


def home_panels(request, role: str) -> list[Panel]:
    if role not in PARTY_OF_ROLE and role != Role.COORDINATOR:
        return []
    if not _in_job_programme(request, {role}):
        return []
    user = request.user
    context = {
        "meetings": selectors.meetings_needing_attention(user),
        "missing": (
            selectors.job_starts_without_contact(user)
            if role in (Role.COORDINATOR, Role.PEER_WORKER)
            else []
        ),
        "awaiting": (
            list(selectors.agreements_awaiting(user, PARTY_OF_ROLE[role]))
            if role in PARTY_OF_ROLE
            else []
        ),
        "actions": (
            list(selectors.open_actions_for(user, PARTY_OF_ROLE[role])[:20])
            if role in PARTY_OF_ROLE
            else []
        ),
        "role": role,
    }
    panels = [Panel("employment/_home_attention.html", context, order=15)]
    if role == Role.COORDINATOR:
        figures = selectors.programme_figures(programme_ids_for_role(user, Role.COORDINATOR))
        panels.append(Panel("employment/_figures.html", {"figures": figures}, order=60))
    if role == Role.EMPLOYER_CONTACT:
        placements = selectors.placements_for_list(user).filter(ended_on__isnull=True)
        panels.append(
            Panel("employment/_home_placements.html", {"placements": list(placements)}, order=20)
        )
    return panels


def participant_panels(request, participant) -> list[Panel]:
    placements = list(selectors.placements_for_list(request.user).filter(participant=participant))
    # Coordinators and the currently matched advisor register placements.
    manage = answer(request.user, participant).follow
    # Outside a job programme the card only shows placements that exist.
    if not placements and not (manage and participant.programme.kind == Programme.Kind.JOB):
        return []
    context = {"placements": placements, "participant": participant, "manage": manage}
    return [Panel("employment/_participant_placements.html", context, order=40)]
