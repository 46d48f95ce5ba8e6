"""Reads of the job programme, scoped to who asks.

- coordinator: everything in their programmes;
- peer worker (advisor): placements of participants they are currently matched with;
- participant: their own placements;
- employer contact: placements where they are the named (active) contact person, and only the
  agreement, meetings and actions of those (never goals, contacts or relapse notes).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Least
from django.db.models.lookups import LessThanOrEqual
from django.http import Http404
from django.utils import timezone

from ettervern.accounts.models import Role, User
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_denied, audit_record
from ettervern.employment.models import (
    AgreementVersion,
    Company,
    Confirmation,
    IntentAgreement,
    Meeting,
    MeetingAction,
    Party,
    Placement,
    RelapseEvent,
)
from ettervern.followup.models import Contact
from ettervern.matching.access import Need, access_for, participants_for

# A meeting is "due" this many days before the rhythm says it should be held.
DUE_AHEAD_DAYS = 7
# A held meeting is "on rhythm" when it came at most this many days after it was due.
RHYTHM_SLACK_DAYS = 7


# --- companies ---------------------------------------------------------------------------------


def companies_visible_to(user: User) -> QuerySet[Company]:
    """The programme's partner companies: for coordinators and advisors (not case data)."""
    ids = programme_ids_for_role(user, Role.COORDINATOR, Role.PEER_WORKER)
    return Company.objects.filter(programme_id__in=ids)


def with_capacity(companies: QuerySet[Company], day: dt.date | None = None) -> QuerySet[Company]:
    """Annotate ``places`` (in intent agreements valid on ``day``), ``active`` placements and
    ``open_places`` (may be negative when more are in work than agreed)."""
    day = day or timezone.localdate()
    places = (
        IntentAgreement.objects.filter(company=OuterRef("pk"), valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .values("company")
        .annotate(total=Sum("places"))
        .values("total")
    )
    active = (
        Placement.objects.filter(company=OuterRef("pk"), ended_on__isnull=True)
        .values("company")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return companies.annotate(
        places=Coalesce(Subquery(places, output_field=IntegerField()), 0),
        active=Coalesce(Subquery(active, output_field=IntegerField()), 0),
    ).annotate(open_places=F("places") - F("active"))


def get_company_for_user(user: User, pk: int, *, for_write: bool = False) -> Company:
    qs = (
        Company.objects.filter(programme_id__in=programme_ids_for_role(user, Role.COORDINATOR))
        if for_write
        else companies_visible_to(user)
    )
    company = qs.filter(pk=pk).first()
    if company is None:
        audit_denied(actor=user, object_type="employment.company", object_id=pk)
        raise Http404
    return company


# --- placements --------------------------------------------------------------------------------


def _employer_programme_ids(user: User) -> list[int]:
    return programme_ids_for_role(user, Role.EMPLOYER_CONTACT)


def placements_visible_to(user: User) -> QuerySet[Placement]:
    if not user.is_authenticated:
        return Placement.objects.none()
    # Coordinators, the currently matched advisor and the participant (the access module).
    q = Q(participant__in=participants_for(user, Need.CURRENT).values("pk"))
    employer_programmes = _employer_programme_ids(user)
    if employer_programmes:
        # The employer contact is a party to the placements where they are the named contact.
        q |= Q(
            programme_id__in=employer_programmes,
            contact_person__user=user,
            contact_person__is_active=True,
        )
    return Placement.objects.filter(q)


@dataclass(frozen=True)
class Access:
    """What the asking user may do with one placement."""

    manage: bool  # coordinator of the programme or the currently matched advisor
    party: str  # the party the user confirms as, "" when none
    coordinator: bool

    @property
    def employer_only(self) -> bool:
        """An employer contact: sees the agreement, meetings and actions, nothing else."""
        return self.party == Party.EMPLOYER and not self.manage


def access_to(user: User, placement: Placement) -> Access:
    """The participant's access answer, narrowed to this placement: the employer contact is a
    party only to the placements where they are the named, active contact person."""
    answer = access_for(user, placement.participant)
    party = ""
    if answer.current_peer:
        party = Party.ADVISOR
    elif answer.own_record:
        party = Party.PARTICIPANT
    elif (
        answer.employer_contact
        and placement.contact_person.user_id == user.pk
        and placement.contact_person.is_active
    ):
        party = Party.EMPLOYER
    return Access(manage=answer.follow, party=party, coordinator=answer.coordinate)


def get_placement_for_user(user: User, pk: int, *, for_write: bool = False) -> Placement:
    """The placement, or 404 (audited). ``for_write``: only coordinators and the advisor."""
    placement = (
        placements_visible_to(user)
        .select_related("participant", "company", "contact_person", "advisor__user", "programme")
        .filter(pk=pk)
        .first()
    )
    if placement is None or (for_write and not access_to(user, placement).manage):
        audit_denied(actor=user, object_type="employment.placement", object_id=pk)
        raise Http404
    audit_record(actor=user, action=AuditEvent.Action.READ, obj=placement)
    return placement


def placements_for_list(user: User) -> QuerySet[Placement]:
    return placements_visible_to(user).select_related(
        "participant", "company", "contact_person", "advisor__user"
    )


# --- agreement versions ------------------------------------------------------------------------


def current_version(placement: Placement) -> AgreementVersion | None:
    return (
        placement.versions.prefetch_related(
            Prefetch("confirmations", queryset=Confirmation.objects.select_related("confirmed_by"))
        )
        .order_by("-number")
        .first()
    )


def is_in_force(version: AgreementVersion | None) -> bool:
    """In force only when all three parties have confirmed this very version."""
    if version is None:
        return False
    return {c.party for c in version.confirmations.all()} == set(Party.values)


def signed_version(placement: Placement) -> AgreementVersion | None:
    """The latest version that all three confirmed (may be older than the current draft)."""
    for version in placement.versions.prefetch_related(
        Prefetch("confirmations", queryset=Confirmation.objects.select_related("confirmed_by"))
    ).order_by("-number"):
        if is_in_force(version):
            return version
    return None


def relapse_sharing_agreed(placement: Placement) -> bool:
    """Whether the employer may be told of a relapse: the agreement in force (confirmed by all
    three, so by the participant) says so, and no newer draft takes it back. A draft nobody but
    the advisor has confirmed never widens what the employer learns."""
    signed = signed_version(placement)
    if signed is None or not signed.share_relapse_with_employer:
        return False
    current = placement.versions.order_by("-number").first()
    return current.share_relapse_with_employer


def with_end_reason_shown(user: User, placements: QuerySet[Placement]) -> QuerySet[Placement]:
    """Annotate ``relapse_hidden``: the placement ended because of a relapse, the user sees it
    only as the employer contact, and no relapse was shared with the employer. The reason is
    then shown as a plain end, so the end reason never tells what the participant did not."""
    sees_case = participants_for(user, Need.CURRENT).filter(pk=OuterRef("participant_id"))
    shared = RelapseEvent.objects.filter(placement=OuterRef("pk"), shared_with_employer=True)
    return placements.annotate(
        relapse_hidden=ExpressionWrapper(
            Q(end_reason=Placement.EndReason.RELAPSE) & ~Exists(sees_case) & ~Exists(shared),
            output_field=BooleanField(),
        )
    )


# --- meetings and actions ----------------------------------------------------------------------


def get_meeting_for_user(user: User, pk: int, *, for_write: bool = False) -> Meeting:
    meeting = (
        Meeting.objects.filter(placement__in=placements_visible_to(user).values("pk"))
        .select_related("placement__participant", "placement__company", "version")
        .filter(pk=pk)
        .first()
    )
    if meeting is None or (for_write and not access_to(user, meeting.placement).manage):
        audit_denied(actor=user, object_type="employment.meeting", object_id=pk)
        raise Http404
    audit_record(
        actor=user,
        action=AuditEvent.Action.READ,
        obj=meeting,
        participant_id=meeting.placement.participant_id,
    )
    return meeting


def get_action_for_user(user: User, pk: int) -> MeetingAction:
    action = (
        MeetingAction.objects.filter(placement__in=placements_visible_to(user).values("pk"))
        .select_related("placement__participant", "placement__company")
        .filter(pk=pk)
        .first()
    )
    if action is None:
        audit_denied(actor=user, object_type="employment.meetingaction", object_id=pk)
        raise Http404
    return action


# --- what needs attention ----------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingDue:
    placement: Placement
    due_on: dt.date
    overdue: bool
    planned: Meeting | None  # a planned meeting that has not been recorded yet


def with_rhythm(placements: QuerySet[Placement]) -> QuerySet[Placement]:
    return placements.prefetch_related(
        Prefetch(
            "versions",
            queryset=AgreementVersion.objects.order_by("-number").prefetch_related("confirmations"),
        ),
        Prefetch("meetings", queryset=Meeting.objects.order_by("scheduled_for", "id")),
    )


def next_meeting_due(placement: Placement) -> MeetingDue | None:
    """When the rhythm of the agreement says the next meeting is due (needs prefetched data)."""
    versions = list(placement.versions.all())
    if not versions or not placement.is_active:
        return None
    interval = versions[0].meeting_interval_days
    meetings = list(placement.meetings.all())
    planned = [m for m in meetings if m.status == Meeting.Status.PLANNED]
    held = [m.held_on for m in meetings if m.status == Meeting.Status.HELD and m.held_on]
    last = max(held) if held else placement.started_on
    due = last + dt.timedelta(days=interval)
    today = timezone.localdate()
    if planned:
        first = planned[0]
        return MeetingDue(placement, first.scheduled_for, first.scheduled_for < today, first)
    return MeetingDue(placement, due, due < today, None)


def meetings_needing_attention(user: User) -> list[MeetingDue]:
    """Active placements whose next triangle meeting is overdue or due within a week."""
    today = timezone.localdate()
    placements = with_rhythm(
        placements_for_list(user).filter(ended_on__isnull=True, versions__isnull=False).distinct()
    )
    items = []
    for placement in placements:
        due = next_meeting_due(placement)
        if due and due.due_on <= today + dt.timedelta(days=DUE_AHEAD_DAYS):
            items.append(due)
    return sorted(items, key=lambda d: d.due_on)


@dataclass(frozen=True)
class MissingContacts:
    placement: Placement
    days: list[dt.date]  # days of intensified follow-up so far without a held contact


def job_starts_without_contact(user: User) -> list[MissingContacts]:
    """Placements in intensified follow-up (a new job, after a relapse) with days on which no
    contact was logged. For coordinators and advisors; the employer never sees contacts.

    The period runs from the job start (or the latest relapse) to ``intensified_until``. The
    follow-up stepped up by a relapse is about the person, not the job: it goes on after the
    placement ends (often because of the relapse), until the relapse's own end date.
    """
    today = timezone.localdate()
    manage_programmes = programme_ids_for_role(user, Role.COORDINATOR, Role.PEER_WORKER)
    running = today - dt.timedelta(days=1)
    relapse_running = RelapseEvent.objects.filter(
        placement=OuterRef("pk"), intensified_until__gte=running
    )
    placements = list(
        placements_for_list(user)
        .filter(
            Q(ended_on__isnull=True, intensified_until__gte=running) | Exists(relapse_running),
            programme_id__in=manage_programmes,
            started_on__lte=today,
        )
        .annotate(
            latest_relapse_on=Max("relapses__occurred_on"),
            relapse_until=Max("relapses__intensified_until"),
        )
        .order_by("started_on", "pk")
    )
    if not placements:
        return []
    starts = {p.pk: max(p.started_on, p.latest_relapse_on or p.started_on) for p in placements}
    held: dict[int, set[dt.date]] = {}
    for participant_id, at in Contact.objects.filter(
        participant_id__in=[p.participant_id for p in placements],
        outcome=Contact.Outcome.HELD,
        occurred_at__gte=timezone.make_aware(
            dt.datetime.combine(min(starts.values()), dt.time.min)
        ),
    ).values_list("participant_id", "occurred_at"):
        held.setdefault(participant_id, set()).add(timezone.localdate(at))
    items = []
    for p in placements:
        # Once the job has ended, only the relapse's period is left.
        until = p.relapse_until if p.ended_on else p.intensified_until
        start, last = starts[p.pk], min(today, until)
        days = [start + dt.timedelta(days=n) for n in range((last - start).days + 1)]
        missing = [d for d in days if d not in held.get(p.participant_id, set())]
        if missing:
            items.append(MissingContacts(p, missing))
    return items


def agreements_awaiting(user: User, party: str) -> QuerySet[Placement]:
    """Active placements whose current agreement version waits for this party's confirmation."""
    latest = (
        AgreementVersion.objects.filter(placement=OuterRef("pk"))
        .order_by("-number")
        .values("pk")[:1]
    )
    confirmed = Confirmation.objects.filter(version=OuterRef("current_version_id"), party=party)
    return (
        placements_for_list(user)
        .filter(ended_on__isnull=True)
        .annotate(current_version_id=Subquery(latest))
        .filter(current_version_id__isnull=False)
        .exclude(Exists(confirmed))
    )


def open_actions_for(user: User, party: str) -> QuerySet[MeetingAction]:
    """Open actions owned by this party, in the active placements the user sees."""
    return (
        MeetingAction.objects.filter(
            placement__in=placements_visible_to(user).filter(ended_on__isnull=True).values("pk"),
            owner=party,
            done_at__isnull=True,
        )
        .select_related("placement__participant", "placement__company")
        .order_by("due_on", "id")
    )


# --- figures for the programme -----------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    active: int
    by_outcome: list[tuple[str, int]]
    days_in_work: int
    agreements: int
    agreements_in_force: int
    meetings_held: int
    meetings_on_rhythm: int

    @property
    def in_force_share(self) -> int | None:
        return round(100 * self.agreements_in_force / self.agreements) if self.agreements else None

    @property
    def on_rhythm_share(self) -> int | None:
        if not self.meetings_held:
            return None
        return round(100 * self.meetings_on_rhythm / self.meetings_held)


class _Days(Func):
    """A whole number of days as a duration (SQLite keeps durations as microseconds)."""

    output_field = DurationField()
    template = "make_interval(days => %(expressions)s)"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s * 86400000000)")


def programme_figures(programme_ids: list[int], *, today: dt.date | None = None) -> Figures:
    """Figures for the coordinator's page (and the reports): active placements, outcomes, days in
    work, share of agreements confirmed by all three, share of meetings held on rhythm. Counted
    and summed in the database (three queries), so the page does not load every placement."""
    today = today or timezone.localdate()
    placements = Placement.objects.filter(programme_id__in=programme_ids)
    latest = AgreementVersion.objects.filter(placement=OuterRef("pk")).order_by("-number")
    # The latest version (seen from inside a confirmation's subquery) has all three parties.
    latest_pk = Subquery(
        AgreementVersion.objects.filter(placement=OuterRef(OuterRef("pk")))
        .order_by("-number")
        .values("pk")[:1]
    )
    confirmed_by_all = Q(
        *(
            Exists(Confirmation.objects.filter(version=latest_pk, party=party))
            for party in Party.values
        )
    )
    # Days in work up to today, both ends counted; a placement starting later counts none.
    end = Least(Coalesce("ended_on", Value(today)), Value(today))
    worked = Q(started_on__lte=end)
    totals = placements.aggregate(
        active=Count("pk", filter=Q(ended_on__isnull=True)),
        worked=Sum(
            ExpressionWrapper(end - F("started_on"), output_field=DurationField()),
            filter=worked,
        ),
        worked_count=Count("pk", filter=worked),
        agreements=Count("pk", filter=Q(Exists(latest))),
        in_force=Count("pk", filter=confirmed_by_all),
    )
    outcomes = (
        placements.filter(ended_on__isnull=False)
        .values_list("end_reason")
        .annotate(n=Count("pk"))
        .order_by("end_reason")
    )
    # A held meeting is on rhythm when it came within the interval of the agreement in force
    # (plus slack) after the one held before it, or after the start for the first one.
    held = Meeting.objects.filter(
        placement__in=placements.filter(Exists(latest)),
        status=Meeting.Status.HELD,
        held_on__isnull=False,
    )
    before = (
        Meeting.objects.filter(
            placement=OuterRef("placement"),
            status=Meeting.Status.HELD,
            held_on__isnull=False,
        )
        .filter(
            Q(held_on__lt=OuterRef("held_on"))
            | Q(held_on=OuterRef("held_on"), pk__lt=OuterRef("pk"))
        )
        .order_by("-held_on", "-pk")
        .values("held_on")[:1]
    )
    interval = Subquery(
        AgreementVersion.objects.filter(placement=OuterRef("placement"))
        .order_by("-number")
        .values("meeting_interval_days")[:1]
    )
    gap = ExpressionWrapper(
        F("held_on") - Coalesce(Subquery(before), F("placement__started_on")),
        output_field=DurationField(),
    )
    allowed = ExpressionWrapper(
        _Days(interval) + Value(dt.timedelta(days=RHYTHM_SLACK_DAYS)),
        output_field=DurationField(),
    )
    meetings = held.aggregate(
        held=Count("pk"), on_rhythm=Count("pk", filter=LessThanOrEqual(gap, allowed))
    )
    labels = dict(Placement.EndReason.choices)
    return Figures(
        active=totals["active"],
        by_outcome=[(str(labels.get(k, k)), n) for k, n in outcomes],
        days_in_work=(totals["worked"] or dt.timedelta()).days + totals["worked_count"],
        agreements=totals["agreements"],
        agreements_in_force=totals["in_force"],
        meetings_held=meetings["held"],
        meetings_on_rhythm=meetings["on_rhythm"],
    )
