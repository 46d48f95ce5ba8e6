from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ettervern.accounts.decorators import role_required
from ettervern.accounts.models import Role
from ettervern.peers.selectors import get_peer_for_user, peers_visible_to, peers_with_load
from ettervern.web.home_panels import object_panels


@require_GET
@role_required(Role.COORDINATOR)
def peer_list(request):
    peers = (
        peers_with_load(peers_visible_to(request.user))
        .select_related("user", "programme")
        .order_by("user__name")
    )
    return render(request, "peers/list.html", {"peers": peers})


@require_GET
@login_required
def peer_detail(request, peer_id: int):
    peer = get_peer_for_user(request.user, peer_id)
    load = peers_with_load(type(peer).objects.filter(pk=peer.pk)).values_list("load", flat=True)[0]
    context = {"peer": peer, "load": load, "panels": object_panels(request, "peer_panels", peer)}
    return render(request, "peers/detail.html", context)
