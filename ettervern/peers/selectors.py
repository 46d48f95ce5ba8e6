"""Reads of peer worker profiles: special-category data about employees."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ettervern.accounts.models import Role, User
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_denied, audit_record
from ettervern.peers.models import PeerWorker


def peers_visible_to(user: User) -> QuerySet[PeerWorker]:
    """A coordinator sees the peers of their programmes; a peer worker sees their own profile."""
    if not user.is_authenticated:
        return PeerWorker.objects.none()
    q = Q(pk__in=[])
    coordinated = programme_ids_for_role(user, Role.COORDINATOR)
    if coordinated:
        q |= Q(programme_id__in=coordinated)
    own = programme_ids_for_role(user, Role.PEER_WORKER)
    if own:
        q |= Q(user=user, programme_id__in=own)
    return PeerWorker.objects.filter(q)


def peers_with_load(qs: QuerySet[PeerWorker]) -> QuerySet[PeerWorker]:
    """Annotate ``load``: matches holding a slot (active, or paused without the slot freed)."""
    return qs.annotate(
        load=Count(
            "matches",
            filter=Q(matches__status="active")
            | Q(matches__status="paused", matches__frees_slot=False),
        )
    )


def get_peer_for_user(user: User, pk: int, *, audit: bool = True) -> PeerWorker:
    peer = peers_visible_to(user).select_related("user", "programme").filter(pk=pk).first()
    if peer is None:
        audit_denied(actor=user, object_type="peers.peerworker", object_id=pk)
        raise Http404
    if audit:
        audit_record(actor=user, action=AuditEvent.Action.READ, obj=peer)
    return peer
