from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Role
from ettervern.lib.panels import NavItem


def nav_items(request, roles: set[str]) -> list[NavItem]:
    if roles & {Role.PEER_WORKER, Role.COORDINATOR}:
        return [NavItem(_("Reminders"), reverse("reminders:settings"), order=90)]
    return []
