from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Role
from ettervern.lib.panels import NavItem, Panel
from ettervern.matching.access import answer
from ettervern.matching.selectors import proposals_for_peer


def nav_items(request, roles: set[str]) -> list[NavItem]:
    if Role.COORDINATOR in roles:
        return [NavItem(_("Matching"), reverse("matching:plan"), order=25)]
    return []


def home_panels(request, role: str) -> list[Panel]:
    proposals = list(proposals_for_peer(request.user).filter(peer_accepted_at__isnull=True))
    if not proposals:
        return []
    return [Panel("matching/_peer_proposals.html", {"proposals": proposals}, order=5)]


def participant_panels(request, participant) -> list[Panel]:
    if not answer(request.user, participant).coordinate:
        return []
    from ettervern.matching.views import participant_panel_context

    context = participant_panel_context(request, participant)
    return [Panel("matching/_participant_panel.html", context, order=15)]
