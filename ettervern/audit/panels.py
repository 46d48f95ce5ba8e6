from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Role
from ettervern.lib.panels import NavItem


def nav_items(request, roles: set[str]) -> list[NavItem]:
    items = []
    if Role.COORDINATOR in roles:
        items.append(NavItem(_("Audit log"), reverse("audit:list"), order=90))
    if Role.PARTICIPANT in roles:
        items.append(NavItem(_("Who has seen my record"), reverse("audit:own_record"), order=90))
    return items
