from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Role
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.followup.peer_signals import KINDS, handled_marks, peer_signals
from ettervern.followup.selectors import (
    attention_groups,
    contacts_for,
    current_agreement,
    planned_contacts_of_participant,
    planned_contacts_of_peer,
)
from ettervern.lib.panels import Panel, deferred
from ettervern.matching.access import answer, current_match_of, own_participant

# Per kind of item: the first ones, and how many more there are (a long list helps nobody).
ATTENTION_SHOWN = 8


def _own_home_panels(request) -> list[Panel]:
    """The participant's own login, on a phone: the current agreement (with the button to
    confirm it when a version waits for them) and the coming planned contacts, never notes."""
    own = own_participant(request.user)
    if own is None:
        return []
    match = current_match_of(own)
    context = {
        "participant": own,
        "match": match,
        "agreement": current_agreement(match),
        "planned": planned_contacts_of_participant(own),
    }
    return [Panel("followup/_participant_home.html", context, order=5)]


def home_panels(request, role: str) -> list[Panel]:
    if role == Role.PARTICIPANT:
        return _own_home_panels(request)
    if role not in (Role.COORDINATOR, Role.PEER_WORKER):
        return []
    if role == Role.COORDINATOR:
        # Over whole programmes: loaded after the page, so the home opens at once.
        return [
            Panel.later("signaler", _("Peer workers who may need support"), order=4),
            Panel.later("oppmerksomhet", _("Needs attention"), order=5),
        ]
    planned = {"contacts": planned_contacts_of_peer(request.user), "now": timezone.now()}
    return [*attention_panel(request, role), Panel("followup/_planned.html", planned, order=6)]


@deferred("oppmerksomhet")
def attention_panel(request, role: str) -> list[Panel]:
    if role not in (Role.COORDINATOR, Role.PEER_WORKER):
        return []
    # Computed in the database, a few rows per kind: the panel costs the same at any size.
    context = {"groups": attention_groups(request.user, per_kind=ATTENTION_SHOWN)}
    return [Panel("followup/_attention.html", context, order=5)]


@deferred("signaler")
def peer_signals_panel(request, role: str) -> list[Panel]:
    if role != Role.COORDINATOR:
        return []
    signals = {"groups": peer_signals(request.user), "where": "home"}
    return [Panel("followup/_peer_signals.html", signals, order=4)]


def participant_panels(request, participant) -> list[Panel]:
    access = answer(request.user, participant)
    match = access.match
    agreement = current_agreement(match)
    panels = [
        Panel(
            "followup/_agreement.html",
            {
                "participant": participant,
                "match": match,
                "agreement": agreement,
                "can_edit": access.edit_agreement,
                "is_peer": access.current_peer,
                "is_own": access.own_record,
            },
            order=10,
        )
    ]
    contacts = list(contacts_for(request.user, participant)[:30])
    panels.append(
        Panel(
            "followup/_contacts.html",
            {
                "participant": participant,
                "contacts": contacts,
                "show_notes": access.see_notes,
                # A peer worker sees only their own contacts here; a coordinator all of them.
                "can_close": access.close_contacts,
                "now": timezone.now(),
                "can_log": access.log_contacts,
            },
            order=20,
        )
    )
    return panels


def peer_panels(request, peer) -> list[Panel]:
    """The signals about one peer, and who handled which, for her coordinator."""
    if peer.programme_id not in programme_ids_for_role(request.user, Role.COORDINATOR):
        return []
    groups = peer_signals(request.user, peer_ids=[peer.pk])
    handled = [
        {"label": str(KINDS.get(m.kind, m.kind)).capitalize(), "mark": m}
        for m in handled_marks(peer)
    ]
    context = {"groups": groups, "handled": handled, "where": "peer"}
    return [Panel("followup/_peer_signals.html", context, order=3)]
