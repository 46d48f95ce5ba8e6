"""Reads of peer worker profiles: special-category data about employees."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Max, Q, QuerySet, Window
from django.http import Http404
from django.utils import timezone

from ettervern.accounts.models import Role, User
from ettervern.accounts.selectors import programme_ids_for_role, programmes_for_role
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_denied, audit_record
from ettervern.lib.periods import month_of, months_before
from ettervern.peers import events
from ettervern.peers.models import (
    Candidate,
    CheckIn,
    ConversationRequest,
    Course,
    CourseSession,
    GroupSupervision,
    PeerWorker,
    Supervision,
)


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


def with_load(qs: QuerySet[PeerWorker]) -> QuerySet[PeerWorker]:
    """The same ``load`` as ``peers_with_load``, as the match services keep it on the peer's
    row (``held_slots``): for lists, without counting matches."""
    return qs.annotate(load=F("held_slots"))


def get_peer_for_user(user: User, pk: int, *, audit: bool = True) -> PeerWorker:
    peer = peers_visible_to(user).select_related("user", "programme").filter(pk=pk).first()
    if peer is None:
        audit_denied(actor=user, object_type="peers.peerworker", object_id=pk)
        raise Http404
    if audit:
        audit_record(actor=user, action=AuditEvent.Action.READ, obj=peer)
    return peer


# --- who coordinates whom ----------------------------------------------------------------------


def coordinates(user: User, programme_id: int) -> bool:
    return programme_id in programme_ids_for_role(user, Role.COORDINATOR)


def is_own_profile(user: User, peer: PeerWorker) -> bool:
    return peer.user_id == user.pk


def own_peer_profiles(user: User) -> QuerySet[PeerWorker]:
    """The user's own peer profiles in programmes where they hold the peer worker role."""
    if not user.is_authenticated:
        return PeerWorker.objects.none()
    return PeerWorker.objects.filter(
        user=user, programme_id__in=programme_ids_for_role(user, Role.PEER_WORKER)
    )


def _coordinated(model, user: User) -> QuerySet:
    if not user.is_authenticated:
        return model.objects.none()
    return model.objects.filter(programme_id__in=programme_ids_for_role(user, Role.COORDINATOR))


def _get_coordinated(model, user: User, pk: int):
    obj = _coordinated(model, user).filter(pk=pk).first()
    if obj is None:
        audit_denied(actor=user, object_type=model._meta.label_lower, object_id=pk)
        raise Http404
    return obj


# --- recruitment and course --------------------------------------------------------------------


def candidates_visible_to(user: User) -> QuerySet[Candidate]:
    return _coordinated(Candidate, user)


def get_candidate_for_user(user: User, pk: int) -> Candidate:
    candidate = _get_coordinated(Candidate, user, pk)
    audit_record(actor=user, action=AuditEvent.Action.READ, obj=candidate)
    return candidate


def courses_visible_to(user: User) -> QuerySet[Course]:
    return _coordinated(Course, user)


def get_course_for_user(user: User, pk: int) -> Course:
    return _get_coordinated(Course, user, pk)


def group_supervisions_visible_to(user: User) -> QuerySet[GroupSupervision]:
    return _coordinated(GroupSupervision, user)


def get_group_supervision_for_user(user: User, pk: int) -> GroupSupervision:
    return _get_coordinated(GroupSupervision, user, pk)


@dataclass(frozen=True)
class AttendanceShare:
    attended: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.attended / self.total) if self.total else 0


def attendance_share(candidate: Candidate, *, until: dt.date | None = None) -> AttendanceShare:
    """Sessions of her course held up to ``until`` (today), and how many she attended."""
    if candidate.course_id is None:
        return AttendanceShare(0, 0)
    until = until or timezone.localdate()
    sessions = CourseSession.objects.filter(course_id=candidate.course_id, held_on__lte=until)
    return AttendanceShare(
        attended=sessions.filter(attendees=candidate).count(), total=sessions.count()
    )


# --- supervision and check-ins: the peer and their coordinator only ----------------------------


def supervisions_for(user: User, peer: PeerWorker) -> list[Supervision]:
    """Supervisions of a peer the user may open (``get_peer_for_user`` first).

    Each row gets ``show_notes``: the notes are for the coordinator who held the conversation and
    the peer only. Reading them is audited (without their content).
    """
    rows = list(
        Supervision.objects.filter(peer=peer, programme_id=peer.programme_id).select_related(
            "coordinator"
        )
    )
    for row in rows:
        row.show_notes = user.pk in (row.coordinator_id, peer.user_id)
    shown = [r.pk for r in rows if r.show_notes and r.notes]
    if rows:
        audit_record(
            actor=user,
            action=AuditEvent.Action.READ,
            object_type="peers.supervision",
            organisation_id=peer.organisation_id,
            programme_id=peer.programme_id,
            summary=f"supervisions of peer {peer.pk}",
            event=events.SUPERVISIONS_READ,
            data={"peer_id": peer.pk, "notes_shown": shown},
        )
    return rows


def checkins_for(user: User, peer: PeerWorker, *, limit: int = 20) -> list[CheckIn]:
    """A peer's check-ins for the peer or their coordinator; reading them is audited."""
    if not (is_own_profile(user, peer) or coordinates(user, peer.programme_id)):
        raise Http404
    rows = list(CheckIn.objects.filter(peer=peer)[:limit])
    if rows:
        audit_record(
            actor=user,
            action=AuditEvent.Action.READ,
            object_type="peers.checkin",
            organisation_id=peer.organisation_id,
            programme_id=peer.programme_id,
            summary=f"check-ins of peer {peer.pk}",
            event=events.CHECKINS_READ,
            data={"peer_id": peer.pk, "count": len(rows)},
        )
    return rows


def checkin_due(peer: PeerWorker, now: dt.datetime | None = None) -> bool:
    """A gentle prompt once the last check-in (or joining) is older than the programme's setting."""
    now = now or timezone.now()
    last = peer.checkins.aggregate(last=Max("submitted_at"))["last"] or peer.created_at
    return now - last >= dt.timedelta(days=peer.programme.checkin_prompt_days)


def open_conversation_request(peer: PeerWorker) -> ConversationRequest | None:
    return peer.conversation_requests.filter(resolved_at__isnull=True).first()


# --- group supervision -------------------------------------------------------------------------


def _day_after(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


# How many of the peers who missed group supervision are named (the rest are counted).
ABSENT_SHOWN = 20


@dataclass
class GroupSupervisionStatus:
    programme_id: int
    programme_name: str
    this_month: list[GroupSupervision]
    absent: list[PeerWorker]  # active peers who attended none in the last two months (first)
    absent_total: int = 0

    @property
    def absent_more(self) -> int:
        return max(0, self.absent_total - len(self.absent))

    @property
    def missing_this_month(self) -> bool:
        return not self.this_month


def group_supervision_status(
    user: User, today: dt.date | None = None
) -> list[GroupSupervisionStatus]:
    """Per coordinated programme: group supervision held or planned this month, and who has not
    attended any in the last two months (only peers admitted to the resource base that long ago)."""
    today = today or timezone.localdate()
    month = month_of(today)
    since = months_before(today, 2)
    programmes = programmes_for_role(user, Role.COORDINATOR).order_by("name")
    sessions = list(
        group_supervisions_visible_to(user).filter(held_on__gte=month.start, held_on__lte=month.end)
    )
    # A subquery, never a list of ids: SQLite refuses more than a few thousand parameters.
    attended = GroupSupervision.attendees.through.objects.filter(
        groupsupervision__programme__in=programmes,
        groupsupervision__held_on__gte=since,
        groupsupervision__held_on__lte=today,
    ).values("peerworker_id")
    absent = (
        PeerWorker.objects.filter(
            resource_status=PeerWorker.ResourceStatus.ACTIVE,
            # From admission to the resource base (the profile's creation), not from the course:
            # a peer admitted today has had no chance to attend yet.
            created_at__lt=_day_after(since),
        )
        .exclude(pk__in=attended)
        .select_related("user")
        .order_by("user__name", "pk")
    )
    rows = []
    for p in programmes:
        # The first names and how many in all, in one query per programme.
        shown = list(
            absent.filter(programme=p).annotate(absent_total=Window(Count("pk")))[:ABSENT_SHOWN]
        )
        rows.append(
            GroupSupervisionStatus(
                programme_id=p.pk,
                programme_name=p.name,
                this_month=[s for s in sessions if s.programme_id == p.pk],
                absent=shown,
                absent_total=shown[0].absent_total if shown else 0,
            )
        )
    return rows
