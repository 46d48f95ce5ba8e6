"""The funder report in the navigation of coordinators and org admins."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Role
from ettervern.lib.panels import NavItem


def nav_items(request, roles: set[str]) -> list[NavItem]:
    if not roles & {Role.COORDINATOR, Role.ORG_ADMIN}:
        return []
    return [NavItem(_("Reports"), reverse("reports:index"), order=80)]
