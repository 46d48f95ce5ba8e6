"""Reads of agreements and contacts, what needs attention, and the peers' time budget."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ettervern.accounts.models import Programme, Role, User
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.audit.services import audit_denied
from ettervern.followup import budget
from ettervern.followup.models import Agreement, Contact
from ettervern.lib import periods
from ettervern.matching.access import (
    Need,
    answer,
    current_matches,
    followed_matches,
    participants_for,
)
from ettervern.matching.loading import HOLDS_SLOT
from ettervern.matching.models import Match
from ettervern.outcomes.selectors import questionnaires_due, questionnaires_due_first
from ettervern.participants.models import Consent, Participant, Transition
from ettervern.peers.models import CheckIn, PeerWorker, Supervision

# How far ahead a release is flagged, and how long "the first days" after a transition last.
RELEASE_HORIZON_DAYS = 14
FIRST_DAYS = 7


def current_agreement(match: Match | None) -> Agreement | None:
    if match is None:
        return None
    return Agreement.objects.filter(match=match).prefetch_related("goals").first()


def contacts_for(user: User, participant: Participant) -> QuerySet[Contact]:
    """Contacts of a participant the user has already been allowed to see (through
    ``get_participant_for_user``). A peer worker sees the contacts of their own matches."""
    qs = Contact.objects.filter(participant=participant).select_related("peer__user", "programme")
    if answer(user, participant).all_contacts:
        return qs
    return qs.filter(peer__user=user)


def _closable_by(user: User) -> Q:
    """Contacts the user may close: their own as the peer worker (while they may still read the
    participant), or any in the programmes they coordinate. Never on their own record."""
    own = Q(peer__user=user, participant__in=participants_for(user, Need.READ))
    coordinated = Q(participant__in=participants_for(user, Need.COORDINATE))
    return (own | coordinated) & ~Q(participant__user=user)


def get_contact_for_user(user: User, pk: int) -> Contact:
    """A contact the user may close, or 404 (the refusal audited)."""
    contact = (
        Contact.objects.filter(_closable_by(user))
        .select_related("participant", "peer__user", "match")
        .filter(pk=pk)
        .first()
    )
    if contact is None:
        audit_denied(actor=user, object_type="followup.contact", object_id=pk)
        raise Http404
    return contact


def planned_contacts_of_peer(user: User, *, limit: int = 30) -> list[Contact]:
    """The peer worker's own planned contacts, soonest first, for the home page."""
    return list(
        Contact.objects.filter(
            peer__user=user,
            outcome=Contact.Outcome.PLANNED,
            participant__in=participants_for(user, Need.READ),
        )
        .select_related("participant")
        .order_by("occurred_at")[:limit]
    )


def planned_contacts_of_participant(
    participant: Participant, *, now: dt.datetime | None = None, limit: int = 20
) -> list[Contact]:
    """For the participant's own login: the coming planned contacts, soonest first.

    Only the time, the kind, the length and the peer worker are loaded: never the note.
    """
    now = now or timezone.now()
    return list(
        Contact.objects.filter(
            participant=participant, outcome=Contact.Outcome.PLANNED, occurred_at__gte=now
        )
        .select_related("peer__user")
        .only("occurred_at", "kind", "duration_minutes", "peer__user__name")
        .order_by("occurred_at")[:limit]
    )


@dataclass(frozen=True)
class AttentionItem:
    kind: str
    participant_id: int
    participant_name: str
    text: str


@dataclass(frozen=True)
class AttentionGroup:
    """The first items of one kind, and how many there are in all."""

    kind: str
    items: list[AttentionItem]
    total: int

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.items))

    @property
    def capped(self) -> bool:
        """The total was counted only up to ``ATTENTION_COUNT_CAP``: there may be more."""
        return self.total >= ATTENTION_COUNT_CAP


# The order the kinds are shown in.
ATTENTION_KINDS = (
    "no_contact",
    "review_due",
    "waiting_long",
    "consent_withdrawn",
    "release_soon",
    "after_transition",
    "questionnaire_overdue",
    "questionnaire_due",
)


def _participant_name() -> Subquery:
    """The participant's name for the rows a limited query returns (a join would read every
    candidate's participant row before the limit)."""
    return Subquery(Participant.objects.filter(pk=OuterRef("participant_id")).values("name")[:1])


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def no_contact_since(starts: dict[int, dt.date]) -> set[int]:
    """Of {participant_id: date}, the participants with no contact held since that date.

    For "the first days after X" items; the employment app can call it for a new job."""
    if not starts:
        return set()
    reached = set(
        Contact.objects.filter(
            participant_id__in=list(starts), outcome=Contact.Outcome.HELD
        ).values_list("participant_id", "occurred_at")
    )
    seen = {pid for pid, at in reached if timezone.localdate(at) >= starts[pid]}
    return set(starts) - seen


# Totals are counted up to this many ("more than ..."): the count is bounded work too.
ATTENTION_COUNT_CAP = 100


# A query that must read all its candidates to order them counts them too (a window count):
# one query instead of a second pass for the total.
WHOLE_COUNT = "attention_whole_count"


def first_and_total(qs: QuerySet, limit: int | None) -> tuple[list, int]:
    """The first ``limit`` rows of a query and how many rows it has, counted up to
    ``ATTENTION_COUNT_CAP`` (a count over a limited subquery): two queries, each bounded."""
    if limit is None:
        rows = list(qs)
        return rows, len(rows)
    rows = list(qs[:limit])
    if WHOLE_COUNT in qs.query.annotations:
        # The query reads every candidate anyway (to order them): it counts them on the way.
        return rows, min(getattr(rows[0], WHOLE_COUNT), ATTENTION_COUNT_CAP) if rows else 0
    total = qs.order_by().values("pk")[:ATTENTION_COUNT_CAP].count()
    return rows, total


def _per_programme_days(field: str, days: list[int], condition) -> Q:
    """One condition per distinct programme setting, ORed: one query whatever the programmes."""
    q = Q(pk__in=[])
    for d in days:
        q |= Q(**{f"programme__{field}": d}) & condition(d)
    return q


def _attention_querysets(user: User, now: dt.datetime, today: dt.date) -> dict:
    """Per kind: (queryset, function row -> item). Nothing is evaluated here."""
    participants = participants_for(user, Need.FOLLOW)
    is_coordinator = bool(programme_ids_for_role(user, Role.COORDINATOR))
    programme_ids = programme_ids_for_role(user, Role.COORDINATOR, Role.PEER_WORKER)
    settings_rows = list(
        Programme.objects.filter(pk__in=programme_ids).values_list(
            "no_contact_alert_days", "waiting_alert_days"
        )
    )
    no_contact_days = sorted({r[0] for r in settings_rows})
    waiting_days = sorted({r[1] for r in settings_rows})
    kinds: dict = {}

    # Active matches with no contact held for N days (programme setting): held contacts up to
    # now, the last one (or the start, with none) N or more local days ago. Read by the match's
    # last held contact (kept on the match, indexed); a held contact may be logged a few
    # minutes ahead of the clock: for such a match the last one up to now is looked up.
    followed = followed_matches(user)
    up_to_now = Subquery(
        Contact.objects.filter(
            match=OuterRef("pk"), outcome=Contact.Outcome.HELD, occurred_at__lte=now
        )
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    last = Case(When(last_held_at__gt=now, then=up_to_now), default=F("last_held_at"))

    def quiet(d: int) -> Q:
        cutoff = today - dt.timedelta(days=d)
        start = _day_start(cutoff + dt.timedelta(days=1))
        return (
            Q(last_held_at__lt=start)
            | Q(last_held_at__isnull=True, started_on__lte=cutoff)
            | Q(last_held_at__gt=now, last__lt=start)
            | Q(last_held_at__gt=now, last__isnull=True, started_on__lte=cutoff)
        )

    matches = (
        followed.filter(status=Match.Status.ACTIVE)
        .annotate(last=last)
        .filter(_per_programme_days("no_contact_alert_days", no_contact_days, quiet))
        .annotate(participant_name=_participant_name(), **{WHOLE_COUNT: Window(Count("pk"))})
        .order_by(F("last").asc(nulls_first=True), "started_on", "pk")
    )

    def no_contact_item(m) -> AttentionItem:
        since = timezone.localdate(m.last) if m.last else m.started_on
        days = (today - since).days
        return AttentionItem(
            "no_contact",
            m.participant_id,
            m.participant_name,
            ngettext("No contact for %(days)d day", "No contact for %(days)d days", days)
            % {"days": days},
        )

    kinds["no_contact"] = (matches, no_contact_item)

    # Agreements due for review (the latest version of each current match).
    newer = Agreement.objects.filter(match=OuterRef("match"), version__gt=OuterRef("version"))
    due = (
        # The match is current and followed by the user (an agreement's participant is its
        # match's).
        Agreement.objects.filter(match__in=followed, review_on__lte=today)
        .exclude(Exists(newer))
        .annotate(participant_name=_participant_name())
        .order_by("review_on", "pk")
    )
    kinds["review_due"] = (
        due,
        lambda a: AttentionItem(
            "review_due",
            a.participant_id,
            a.participant_name,
            _("Follow-up agreement due for review (%(date)s)")
            % {"date": a.review_on.strftime("%d.%m.%Y")},
        ),
    )

    def person(kind: str, text):
        return lambda p: AttentionItem(kind, p.pk, p.name, text(p))

    # Waiting longer than N days (coordinators only: they match). More than N whole days:
    # waiting since at least N + 1 days before now.
    if is_coordinator:
        waiting = (
            participants.filter(status=Participant.Status.WAITING)
            .filter(
                _per_programme_days(
                    "waiting_alert_days",
                    waiting_days,
                    lambda d: Q(status_since__lte=now - dt.timedelta(days=d + 1)),
                )
            )
            .order_by("status_since", "pk")
        )
        kinds["waiting_long"] = (
            waiting,
            person(
                "waiting_long",
                lambda p: (
                    ngettext(
                        "Waiting for %(days)d day",
                        "Waiting for %(days)d days",
                        (now - p.status_since).days,
                    )
                    % {"days": (now - p.status_since).days}
                ),
            ),
        )

    # Follow-up consent withdrawn and not given again (the participant may have done it with
    # their own login): the coordinator must decide what happens to the follow-up.
    if is_coordinator:
        follow_up = Consent.objects.filter(purpose=Consent.Purpose.FOLLOW_UP)
        # From the few withdrawn consents (a partial index), not a test on every participant:
        # SQLite runs an EXISTS here once per participant of the programme.
        withdrawn_ids = follow_up.filter(withdrawn_at__isnull=False).values("participant_id")
        given = follow_up.filter(participant=OuterRef("pk"), withdrawn_at__isnull=True)
        withdrawn = (
            participants.exclude(status=Participant.Status.ENDED)
            .filter(pk__in=withdrawn_ids)
            .exclude(Exists(given))
            .order_by("name", "pk")
        )
        kinds["consent_withdrawn"] = (
            withdrawn,
            person(
                "consent_withdrawn",
                lambda p: _("The participant has withdrawn consent to follow-up"),
            ),
        )

    # Release in the next 14 days with no contact planned before it.
    active = participants.exclude(status=Participant.Status.ENDED)
    # One query however many are released soon: the contact check is a correlated subquery.
    planned_before_release = Contact.objects.filter(
        participant=OuterRef("pk"),
        outcome__in=[Contact.Outcome.PLANNED, Contact.Outcome.HELD],
        occurred_at__gte=_day_start(today),
        # The local day, as _day_start: before the end of the release day in Oslo.
        occurred_at__date__lte=OuterRef("transition_date"),
    )
    soon = (
        active.filter(
            transition=Transition.RELEASE,
            transition_date__gte=today,
            transition_date__lte=today + dt.timedelta(days=RELEASE_HORIZON_DAYS),
        )
        .exclude(Exists(planned_before_release))
        .order_by("transition_date", "pk")
    )
    kinds["release_soon"] = (
        soon,
        person(
            "release_soon",
            lambda p: (
                _("Released %(date)s: no contact planned before release")
                % {"date": p.transition_date.strftime("%d.%m.%Y")}
            ),
        ),
    )

    # The first days after a release or discharge with no contact held (from the local day of
    # the transition on).
    held_since = Contact.objects.filter(
        participant=OuterRef("pk"),
        outcome=Contact.Outcome.HELD,
        occurred_at__date__gte=OuterRef("transition_date"),
    )
    recent = (
        active.filter(
            transition__in=[Transition.RELEASE, Transition.DISCHARGE],
            transition_date__lt=today,
            transition_date__gte=today - dt.timedelta(days=FIRST_DAYS),
        )
        .exclude(Exists(held_since))
        .order_by("transition_date", "pk")
    )
    kinds["after_transition"] = (
        recent,
        person(
            "after_transition",
            lambda p: (
                _("%(transition)s on %(date)s: no contact since")
                % {
                    "transition": p.get_transition_display(),
                    "date": p.transition_date.strftime("%d.%m.%Y"),
                }
            ),
        ),
    )
    return kinds


def attention_groups(user: User, *, per_kind: int | None = 10) -> list[AttentionGroup]:
    """What needs attention now, derived from the data (no background worker): per kind the
    first ``per_kind`` items (most urgent first) and the total, one query per kind whatever
    the amount of data. Kinds with nothing are left out."""
    if not user.is_authenticated:
        return []
    now, today = timezone.now(), timezone.localdate()
    groups = []
    for kind, (qs, item) in _attention_querysets(user, now, today).items():
        rows, total = first_and_total(qs, per_kind)
        if total:
            groups.append(AttentionGroup(kind, [item(r) for r in rows], total))
    # Questionnaires due or overdue (ettervern.outcomes decides what is due): the first ones of
    # each kind and how many, only those worded.
    if per_kind is None:
        due: dict[str, list] = {}
        for q in questionnaires_due(user=user, on=today):
            kind = "questionnaire_overdue" if q.overdue else "questionnaire_due"
            due.setdefault(kind, []).append(q)
        first = {kind == "questionnaire_overdue": (rows, len(rows)) for kind, rows in due.items()}
    else:
        first = questionnaires_due_first(
            user=user, on=today, limit=per_kind, cap=ATTENTION_COUNT_CAP
        )
    for kind, overdue in (("questionnaire_overdue", True), ("questionnaire_due", False)):
        rows, total = first.get(overdue, ([], 0))
        if total:
            items = [
                AttentionItem(kind, q.participant_id, q.participant_name, q.text) for q in rows
            ]
            groups.append(AttentionGroup(kind, items, total))
    return groups


def attention_items(user: User, *, per_kind: int | None = None) -> list[AttentionItem]:
    """The items of ``attention_groups`` as one list, kind by kind (all of them by default:
    for tests and small callers; pages use ``attention_groups`` with a limit)."""
    return [i for g in attention_groups(user, per_kind=per_kind) for i in g.items]


# --- time budget -------------------------------------------------------------------------------


def _shares(peer_ids) -> dict[int, list[budget.Share]]:
    """Position shares from the matches. A paused match whose slot was freed holds no share."""
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


def _contact_rows(peer_ids, period: periods.Period) -> dict[int, list[budget.ContactRow]]:
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
    this_week = periods.week_of(today)
    weeks = [periods.week_of(this_week.start - dt.timedelta(weeks=n)) for n in range(5, -1, -1)]
    months = [periods.month_of(periods.months_before(today, n)) for n in range(2, -1, -1)]
    span = periods.Period(min(weeks[0].start, months[0].start), max(weeks[-1].end, months[-1].end))
    shares = _shares([peer.pk]).get(peer.pk, [])
    contacts = _contact_rows([peer.pk], span).get(peer.pk, [])
    hours = peer.programme.hours_per_participant_week
    office = peer.programme.office_hours
    week_budgets = [budget.budget_for(w, shares, contacts, hours, office) for w in weeks]
    full = [
        budget.budget_for(w, shares, contacts, hours, office) for w in budget.last_full_weeks(today)
    ]
    return TimeBudget(
        weeks=list(reversed(week_budgets)),
        months=list(
            reversed([budget.budget_for(m, shares, contacts, hours, office) for m in months])
        ),
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


OVERVIEW_SORTS = ("name", "status", "capacity", "hours", "supervision", "checkin")
OVERVIEW_PAGE_SIZE = 50


def _held_minutes(period: periods.Period):
    start, end = period.bounds()
    rows = (
        Contact.objects.filter(
            peer=OuterRef("pk"),
            outcome=Contact.Outcome.HELD,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .order_by()
        .values("peer")
        .annotate(minutes=Sum("duration_minutes"))
        .values("minutes")
    )
    return Coalesce(Subquery(rows), 0)


def _shares_in(period: periods.Period, *, whole: bool):
    """How many position shares a peer held during the period (``whole``: all of it)."""
    shares = (
        Match.objects.filter(peer=OuterRef("pk"), started_on__isnull=False)
        .exclude(status=Match.Status.PROPOSED)
        .exclude(status="paused", frees_slot=True)
    )
    if whole:
        shares = shares.filter(started_on__lte=period.start).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=period.end)
        )
    else:
        shares = shares.filter(started_on__lte=period.end).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=period.start)
        )
    counted = shares.order_by().values("peer").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def minutes_over_week_shares(programme_ids: list[int], week: periods.Period) -> RawSQL:
    """The ids of the peers in the programmes who held more minutes in ``week`` (a past one)
    than 1.5 x the hours of the shares they held all of it, less a minute of rounding, and who
    held a share during some of it; never a peer who held no contact that week.

    A peer's shares of the week are the slots she holds now (``PeerWorker.held_slots``, kept by
    the match services), less the matches holding a slot that began after the week started,
    plus the ended ones that were shares of it: only matches begun or ended since the week
    started are read, where counting every match of the programmes made the cost grow with
    them. A match holding a slot has begun and has not ended (the match services see to it),
    so the two counts agree."""
    start, end = week.start, week.end
    ended = Q(status=Match.Status.ENDED, started_on__lte=end, ended_on__gte=start)
    late = HOLDS_SLOT & Q(started_on__gt=start)
    one = Value(1, output_field=IntegerField())
    changes = (
        Match.objects.filter(programme_id__in=programme_ids, started_on__isnull=False)
        .filter(ended | late)
        .order_by()
        .values("peer_id")
        .annotate(
            whole=Sum(
                Case(
                    When(late, then=-one),
                    When(started_on__lte=start, ended_on__gte=end, then=one),
                    default=0,
                )
            ),
            some=Sum(
                Case(
                    When(late & Q(started_on__gt=end), then=-one), When(ended, then=one), default=0
                )
            ),
        )
        .values_list("peer_id", "whole", "some")
    )
    return _minutes_over(programme_ids, week, changes=changes)


def minutes_over_held_slots(
    programme_ids: list[int], period: periods.Period, *, at_least: int = 0, peer_ids=None
) -> RawSQL:
    """The ids of the peers in the programmes who held more minutes in ``period`` than 1.5 x
    the hours of the slots they hold now (``PeerWorker.held_slots``), less a minute of
    rounding, and at least ``at_least`` minutes; among ``peer_ids`` if given (a page of peers:
    then only theirs are read)."""
    return _minutes_over(programme_ids, period, at_least=at_least, peer_ids=peer_ids)


def _held_in(programme_ids: list[int], period: periods.Period, peer_ids) -> QuerySet[Contact]:
    start, end = period.bounds()
    held = Contact.objects.filter(
        programme_id__in=programme_ids,
        outcome=Contact.Outcome.HELD,
        occurred_at__gte=start,
        occurred_at__lt=end,
    ).order_by()
    return held if peer_ids is None else held.filter(peer_id__in=peer_ids)


def _minutes_over(
    programme_ids: list[int],
    period: periods.Period,
    *,
    at_least: int = 0,
    changes=None,
    peer_ids=None,
) -> RawSQL:
    """The ids of the peers whose contacts held in ``period`` (their minutes summed per peer in
    one grouped pass) come to more than 1.5 x the hours of the slots they hold, each peer's
    slots read once from an index: a query per peer, or one grouping the programmes' matches,
    made the cost grow with the number of peers. ``changes`` (rows of peer id, whole, some)
    corrects the slots held now to the shares of a past week (held all of it, and some of it:
    then at least one). With ``peer_ids``, only their contacts and slots are read."""
    held = _held_in(programme_ids, period, peer_ids)
    minutes = held.values("peer_id").annotate(m=Sum("duration_minutes")).values_list("peer_id", "m")
    peers = (
        PeerWorker.objects.filter(programme_id__in=programme_ids)
        .order_by()
        # In floating point, cheaper than decimals, and far within the minute of margin.
        .annotate(hours=Cast("programme__hours_per_participant_week", FloatField()))
        .values_list("pk", "held_slots", "hours")
    )
    if peer_ids is not None:
        peers = peers.filter(pk__in=peer_ids)
    sql, params = minutes.query.sql_with_params()
    peers_sql, peers_params = peers.query.sql_with_params()
    params = (*params, *peers_params)
    whole = some = "p.held_slots"
    joined = ""
    if changes is not None:
        changes_sql, changes_params = changes.query.sql_with_params()
        joined = f" LEFT JOIN ({changes_sql}) c ON c.peer_id = h.peer_id"
        params = (*params, *changes_params)
        whole, some = "p.held_slots + COALESCE(c.whole, 0)", "p.held_slots + COALESCE(c.some, 0)"
    # Only SQL compiled by Django and fixed text; the numbers are parameters.
    return RawSQL(  # noqa: S611 - no input in the text
        f"SELECT h.peer_id FROM ({sql}) h"  # noqa: S608
        f" INNER JOIN ({peers_sql}) p ON p.pk = h.peer_id{joined}"
        f" WHERE h.m > ({whole}) * p.hours * 90.0 - 1 AND h.m >= %s AND {some} >= %s",
        (*params, at_least, 1 if changes is not None else 0),
    )


def _balance_candidates(
    qs: QuerySet[PeerWorker], balance: str, today: dt.date, programme_ids: list[int]
) -> QuerySet:
    """Peers who may be consistently far over (or under) their budget, found in the database
    from the hours held per week and bounds on the hours allotted (shares held the whole week /
    any of it). Every peer who is, is among them; the exact check is done for these only."""
    weeks = budget.last_full_weeks(today)
    if balance == "over":
        # Far over every week is far over the last one, as few are: those are found from that
        # week's contacts, and only they are summed per week (the same test again).
        qs = qs.filter(pk__in=minutes_over_week_shares(programme_ids, weeks[-1]))
    return _balance_bounds(qs, balance, weeks)


def _balance_bounds(qs: QuerySet[PeerWorker], balance: str, weeks: list[periods.Period]):
    """``_balance_candidates``' test, summed per peer and week (a subquery each)."""
    hours = F("programme__hours_per_participant_week")
    for n, week in enumerate(weeks):
        minutes, whole, some = f"bw{n}_min", f"bw{n}_whole", f"bw{n}_some"
        qs = qs.annotate(
            **{
                minutes: _held_minutes(week),
                some: _shares_in(week, whole=False),
            }
        ).filter(**{f"{some}__gt": 0})
        if balance == "over":
            # logged > 1.5 x allotted >= 1.5 x whole-week shares x hours (a minute of rounding),
            # and logged > 0 (with nothing allotted, no ratio).
            qs = qs.annotate(
                **{
                    whole: _shares_in(week, whole=True),
                    f"{whole}_limit": ExpressionWrapper(
                        F(whole) * hours * 90 - 1, output_field=DecimalField()
                    ),
                }
            ).filter(Q(**{f"{minutes}__gt": F(f"{whole}_limit")}), Q(**{f"{minutes}__gt": 0}))
        else:
            # logged < 0.5 x allotted <= 0.5 x shares held at all x hours.
            qs = qs.annotate(
                **{
                    f"{some}_limit": ExpressionWrapper(
                        F(some) * hours * 30 + 1, output_field=DecimalField()
                    )
                }
            ).filter(**{f"{minutes}__lt": F(f"{some}_limit")})
    return qs


def _overview_queryset(
    user: User, *, today: dt.date, status: str, balance: str, query: str, sort: str
) -> QuerySet[PeerWorker]:
    programme_ids = programme_ids_for_role(user, Role.COORDINATOR)
    qs = (
        PeerWorker.objects.filter(programme_id__in=programme_ids)
        # The slots held, as the match services keep them on the peer's row.
        .annotate(load=F("held_slots"))
        .select_related("user", "programme")
    )
    if status:
        qs = qs.filter(resource_status=status)
    if query:
        qs = qs.filter(user__name__icontains=query)
    if balance in ("over", "under"):
        qs = _balance_candidates(qs, balance, today, programme_ids)
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
    key = sort.removeprefix("-") if sort.removeprefix("-") in OVERVIEW_SORTS else "name"
    if key == "capacity":
        qs = qs.annotate(
            sort_key=ExpressionWrapper(
                F("load") * 1.0 / NullIf(F("max_participants"), 0), output_field=FloatField()
            )
        )
    elif key == "hours":
        # Ordered by ``_ids_by_hours`` (a query of its own); by name here.
        qs = qs.annotate(sort_key=F("user__name"))
    else:
        field = {
            "name": "user__name",
            "status": "resource_status",
            "supervision": "last_supervision",
            "checkin": "last_checkin",
        }[key]
        qs = qs.annotate(sort_key=F(field))
    descending = sort.startswith("-")
    if key == "name" and not descending:
        # A name is never empty: the plain order walks the index on names (``user_name_idx``).
        order = F("sort_key").asc()
    else:
        order = (
            F("sort_key").desc(nulls_last=True)
            if descending
            else F("sort_key").asc(nulls_first=True)
        )
    return qs.order_by(order, "user__name", "pk")


def _ids_by_hours(
    qs: QuerySet[PeerWorker],
    programme_ids: list[int],
    today: dt.date,
    *,
    descending: bool,
    offset: int = 0,
    count: int | None = None,
) -> list[int]:
    """The ids of the peers of ``qs`` by hours held this month per participant followed now
    (the month's ratio for a peer whose load did not change during the month), then name:
    ``count`` of them from ``offset``.

    The month's held contacts are grouped by peer in one pass and joined to the peers by hash;
    the participants followed are the slots kept on each peer's row. A sum and a count of
    matches per peer made the sort of a resource base of 5 000 cost 32 ms, against 9. A
    contact is in its peer's programme (the services see to it), so the pass reads the
    programmes' rows only."""
    peers = qs.order_by().values(k_id=F("pk"), k_name=F("user__name"), k_load=F("held_slots"))
    held = (
        _held_in(programme_ids, periods.month_of(today), None)
        .values(k_peer=F("peer_id"))
        .annotate(k_minutes=Sum("duration_minutes"))
    )
    (p_sql, p_params), (h_sql, h_params) = (q.query.sql_with_params() for q in (peers, held))
    ratio = "COALESCE(h.k_minutes, 0) * 1.0 / NULLIF(p.k_load, 0)"
    order = f"{ratio} DESC NULLS LAST" if descending else f"{ratio} ASC NULLS FIRST"
    # Only SQL compiled by Django and fixed text; every value is a parameter.
    sql = (
        f"SELECT p.k_id FROM ({p_sql}) p"  # noqa: S608
        f" LEFT JOIN ({h_sql}) h ON h.k_peer = p.k_id"
        f" ORDER BY {order}, p.k_name, p.k_id"
    )
    params = [*p_params, *h_params]
    if count is not None:
        sql += " LIMIT %s OFFSET %s"
        params += [count, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _overview_slice(
    qs: QuerySet[PeerWorker],
    user: User,
    today: dt.date,
    sort: str,
    offset: int = 0,
    count: int | None = None,
) -> list[PeerWorker]:
    """``count`` peers of the overview's query from ``offset`` (all if None), in its order."""
    if sort.removeprefix("-") != "hours":
        return list(qs[offset : None if count is None else offset + count])
    programme_ids = programme_ids_for_role(user, Role.COORDINATOR)
    ids = _ids_by_hours(
        qs,
        programme_ids,
        today,
        descending=sort.startswith("-"),
        offset=offset,
        count=count,
    )
    by_id = {p.pk: p for p in qs.filter(pk__in=ids)}
    return [by_id[pk] for pk in ids]


def _overview_rows(peers: list[PeerWorker], today: dt.date) -> list[OverviewRow]:
    """Budgets and names for the given peers only, in a fixed number of queries."""
    ids = [p.pk for p in peers]
    month = periods.month_of(today)
    weeks = budget.last_full_weeks(today)
    span = periods.Period(min(month.start, weeks[0].start), max(month.end, weeks[-1].end))
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
        office = peer.programme.office_hours
        own_shares, own_contacts = shares.get(peer.pk, []), contacts.get(peer.pk, [])
        full = [budget.budget_for(w, own_shares, own_contacts, hours, office) for w in weeks]
        rows.append(
            OverviewRow(
                peer=peer,
                load=peer.load,
                month=budget.budget_for(month, own_shares, own_contacts, hours, office),
                balance=budget.balance(full),
                last_supervision=peer.last_supervision,
                last_checkin=peer.last_checkin,
                participants=names.get(peer.pk, []),
            )
        )
    return rows


@dataclass
class OverviewPage:
    rows: list[OverviewRow]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def peer_overview_page(
    user: User,
    *,
    page: int = 1,
    per_page: int = OVERVIEW_PAGE_SIZE,
    today: dt.date | None = None,
    status: str = "",
    balance: str = "",
    query: str = "",
    sort: str = "name",
) -> OverviewPage:
    """One page of the resource base for coordinators: filtered and sorted in the database,
    budgets computed for the shown peers only (no count of the whole table). With a balance
    filter the page is of the database's candidates, kept if the exact check agrees."""
    today = today or timezone.localdate()
    page = max(1, page)
    qs = _overview_queryset(
        user, today=today, status=status, balance=balance, query=query, sort=sort
    )
    offset = (page - 1) * per_page
    peers = _overview_slice(qs, user, today, sort, offset, per_page + 1)
    has_next = len(peers) > per_page
    rows = _overview_rows(peers[:per_page], today)
    if balance:
        rows = [r for r in rows if r.balance == balance]
    return OverviewPage(rows=rows, number=page, has_next=has_next)


def peer_overview(
    user: User,
    *,
    today: dt.date | None = None,
    status: str = "",
    balance: str = "",
    query: str = "",
    sort: str = "name",
    limit: int | None = None,
) -> list[OverviewRow]:
    """The resource base as rows (all, or the first ``limit`` peers), in a fixed number of
    queries. For a page, ``peer_overview_page``."""
    today = today or timezone.localdate()
    qs = _overview_queryset(
        user, today=today, status=status, balance=balance, query=query, sort=sort
    )
    rows = _overview_rows(_overview_slice(qs, user, today, sort, 0, limit), today)
    if balance:
        rows = [r for r in rows if r.balance == balance]
    return rows


def over_budget_peers(user: User, *, today: dt.date | None = None, limit: int = 20):
    """Peers consistently far over their time budget (the home page's list): candidates found
    by a query on the hours held per week, the first ``limit`` of them checked exactly."""
    return peer_overview(user, today=today, balance="over", limit=limit)
