from django.db.models import QuerySet

from ettervern.accounts.models import Programme, Role, User
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.audit.services import audit_denied
from ettervern.matching.models import Exclusion, Match
from ettervern.participants.models import Participant
from ettervern.peers.models import PeerWorker
from ettervern.peers.selectors import peers_with_load


def peers_with_room(programme_id: int):
    """Active peers of a programme with free capacity, for a coordinator's manual match."""

    return [
        p
        for p in peers_with_load(
            PeerWorker.objects.filter(
                programme_id=programme_id, resource_status=PeerWorker.ResourceStatus.ACTIVE
            )
        )
        .select_related("user")
        .order_by("user__name")
        if p.load < p.max_participants
    ]


def get_proposal_for_user(user: User, pk: int, *, as_peer: bool = False) -> Match:
    """An open proposal: the coordinator's (their programmes) or, ``as_peer``, the proposed
    peer worker's own. Anything else is a 404, and the refusal is audited."""
    from django.http import Http404

    qs = Match.objects.filter(status=Match.Status.PROPOSED).select_related(
        "participant", "peer__user", "programme"
    )
    if as_peer:
        qs = qs.filter(
            peer__user=user, programme_id__in=programme_ids_for_role(user, Role.PEER_WORKER)
        )
    else:
        qs = qs.filter(programme_id__in=programme_ids_for_role(user, Role.COORDINATOR))
    match = qs.filter(pk=pk).first()
    if match is None:
        audit_denied(actor=user, object_type="matching.match", object_id=pk)
        raise Http404
    return match


def proposals_for_peer(user: User) -> QuerySet[Match]:
    return Match.objects.filter(
        status=Match.Status.PROPOSED,
        peer__user=user,
        programme_id__in=programme_ids_for_role(user, Role.PEER_WORKER),
    ).select_related("participant")


def get_exclusion_for_user(user: User, pk: int):
    from django.http import Http404

    exclusion = (
        Exclusion.objects.filter(
            pk=pk, programme_id__in=programme_ids_for_role(user, Role.COORDINATOR)
        )
        .select_related("participant", "peer")
        .first()
    )
    if exclusion is None:
        audit_denied(actor=user, object_type="matching.exclusion", object_id=pk)
        raise Http404
    return exclusion


def coordinated_programme(user: User, programme_id: str | None):
    """The programme a coordinator works on: the one asked for, if theirs, else their first."""
    from django.http import Http404

    ids = programme_ids_for_role(user, Role.COORDINATOR)
    if programme_id and programme_id.isdigit() and int(programme_id) in ids:
        return Programme.objects.get(pk=int(programme_id))
    if programme_id:
        raise Http404
    return Programme.objects.filter(pk__in=ids).order_by("name").first()


def programme_pair(programme, participant_id: int, peer_id: int):
    """A participant and a peer worker of one programme (already scoped to the coordinator),
    each None when not in that programme."""

    participant = Participant.objects.filter(pk=participant_id, programme=programme).first()
    peer = PeerWorker.objects.filter(pk=peer_id, programme=programme).first()
    return participant, peer
