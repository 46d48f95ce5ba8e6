"""Research in the navigation and on the home pages: the researcher's projects, and the
org admin's link to research projects."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Role
from ettervern.lib.panels import NavItem, Panel
from ettervern.orgadmin.selectors import administered_organisation
from ettervern.research import selectors


def nav_items(request, roles: set[str]) -> list[NavItem]:
    items = []
    if Role.RESEARCHER in roles:
        items.append(NavItem(_("Research"), reverse("research:projects"), order=20))
    if Role.ORG_ADMIN in roles:
        items.append(NavItem(_("Research projects"), reverse("research_admin:projects"), order=84))
    return items


def home_panels(request, role: str) -> list[Panel]:
    if role == Role.RESEARCHER:
        projects = list(selectors.projects_for(request.user))
        for project in projects:
            project.export_allowed = selectors.export_allowed(project)
        return [Panel("research/_home_researcher.html", {"projects": projects}, order=10)]
    if role == Role.ORG_ADMIN:
        from_admin = selectors.projects_of(administered_organisation(request.user))
        proposed = [p for p in from_admin if p.state == p.State.PROPOSED]
        return [Panel("research/_home_admin.html", {"proposed": proposed}, order=15)]
    return []
