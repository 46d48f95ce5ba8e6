"""Reads of peer worker profiles: special-category data about employees."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from ettervern.accounts.models import Role, User
from ettervern.accounts.selectors import programme_ids_for_role, programmes_for_role
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_denied, audit_record
from ettervern.peers import budget, events
from ettervern.peers.models import (
    Candidate,
    CheckIn,
    ConversationRequest,
    Course,
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


# --- time budget -------------------------------------------------------------------------------


def _shares(peer_ids) -> dict[int, list[budget.Share]]:
    """Position shares from the matches. A paused match whose slot was freed holds no share."""
    from ettervern.matching.models import Match

    shares: dict[int, list[budget.Share]] = {}
    rows = (
        # Every match that began (not a proposal) takes its share of the budget while it runs.
        Match.objects.filter(peer_id__in=peer_ids)
        .exclude(status=Match.Status.PROPOSED)
        .exclude(started_on__isnull=True)
        .exclude(status="paused", frees_slot=True)
        .values_list("peer_id", "started_on", "ended_on")
    )
    for peer_id, started, ended in rows:
        shares.setdefault(peer_id, []).append(budget.Share(started, ended))
    return shares


def _contact_rows(peer_ids, period: budget.Period) -> dict[int, list[budget.ContactRow]]:
    from ettervern.followup.models import Contact

    start, end = period.bounds()
    rows: dict[int, list[budget.ContactRow]] = {}
    for peer_id, *values in Contact.objects.filter(
        peer_id__in=peer_ids, occurred_at__gte=start, occurred_at__lt=end
    ).values_list("peer_id", "occurred_at", "duration_minutes", "outcome", "participant_id"):
        rows.setdefault(peer_id, []).append(budget.ContactRow(*values))
    return rows


@dataclass
class TimeBudget:
    weeks: list[budget.Budget]
    months: list[budget.Budget]
    balance: str
    hours_per_week: Decimal


def time_budget(peer: PeerWorker, today: dt.date | None = None) -> TimeBudget:
    """Weeks (the current and five before) and months (the current and two before)."""
    today = today or timezone.localdate()
    this_week = budget.week_of(today)
    weeks = [budget.week_of(this_week.start - dt.timedelta(weeks=n)) for n in range(5, -1, -1)]
    months = [budget.month_of(budget.months_before(today, n)) for n in range(2, -1, -1)]
    span = budget.Period(min(weeks[0].start, months[0].start), max(weeks[-1].end, months[-1].end))
    shares = _shares([peer.pk]).get(peer.pk, [])
    contacts = _contact_rows([peer.pk], span).get(peer.pk, [])
    hours = peer.programme.hours_per_participant_week
    week_budgets = [budget.budget_for(w, shares, contacts, hours) for w in weeks]
    full = [budget.budget_for(w, shares, contacts, hours) for w in budget.last_full_weeks(today)]
    return TimeBudget(
        weeks=list(reversed(week_budgets)),
        months=list(reversed([budget.budget_for(m, shares, contacts, hours) for m in months])),
        balance=budget.balance(full),
        hours_per_week=hours,
    )


# --- the coordinator's overview ----------------------------------------------------------------


@dataclass
class OverviewRow:
    peer: PeerWorker
    load: int
    month: budget.Budget
    balance: str
    last_supervision: dt.date | None
    last_checkin: dt.datetime | None
    participants: list[str]

    @property
    def capacity_percent(self) -> int:
        return (
            round(100 * self.load / self.peer.max_participants) if self.peer.max_participants else 0
        )


OVERVIEW_SORTS = {
    "name": lambda r: r.peer.user.name.lower(),
    "status": lambda r: r.peer.resource_status,
    "capacity": lambda r: r.capacity_percent,
    "hours": lambda r: r.month.ratio if r.month.ratio is not None else Decimal(-1),
    "supervision": lambda r: r.last_supervision or dt.date.min,
    "checkin": lambda r: r.last_checkin.date() if r.last_checkin else dt.date.min,
}


def peer_overview(
    user: User,
    *,
    today: dt.date | None = None,
    status: str = "",
    balance: str = "",
    query: str = "",
    sort: str = "name",
) -> list[OverviewRow]:
    """The resource base as a table for coordinators, in a fixed number of queries."""
    from ettervern.matching.access import current_matches

    today = today or timezone.localdate()
    qs = peers_with_load(
        PeerWorker.objects.filter(programme_id__in=programme_ids_for_role(user, Role.COORDINATOR))
    ).select_related("user", "programme")
    if status:
        qs = qs.filter(resource_status=status)
    if query:
        qs = qs.filter(user__name__icontains=query)
    qs = qs.annotate(
        last_supervision=Subquery(
            Supervision.objects.filter(peer=OuterRef("pk"))
            .order_by("-held_on")
            .values("held_on")[:1]
        ),
        last_checkin=Subquery(
            CheckIn.objects.filter(peer=OuterRef("pk"))
            .order_by("-submitted_at")
            .values("submitted_at")[:1]
        ),
    )
    peers = list(qs)
    ids = [p.pk for p in peers]
    month = budget.month_of(today)
    weeks = budget.last_full_weeks(today)
    span = budget.Period(min(month.start, weeks[0].start), max(month.end, weeks[-1].end))
    shares = _shares(ids)
    contacts = _contact_rows(ids, span)
    names: dict[int, list[str]] = {}
    for peer_id, name in (
        current_matches()
        .filter(peer_id__in=ids)
        .order_by("participant__name")
        .values_list("peer_id", "participant__name")
    ):
        names.setdefault(peer_id, []).append(name)
    rows = []
    for peer in peers:
        hours = peer.programme.hours_per_participant_week
        own_shares, own_contacts = shares.get(peer.pk, []), contacts.get(peer.pk, [])
        full = [budget.budget_for(w, own_shares, own_contacts, hours) for w in weeks]
        rows.append(
            OverviewRow(
                peer=peer,
                load=peer.load,
                month=budget.budget_for(month, own_shares, own_contacts, hours),
                balance=budget.balance(full),
                last_supervision=peer.last_supervision,
                last_checkin=peer.last_checkin,
                participants=names.get(peer.pk, []),
            )
        )
    if balance:
        rows = [r for r in rows if r.balance == balance]
    key = sort.removeprefix("-")
    rows.sort(key=OVERVIEW_SORTS.get(key, OVERVIEW_SORTS["name"]), reverse=sort.startswith("-"))
    return rows


# --- group supervision -------------------------------------------------------------------------


@dataclass
class GroupSupervisionStatus:
    programme_id: int
    programme_name: str
    this_month: list[GroupSupervision]
    absent: list[PeerWorker]  # active peers who attended none in the last two months

    @property
    def missing_this_month(self) -> bool:
        return not self.this_month


def group_supervision_status(
    user: User, today: dt.date | None = None
) -> list[GroupSupervisionStatus]:
    """Per coordinated programme: group supervision held or planned this month, and who has not
    attended any in the last two months (only peers in the resource base that long)."""
    today = today or timezone.localdate()
    month = budget.month_of(today)
    since = budget.months_before(today, 2)
    programmes = programmes_for_role(user, Role.COORDINATOR).order_by("name")
    sessions = list(
        group_supervisions_visible_to(user).filter(held_on__gte=month.start, held_on__lte=month.end)
    )
    attended = set(
        GroupSupervision.attendees.through.objects.filter(
            groupsupervision__programme__in=programmes,
            groupsupervision__held_on__gte=since,
            groupsupervision__held_on__lte=today,
        ).values_list("peerworker_id", flat=True)
    )
    peers = list(
        PeerWorker.objects.filter(
            programme__in=programmes,
            resource_status=PeerWorker.ResourceStatus.ACTIVE,
            course_completed_on__lte=since,
        )
        .exclude(pk__in=attended)
        .select_related("user")
        .order_by("user__name")
    )
    return [
        GroupSupervisionStatus(
            programme_id=p.pk,
            programme_name=p.name,
            this_month=[s for s in sessions if s.programme_id == p.pk],
            absent=[peer for peer in peers if peer.programme_id == p.pk],
        )
        for p in programmes
    ]
