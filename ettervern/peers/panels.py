from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Role
from ettervern.followup.selectors import over_budget_peers, time_budget
from ettervern.lib.panels import NavItem, Panel, deferred
from ettervern.peers.models import ConversationRequest
from ettervern.peers.selectors import (
    checkin_due,
    group_supervision_status,
    open_conversation_request,
    own_peer_profiles,
    peers_visible_to,
    with_load,
)


def nav_items(request, roles: set[str]) -> list[NavItem]:
    items = []
    if Role.COORDINATOR in roles:
        items += [
            NavItem(_("Peer workers"), reverse("peers:list"), order=20),
            NavItem(_("Peer course"), reverse("peers:candidates"), order=21),
            NavItem(_("Group supervision"), reverse("peers:group_supervisions"), order=22),
        ]
    if Role.PEER_WORKER in roles:
        own = own_peer_profiles(request.user).order_by("pk").first()
        if own is not None:
            items.append(NavItem(_("My page"), reverse("peers:detail", args=[own.pk]), order=15))
    return items


def _coordinator_panels(request) -> list[Panel]:
    return [
        Panel.later("likepersoner", _("Peer workers who may need you"), order=12),
        Panel("peers/_home_list.html", {"peers": _first_peers(request)}, order=30),
    ]


def _first_peers(request) -> list:
    return list(
        with_load(peers_visible_to(request.user)).select_related("user").order_by("user__name")[:50]
    )


@deferred("likepersoner")
def peer_attention_panel(request, role: str) -> list[Panel]:
    if role != Role.COORDINATOR:
        return []
    requests = list(
        ConversationRequest.objects.filter(
            peer__in=peers_visible_to(request.user), resolved_at__isnull=True
        )
        .select_related("peer__user")
        .order_by("requested_at")[:20]
    )
    # Far over for weeks is the risk to act on (always available, no boundaries); far under is
    # common and shown in the overview table, not pushed onto the home page.
    # Found by a query on the hours held per week, checked exactly for the first few only.
    off_budget = over_budget_peers(request.user, limit=20)
    attention = {
        "group_status": group_supervision_status(request.user),
        "requests": requests,
        "off_budget": off_budget,
    }
    return [Panel("peers/_home_attention.html", attention, order=12)]


def _peer_panels(request) -> list[Panel]:
    panels = []
    for peer in own_peer_profiles(request.user).select_related("programme", "user"):
        context = {
            "peer": peer,
            "budget": time_budget(peer),
            "checkin_due": checkin_due(peer),
            "open_request": open_conversation_request(peer),
        }
        panels.append(Panel("peers/_home_peer.html", context, order=15))
    return panels


def home_panels(request, role: str) -> list[Panel]:
    if role == Role.COORDINATOR:
        return _coordinator_panels(request)
    if role == Role.PEER_WORKER:
        return _peer_panels(request)
    return []
