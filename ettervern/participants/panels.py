from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Role
from ettervern.lib.panels import NavItem, Panel
from ettervern.matching.access import (
    Need,
    answer,
    current_match_of,
    own_participant,
    participants_for,
)
from ettervern.orgadmin.selectors import pending_for_participant
from ettervern.participants.forms import OwnLoginInviteForm
from ettervern.participants.selectors import consents_by_purpose, referrals_for_referrer


def nav_items(request, roles: set[str]) -> list[NavItem]:
    items = []
    if roles & {Role.COORDINATOR, Role.PEER_WORKER}:
        items.append(NavItem(_("Participants"), reverse("participants:list"), order=10))
    if Role.COORDINATOR in roles:
        items.append(NavItem(_("Waiting list"), reverse("participants:waiting_list"), order=11))
        items.append(NavItem(_("Referrals"), reverse("participants:referrals"), order=12))
    elif Role.REFERRER in roles:
        items.append(NavItem(_("My referrals"), reverse("participants:referrals"), order=12))
    return items


def home_panels(request, role: str) -> list[Panel]:
    if role == Role.REFERRER:
        rows = referrals_for_referrer(request.user)
        return [Panel("participants/_referrer_home.html", {"rows": rows}, order=10)]
    if role == Role.PARTICIPANT:
        own = own_participant(request.user)
        if own is None:
            return []
        context = {
            "participant": own,
            "match": current_match_of(own),
            "consents": consents_by_purpose(own),
            "goals": list(own.goals.exclude(status="dropped").order_by("status", "life_area")),
        }
        return [Panel("participants/_participant_home.html", context, order=10)]
    if role not in (Role.COORDINATOR, Role.PEER_WORKER):
        return []
    participants = list(
        participants_for(request.user, Need.CURRENT)
        .select_related("programme")
        .order_by("name")[:50]
    )
    title = _("Participants") if role == Role.COORDINATOR else _("My participants")
    return [
        Panel(
            "participants/_home_list.html",
            {"participants": participants, "title": title, "can_log": role == Role.PEER_WORKER},
            order=20,
        )
    ]


def participant_panels(request, participant) -> list[Panel]:
    """The coordinator's card for the participant's own login: invite, or the pending
    invitation (send again, revoke), or that she has one."""
    if not answer(request.user, participant).coordinate:
        return []
    pending = None if participant.user_id else pending_for_participant(participant)
    form = None
    if participant.user_id is None and pending is None:
        form = OwnLoginInviteForm(initial={"email": participant.email})
    context = {"participant": participant, "pending": pending, "form": form}
    return [Panel("participants/_own_login.html", context, order=60)]
