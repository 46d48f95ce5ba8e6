from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Role
from ettervern.peers.selectors import peers_visible_to, peers_with_load
from ettervern.web.home_panels import NavItem, Panel


def nav_items(request, roles: set[str]) -> list[NavItem]:
    if Role.COORDINATOR in roles:
        return [NavItem(_("Peer workers"), reverse("peers:list"), order=20)]
    return []


def home_panels(request, role: str) -> list[Panel]:
    if role != Role.COORDINATOR:
        return []
    peers = list(
        peers_with_load(peers_visible_to(request.user))
        .select_related("user")
        .order_by("user__name")[:50]
    )
    return [Panel("peers/_home_list.html", {"peers": peers}, order=30)]
