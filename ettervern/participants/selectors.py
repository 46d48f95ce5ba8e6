"""Every read of participant data goes through here, scoped to who asks."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ettervern.accounts.models import Role, User
from ettervern.accounts.selectors import memberships_of, programme_ids_for_role
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_denied, audit_record
from ettervern.participants.models import Consent, Participant


def _peer_match_filter(user: User, *, include_grace: bool) -> Q:
    """Participants a peer worker is matched with (current; optionally recently ended)."""
    current = Q(
        matches__peer__user=user,
        matches__status__in=["active", "paused"],
        matches__peer__programme_id__in=programme_ids_for_role(user, Role.PEER_WORKER),
    )
    if not include_grace:
        return current
    # Read-only for a grace period after the match ends (per programme setting).
    grace = Q()
    for m in memberships_of(user):
        if m.role != Role.PEER_WORKER:
            continue
        since = timezone.localdate() - dt.timedelta(days=m.programme.peer_read_grace_days)
        grace |= Q(
            matches__peer__user=user,
            matches__peer__programme_id=m.programme_id,
            matches__status="ended",
            matches__ended_on__gte=since,
        )
    return current | grace if grace else current


def participants_visible_to(user: User, *, include_grace: bool = False) -> QuerySet[Participant]:
    """Participants the user may see: a coordinator their programmes', a peer worker their own.

    ``include_grace`` adds participants whose match with this peer ended recently (read-only).
    """
    if not user.is_authenticated:
        return Participant.objects.none()
    q = Q(pk__in=[])
    coordinated = programme_ids_for_role(user, Role.COORDINATOR)
    if coordinated:
        q |= Q(programme_id__in=coordinated)
    if programme_ids_for_role(user, Role.PEER_WORKER):
        matched_ids = Participant.objects.filter(
            _peer_match_filter(user, include_grace=include_grace)
        ).values("pk")
        q |= Q(pk__in=matched_ids)
    if programme_ids_for_role(user, Role.PARTICIPANT):
        q |= Q(user=user, programme_id__in=programme_ids_for_role(user, Role.PARTICIPANT))
    return Participant.objects.filter(q)


def get_participant_for_user(
    user: User, pk: int, *, for_write: bool = False, audit: bool = True
) -> Participant:
    """The participant, or 404. Every successful read is audited, and so is every refusal.

    A peer worker may read (not write) a participant for a grace period after the match ended.
    """
    qs = participants_visible_to(user, include_grace=not for_write)
    if for_write and programme_ids_for_role(user, Role.PARTICIPANT):
        # A participant's own login reads its record but does not edit case data here.
        qs = qs.exclude(user=user)
    participant = qs.select_related("programme", "organisation").filter(pk=pk).first()
    if participant is None:
        audit_denied(actor=user, object_type="participants.participant", object_id=pk)
        raise Http404
    if audit:
        audit_record(actor=user, action=AuditEvent.Action.READ, obj=participant)
    return participant


def participant_has_consent(participant: Participant, purpose: str) -> bool:
    return Consent.objects.filter(
        participant=participant, purpose=purpose, withdrawn_at__isnull=True
    ).exists()
