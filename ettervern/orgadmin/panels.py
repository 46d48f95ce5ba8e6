"""The administrator's pages in the navigation and on the home page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Role
from ettervern.lib.panels import NavItem, Panel
from ettervern.orgadmin import selectors


def nav_items(request, roles: set[str]) -> list[NavItem]:
    if Role.ORG_ADMIN not in roles:
        return []
    return [
        NavItem(_("Users"), reverse("orgadmin:users"), order=80),
        NavItem(_("Programmes"), reverse("orgadmin:programmes"), order=81),
        NavItem(_("Areas"), reverse("orgadmin:areas"), order=82),
        NavItem(_("Interests"), reverse("orgadmin:interests"), order=83),
    ]


def home_panels(request, role: str) -> list[Panel]:
    if role != Role.ORG_ADMIN:
        return []
    organisation = selectors.administered_organisation(request.user)
    context = {
        "organisation": organisation,
        "users": selectors.users_of(organisation).count(),
        "invitations": selectors.pending_invitations(organisation).count(),
        "programmes": selectors.programmes_of(organisation, archived=False).count(),
    }
    return [Panel("orgadmin/_home_admin.html", context, order=10)]
