from django.utils import timezone

from ettervern.accounts.models import Role
from ettervern.followup.selectors import (
    attention_items,
    can_see_notes,
    contacts_for,
    current_agreement,
    planned_contacts_of_peer,
)
from ettervern.matching.selectors import current_match_of
from ettervern.participants.selectors import is_coordinator_of
from ettervern.web.home_panels import Panel

ATTENTION_SHOWN = 40


def home_panels(request, role: str) -> list[Panel]:
    if role not in (Role.COORDINATOR, Role.PEER_WORKER):
        return []
    items = attention_items(request.user)
    # A long list helps nobody on a phone: show the first ones and say how many more there are.
    context = {"items": items[:ATTENTION_SHOWN], "more": max(0, len(items) - ATTENTION_SHOWN)}
    panels = [Panel("followup/_attention.html", context, order=5)]
    if role == Role.PEER_WORKER:
        planned = {"contacts": planned_contacts_of_peer(request.user), "now": timezone.now()}
        panels.append(Panel("followup/_planned.html", planned, order=6))
    return panels


def participant_panels(request, participant) -> list[Panel]:
    match = current_match_of(participant)
    user = request.user
    is_own = participant.user_id == user.pk
    is_peer = match is not None and match.peer.user_id == user.pk
    is_coordinator = is_coordinator_of(user, participant)
    agreement = current_agreement(match)
    panels = [
        Panel(
            "followup/_agreement.html",
            {
                "participant": participant,
                "match": match,
                "agreement": agreement,
                "can_edit": (is_peer or is_coordinator) and not is_own,
                "is_peer": is_peer,
                "is_own": is_own,
            },
            order=10,
        )
    ]
    notes = can_see_notes(user, participant) and not is_own
    contacts = list(contacts_for(user, participant)[:30])
    panels.append(
        Panel(
            "followup/_contacts.html",
            {
                "participant": participant,
                "contacts": contacts,
                "show_notes": notes,
                # A peer worker sees only their own contacts here; a coordinator all of them.
                "can_close": notes,
                "now": timezone.now(),
                "can_log": match is not None and (is_peer or is_coordinator) and not is_own,
            },
            order=20,
        )
    )
    return panels
