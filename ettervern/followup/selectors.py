"""Reads of agreements and contacts, what needs attention, and the peers' time budget."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ettervern.accounts.models import Role, User
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.audit.services import audit_denied
from ettervern.followup import budget
from ettervern.followup.models import Agreement, Contact
from ettervern.lib import periods
from ettervern.matching.access import Need, answer, current_matches, participants_for
from ettervern.matching.models import Match
from ettervern.outcomes.selectors import questionnaires_due
from ettervern.participants.models import Consent, Participant, Transition
from ettervern.peers.models import CheckIn, PeerWorker, Supervision
from ettervern.peers.selectors import peers_with_load

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


def attention_items(user: User) -> list[AttentionItem]:
    """What needs attention now, derived from the data (no background worker)."""
    if not user.is_authenticated:
        return []
    # Whose items: a coordinator's programmes, a peer worker's current matches (not the grace
    # period), as the access module answers.
    participants = participants_for(user, Need.FOLLOW).select_related("programme")
    is_coordinator = bool(programme_ids_for_role(user, Role.COORDINATOR))
    now, today = timezone.now(), timezone.localdate()
    items: list[AttentionItem] = []

    def add(kind: str, p, text: str) -> None:
        items.append(AttentionItem(kind, p.pk, p.name, text))

    # Active matches with no contact held for N days (programme setting).
    matches = (
        Match.objects.filter(status=Match.Status.ACTIVE, participant__in=participants)
        .select_related("participant", "programme")
        .annotate(
            last=Max(
                "contacts__occurred_at",
                filter=Q(contacts__outcome=Contact.Outcome.HELD, contacts__occurred_at__lte=now),
            )
        )
    )
    for m in matches:
        since = timezone.localdate(m.last) if m.last else m.started_on
        if since is None:
            continue
        days = (today - since).days
        if days >= m.programme.no_contact_alert_days:
            add(
                "no_contact",
                m.participant,
                ngettext("No contact for %(days)d day", "No contact for %(days)d days", days)
                % {"days": days},
            )

    # Agreements due for review (the latest version of each current match).
    newer = Agreement.objects.filter(match=OuterRef("match"), version__gt=OuterRef("version"))
    due = (
        Agreement.objects.filter(
            match__in=current_matches(), participant__in=participants, review_on__lte=today
        )
        .exclude(Exists(newer))
        .select_related("participant")
    )
    for a in due:
        add(
            "review_due",
            a.participant,
            _("Follow-up agreement due for review (%(date)s)")
            % {"date": a.review_on.strftime("%d.%m.%Y")},
        )

    # Waiting longer than N days (coordinators only: they match).
    if is_coordinator:
        for p in participants.filter(status=Participant.Status.WAITING).order_by("status_since"):
            days = (now - p.status_since).days
            if days > p.programme.waiting_alert_days:
                add(
                    "waiting_long",
                    p,
                    ngettext("Waiting for %(days)d day", "Waiting for %(days)d days", days)
                    % {"days": days},
                )

    # Follow-up consent withdrawn and not given again (the participant may have done it with
    # their own login): the coordinator must decide what happens to the follow-up.
    if is_coordinator:
        follow_up = Consent.objects.filter(
            participant=OuterRef("pk"), purpose=Consent.Purpose.FOLLOW_UP
        )
        withdrawn = (
            participants.exclude(status=Participant.Status.ENDED)
            .filter(Exists(follow_up.filter(withdrawn_at__isnull=False)))
            .exclude(Exists(follow_up.filter(withdrawn_at__isnull=True)))
            .order_by("name")
        )
        for p in withdrawn:
            add("consent_withdrawn", p, _("The participant has withdrawn consent to follow-up"))

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
    soon = active.filter(
        transition=Transition.RELEASE,
        transition_date__gte=today,
        transition_date__lte=today + dt.timedelta(days=RELEASE_HORIZON_DAYS),
    ).exclude(Exists(planned_before_release))
    for p in soon:
        add(
            "release_soon",
            p,
            _("Released %(date)s: no contact planned before release")
            % {"date": p.transition_date.strftime("%d.%m.%Y")},
        )

    # The first days after a release or discharge with no contact held.
    recent = {
        p.pk: p
        for p in active.filter(
            transition__in=[Transition.RELEASE, Transition.DISCHARGE],
            transition_date__lt=today,
            transition_date__gte=today - dt.timedelta(days=FIRST_DAYS),
        )
    }
    missing = no_contact_since({pk: p.transition_date for pk, p in recent.items()})
    for pk in sorted(missing, key=lambda k: recent[k].transition_date):
        p = recent[pk]
        add(
            "after_transition",
            p,
            _("%(transition)s on %(date)s: no contact since")
            % {
                "transition": p.get_transition_display(),
                "date": p.transition_date.strftime("%d.%m.%Y"),
            },
        )

    # Questionnaires due or overdue (ettervern.outcomes decides what is due).
    for due in questionnaires_due(user=user, on=today):
        kind = "questionnaire_overdue" if due.overdue else "questionnaire_due"
        items.append(AttentionItem(kind, due.participant_id, due.participant_name, due.text))
    return items


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
    if balance:
        rows = [r for r in rows if r.balance == balance]
    key = sort.removeprefix("-")
    rows.sort(key=OVERVIEW_SORTS.get(key, OVERVIEW_SORTS["name"]), reverse=sort.startswith("-"))
    return rows
