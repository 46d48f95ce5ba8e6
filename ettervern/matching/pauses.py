"""A peer worker's pause: asked for by the peer or started by the coordinator, with a cover peer
for each of her participants meanwhile, and a reminder on the expected return date.

The participants' status does not move (they are still matched with her: one status, held by the
match); the cover is temporary access (``access.covers_in_effect``), and the peer's place in the
resource base is paused through the peers' own service, in the same transaction.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ettervern.accounts.models import Role, User
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_denied, audit_record
from ettervern.audit.submissions import once_per_submission
from ettervern.matching import access, events
from ettervern.matching.models import Exclusion, PauseCover, PeerPause
from ettervern.participants.models import Participant
from ettervern.peers.models import PeerWorker
from ettervern.peers.selectors import peers_with_load
from ettervern.peers.services import peer_set_resource_status

Action = AuditEvent.Action
# How far ahead a pause may be asked for or planned.
LONGEST_AHEAD_DAYS = 366


def _require_coordinator(actor: User, programme_id: int) -> None:
    if programme_id not in programme_ids_for_role(actor, Role.COORDINATOR):
        raise ValidationError(_("Only the programme's coordinator can do this."))


def _check_dates(starts_on: dt.date, expected_return_on: dt.date) -> None:
    today = timezone.localdate()
    if expected_return_on < starts_on:
        raise ValidationError(_("The pause cannot end before it starts."))
    if starts_on > today + dt.timedelta(days=LONGEST_AHEAD_DAYS):
        raise ValidationError(_("A pause can be planned at most a year ahead."))
    if expected_return_on < today:
        raise ValidationError(_("The expected return date has already passed."))


def open_pause(peer: PeerWorker) -> PeerPause | None:
    """The peer's requested or approved pause, if any."""
    return PeerPause.objects.filter(peer=peer, status__in=PeerPause.OPEN).first()


def held_participants(peer: PeerWorker) -> QuerySet[Participant]:
    """The participants the peer's current matches hold, by name."""
    ids = access.current_matches().filter(peer=peer).values("participant_id")
    return Participant.objects.filter(pk__in=ids).order_by("name")


def cover_candidates(peer: PeerWorker) -> QuerySet[PeerWorker]:
    """Who may cover for ``peer``: active peers of the same programme with the course completed
    (advisors need none). Capacity is checked when the cover is set."""
    return (
        PeerWorker.objects.filter(
            programme_id=peer.programme_id,
            resource_status=PeerWorker.ResourceStatus.ACTIVE,
        )
        .exclude(pk=peer.pk)
        .filter(Q(kind=PeerWorker.Kind.ADVISOR) | Q(course_completed_on__isnull=False))
        .select_related("user")
        .order_by("user__name")
    )


def _check_cover(*, pause: PeerPause, participant: Participant, cover: PeerWorker, extra: int):
    """Refuse a cover who may not take the participant; ``extra`` covers already given to the same
    peer in this request. Locks the cover's row first (capacity is a limit)."""
    PeerWorker.objects.select_for_update().filter(pk=cover.pk).values_list("pk").get()
    loaded = peers_with_load(PeerWorker.objects.filter(pk=cover.pk)).select_related("user").get()
    covering = (
        PauseCover.objects.filter(cover_id=cover.pk, pause__status=PeerPause.Status.APPROVED)
        .exclude(pause_id=pause.pk, participant=participant)
        .count()
    )
    name = loaded.user.name
    if loaded.pk == pause.peer_id or loaded.programme_id != pause.programme_id:
        raise ValidationError(_("Choose another peer worker of the programme to cover."))
    if loaded.resource_status != PeerWorker.ResourceStatus.ACTIVE:
        raise ValidationError(
            _("%(name)s is not active in the resource base (paused or ended) and cannot cover.")
            % {"name": name}
        )
    if not loaded.user.is_active or loaded.pk not in set(
        cover_candidates(pause.peer).values_list("pk", flat=True)
    ):
        raise ValidationError(
            _("%(name)s has not completed the peer course or has no login, and cannot cover.")
            % {"name": name}
        )
    if loaded.load + covering + extra >= loaded.max_participants:
        raise ValidationError(
            _("%(name)s already follows as many participants as possible (%(max)s).")
            % {"name": name, "max": loaded.max_participants}
        )
    if Exclusion.objects.filter(participant=participant, peer=loaded).exists():
        raise ValidationError(
            _("%(name)s must not follow %(participant)s (an exclusion is registered).")
            % {"name": name, "participant": participant.name}
        )


def _set_covers(*, actor: User, pause: PeerPause, covers: dict[int, PeerWorker]) -> None:
    held = {p.pk: p for p in held_participants(pause.peer)}
    given: dict[int, int] = {}
    for participant_id, cover in sorted(covers.items()):
        if cover is None:
            continue
        participant = held.get(participant_id)
        if participant is None:
            raise ValidationError(_("Only the paused peer worker's participants can be covered."))
        _check_cover(
            pause=pause, participant=participant, cover=cover, extra=given.get(cover.pk, 0)
        )
        given[cover.pk] = given.get(cover.pk, 0) + 1
        row, _created = PauseCover.objects.update_or_create(
            pause=pause,
            participant=participant,
            defaults={
                "cover": cover,
                "organisation_id": pause.organisation_id,
                "programme_id": pause.programme_id,
                "created_by": actor,
            },
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=row,
            event=events.PAUSE_COVER_SET,
            data={
                "cover_peer_id": cover.pk,
                "pause_id": pause.pk,
                "expected_return_on": pause.expected_return_on.isoformat(),
            },
        )


def _create(*, peer: PeerWorker, actor: User, status: str, **fields) -> PeerPause:
    # Serialise on the peer: one open pause per peer (the constraint decides a race on SQLite).
    PeerWorker.objects.select_for_update().filter(pk=peer.pk).values_list("pk").get()
    if open_pause(peer) is not None:
        raise ValidationError(_("There is already a pause asked for or in effect."))
    try:
        with transaction.atomic():
            return PeerPause.objects.create(
                organisation_id=peer.organisation_id,
                programme_id=peer.programme_id,
                peer=peer,
                status=status,
                requested_by=actor,
                **fields,
            )
    except IntegrityError:
        raise ValidationError(_("There is already a pause asked for or in effect.")) from None


@once_per_submission(PeerPause)
@transaction.atomic
def pause_request(
    *,
    actor: User,
    peer: PeerWorker,
    reason: str,
    starts_on: dt.date,
    expected_return_on: dt.date,
) -> PeerPause:
    """The peer asks for a pause from her own page; the coordinator approves it."""
    if peer.user_id != actor.pk:
        raise ValidationError(_("You can only do this for yourself."))
    if reason not in PeerPause.Reason.values:
        raise ValidationError(_("Choose a reason."))
    _check_dates(starts_on, expected_return_on)
    pause = _create(
        peer=peer,
        actor=actor,
        status=PeerPause.Status.REQUESTED,
        reason=reason,
        starts_on=starts_on,
        expected_return_on=expected_return_on,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=pause,
        event=events.PAUSE_REQUESTED,
        data={
            "peer_id": peer.pk,
            "starts_on": starts_on.isoformat(),
            "expected_return_on": expected_return_on.isoformat(),
        },
    )
    return pause


def _approve(*, actor: User, pause: PeerPause, covers: dict[int, PeerWorker]) -> PeerPause:
    pause.status = PeerPause.Status.APPROVED
    pause.decided_by, pause.decided_at = actor, timezone.now()
    pause.save(update_fields=["status", "decided_by", "decided_at"])
    peer = pause.peer
    if peer.resource_status == PeerWorker.ResourceStatus.ACTIVE:
        # No new participants from now; her current ones stay matched with her.
        peer_set_resource_status(actor=actor, peer=peer, status=PeerWorker.ResourceStatus.PAUSED)
    elif peer.resource_status != PeerWorker.ResourceStatus.PAUSED:
        raise ValidationError(_("Only a peer worker in the resource base can have a pause."))
    _set_covers(actor=actor, pause=pause, covers=covers)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=pause,
        event=events.PAUSE_STARTED,
        data={
            "peer_id": peer.pk,
            "starts_on": pause.starts_on.isoformat(),
            "expected_return_on": pause.expected_return_on.isoformat(),
            "requested": pause.requested_by_id == peer.user_id,
        },
    )
    return pause


@once_per_submission(PeerPause)
@transaction.atomic
def pause_start(
    *,
    actor: User,
    peer: PeerWorker,
    reason: str,
    starts_on: dt.date,
    expected_return_on: dt.date,
    covers: dict[int, PeerWorker] | None = None,
) -> PeerPause:
    """The coordinator pauses a peer, with a cover for any of her participants
    (``{participant id: cover peer}``). Those without a cover are flagged at once."""
    _require_coordinator(actor, peer.programme_id)
    if reason not in PeerPause.Reason.values:
        raise ValidationError(_("Choose a reason."))
    _check_dates(starts_on, expected_return_on)
    pause = _create(
        peer=peer,
        actor=actor,
        status=PeerPause.Status.REQUESTED,
        reason=reason,
        starts_on=starts_on,
        expected_return_on=expected_return_on,
    )
    pause.peer = PeerWorker.objects.get(pk=peer.pk)
    return _approve(actor=actor, pause=pause, covers=covers or {})


@transaction.atomic
def pause_approve(
    *, actor: User, pause: PeerPause, covers: dict[int, PeerWorker] | None = None
) -> PeerPause:
    """Approve a peer's request, with covers as ``pause_start``."""
    _require_coordinator(actor, pause.programme_id)
    pause = PeerPause.objects.select_for_update().select_related("peer").get(pk=pause.pk)
    if pause.status != PeerPause.Status.REQUESTED:
        raise ValidationError(_("This pause has already been decided."))
    if pause.expected_return_on < timezone.localdate():
        raise ValidationError(_("The expected return date has already passed."))
    return _approve(actor=actor, pause=pause, covers=covers or {})


@transaction.atomic
def pause_decline(*, actor: User, pause: PeerPause) -> PeerPause:
    _require_coordinator(actor, pause.programme_id)
    pause = PeerPause.objects.select_for_update().get(pk=pause.pk)
    if pause.status != PeerPause.Status.REQUESTED:
        raise ValidationError(_("This pause has already been decided."))
    pause.status = PeerPause.Status.DECLINED
    pause.decided_by, pause.decided_at = actor, timezone.now()
    pause.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=pause,
        event=events.PAUSE_DECLINED,
        data={"peer_id": pause.peer_id},
    )
    return pause


@transaction.atomic
def pause_covers_set(*, actor: User, pause: PeerPause, covers: dict[int, PeerWorker]) -> PeerPause:
    """Give (or change) covers during an approved pause."""
    _require_coordinator(actor, pause.programme_id)
    pause = PeerPause.objects.select_for_update().select_related("peer").get(pk=pause.pk)
    if pause.status != PeerPause.Status.APPROVED:
        raise ValidationError(_("Covers can only be given while the pause is in effect."))
    _set_covers(actor=actor, pause=pause, covers=covers)
    return pause


@transaction.atomic
def pause_end(*, actor: User, pause: PeerPause, reactivate: bool = True) -> PeerPause:
    """The peer is back: the pause and its covers end, and her place in the resource base is
    active again (unless ``reactivate`` is false: the status was changed by other means)."""
    _require_coordinator(actor, pause.programme_id)
    pause = PeerPause.objects.select_for_update().select_related("peer").get(pk=pause.pk)
    if pause.status != PeerPause.Status.APPROVED:
        raise ValidationError(_("Only a pause in effect can end."))
    today = timezone.localdate()
    pause.status = PeerPause.Status.ENDED
    pause.ended_on = max(today, pause.starts_on)
    pause.save(update_fields=["status", "ended_on"])
    if reactivate and pause.peer.resource_status == PeerWorker.ResourceStatus.PAUSED:
        peer_set_resource_status(
            actor=actor, peer=pause.peer, status=PeerWorker.ResourceStatus.ACTIVE
        )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=pause,
        event=events.PAUSE_ENDED,
        data={"peer_id": pause.peer_id, "ended_on": pause.ended_on.isoformat()},
    )
    return pause


def covers_of(pause: PeerPause) -> dict[int, PauseCover]:
    """{participant id: cover} of one pause."""
    return {c.participant_id: c for c in pause.covers.select_related("cover__user")}


def pauses_visible_to(user: User) -> QuerySet[PeerPause]:
    """Pauses of the peers a coordinator coordinates."""
    if not user.is_authenticated:
        return PeerPause.objects.none()
    return PeerPause.objects.filter(programme_id__in=programme_ids_for_role(user, Role.COORDINATOR))


def get_pause_for_user(user: User, pk: int) -> PeerPause:
    """A pause for its peer's coordinator, or 404 (the refusal audited)."""
    pause = pauses_visible_to(user).select_related("peer__user", "programme").filter(pk=pk).first()
    if pause is None:
        audit_denied(actor=user, object_type="matching.peerpause", object_id=pk)
        raise Http404
    return pause


def covered_for(user: User) -> list[PauseCover]:
    """The covers a peer worker holds now, for her home page."""
    return list(
        access.covers_in_effect()
        .filter(cover__user=user, cover__resource_status=PeerWorker.ResourceStatus.ACTIVE)
        .filter(participant__in=access.participants_for(user, access.Need.COVER))
        .select_related("participant", "pause__peer__user")
        .order_by("participant__name")
    )


def cover_now(participant: Participant, match) -> PauseCover | None:
    """Who covers the participant now while her peer worker is on pause, if anyone."""
    return (
        access.covers_in_effect()
        .filter(participant=participant, pause__peer_id=match.peer_id)
        .select_related("cover__user", "pause")
        .first()
    )
