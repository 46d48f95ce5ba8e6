from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Role
from ettervern.lib.panels import NavItem


def nav_items(request, roles: set[str]) -> list[NavItem]:
    if Role.COORDINATOR in roles:
        return [NavItem(_("Recruitment"), reverse("radar:radar"), order=27)]
    return []
