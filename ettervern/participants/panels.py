from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Role
from ettervern.participants.selectors import participants_visible_to
from ettervern.web.home_panels import NavItem, Panel


def nav_items(request, roles: set[str]) -> list[NavItem]:
    if roles & {Role.COORDINATOR, Role.PEER_WORKER}:
        return [NavItem(_("Participants"), reverse("participants:list"), order=10)]
    return []


def home_panels(request, role: str) -> list[Panel]:
    if role not in (Role.COORDINATOR, Role.PEER_WORKER):
        return []
    participants = list(
        participants_visible_to(request.user).select_related("programme").order_by("name")[:50]
    )
    title = _("Participants") if role == Role.COORDINATOR else _("My participants")
    return [
        Panel(
            "participants/_home_list.html",
            {"participants": participants, "title": title},
            order=20,
        )
    ]
