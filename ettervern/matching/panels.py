from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Role
from ettervern.lib.panels import NavItem, Panel
from ettervern.matching import pauses
from ettervern.matching.access import answer
from ettervern.matching.forms import PauseRequestForm
from ettervern.matching.selectors import proposals_for_peer
from ettervern.peers.selectors import coordinates


def nav_items(request, roles: set[str]) -> list[NavItem]:
    if Role.COORDINATOR in roles:
        return [NavItem(_("Matching"), reverse("matching:plan"), order=25)]
    return []


def home_panels(request, role: str) -> list[Panel]:
    panels = []
    if role == Role.PEER_WORKER:
        covers = pauses.covered_for(request.user)
        if covers:
            panels.append(Panel("matching/_covering.html", {"covers": covers}, order=6))
    proposals = list(proposals_for_peer(request.user).filter(peer_accepted_at__isnull=True))
    if proposals:
        panels.append(Panel("matching/_peer_proposals.html", {"proposals": proposals}, order=5))
    return panels


def peer_panels(request, peer) -> list[Panel]:
    """The pause on the peer's page: the coordinator starts or decides it (and sees why); the
    peer asks for one herself."""
    is_coordinator = coordinates(request.user, peer.programme_id)
    is_own = peer.user_id == request.user.pk
    if not (is_coordinator or is_own):
        return []
    pause = pauses.open_pause(peer)
    form = None
    if is_own and not is_coordinator and pause is None:
        form = PauseRequestForm(initial={"starts_on": timezone.localdate()})
    context = {"peer": peer, "pause": pause, "is_coordinator": is_coordinator, "form": form}
    return [Panel("matching/_peer_pause.html", context, order=8)]


def participant_panels(request, participant) -> list[Panel]:
    access = answer(request.user, participant)
    panels = []
    if access.read and not access.own_record and access.match is not None:
        # Her peer worker is on pause: who covers meanwhile (never why she is away).
        cover = pauses.cover_now(participant, access.match)
        if cover is not None or access.match.peer.resource_status != "active":
            context = {"match": access.match, "cover": cover}
            panels.append(Panel("matching/_participant_pause.html", context, order=9))
    if not access.coordinate:
        return panels
    from ettervern.matching.views import participant_panel_context

    context = participant_panel_context(request, participant)
    return [*panels, Panel("matching/_participant_panel.html", context, order=15)]
