"""The import page in the coordinator's navigation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Role
from ettervern.lib.panels import NavItem


def nav_items(request, roles: set[str]) -> list[NavItem]:
    if Role.COORDINATOR not in roles:
        return []
    return [NavItem(_("Import"), reverse("imports:upload"), order=85)]
