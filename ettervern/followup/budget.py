"""Time-budget arithmetic: hours allotted by position shares vs hours logged in contacts.

Pure functions over plain rows so the figures can be tested without the database. Each
participant a peer follows is a position share worth ``hours_per_week`` (a programme setting);
weeks and months are calendar periods in local time (Europe/Oslo).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ettervern.followup.models import DAY_STARTS, EVENING_STARTS, out_of_hours_kind
from ettervern.lib.periods import Period, week_of

# "Consistently far over or under": every one of the last full weeks outside this band.
FAR_OVER = Decimal("1.5")
FAR_UNDER = Decimal("0.5")
CONSISTENT_WEEKS = 4


@dataclass(frozen=True)
class Share:
    """A position share held from ``started_on`` to ``ended_on`` (inclusive; None: still held)."""

    started_on: dt.date
    ended_on: dt.date | None


@dataclass(frozen=True)
class ContactRow:
    occurred_at: dt.datetime
    duration_minutes: int
    outcome: str
    participant_id: int = 0


@dataclass
class Budget:
    period: Period
    allotted_hours: Decimal = Decimal(0)
    logged_minutes: int = 0
    out_of_hours_minutes: int = 0
    held: int = 0
    cancelled: int = 0
    no_show: int = 0
    planned: int = 0
    # participant id -> cancellations and no-shows in the period, for supportive remarks.
    missed_by_participant: dict = field(default_factory=dict)

    @property
    def logged_hours(self) -> Decimal:
        return (Decimal(self.logged_minutes) / 60).quantize(Decimal("0.01"))

    @property
    def out_of_hours_percent(self) -> int | None:
        if not self.logged_minutes:
            return None
        return round(100 * self.out_of_hours_minutes / self.logged_minutes)

    @property
    def ratio(self) -> Decimal | None:
        if not self.allotted_hours:
            return None
        return self.logged_hours / self.allotted_hours

    @property
    def often_missed(self) -> list[int]:
        """How many times each participant who missed two or more contacts did so."""
        return sorted((n for n in self.missed_by_participant.values() if n >= 2), reverse=True)


def allotted_hours(shares: list[Share], period: Period, hours_per_week: Decimal) -> Decimal:
    """Hours allotted in a period: each share counts per day held, at ``hours_per_week / 7``."""
    days = 0
    for share in shares:
        start = max(share.started_on, period.start)
        end = min(share.ended_on or period.end, period.end)
        if end >= start:
            days += (end - start).days + 1
    return (Decimal(days) * Decimal(hours_per_week) / 7).quantize(Decimal("0.01"))


def budget_for(
    period: Period,
    shares: list[Share],
    contacts: list[ContactRow],
    hours_per_week: Decimal,
    office_hours: tuple[dt.time, dt.time] = (DAY_STARTS, EVENING_STARTS),
) -> Budget:
    """Held contacts count as hours worked; cancelled, no-show and planned ones do not.
    ``office_hours`` (the programme's) say which count as out of hours."""
    budget = Budget(period, allotted_hours=allotted_hours(shares, period, hours_per_week))
    start, end = period.bounds()
    for c in contacts:
        if not start <= c.occurred_at < end:
            continue
        if c.outcome == "held":
            budget.held += 1
            budget.logged_minutes += c.duration_minutes
            if out_of_hours_kind(c.occurred_at, *office_hours):
                budget.out_of_hours_minutes += c.duration_minutes
        elif c.outcome in ("cancelled", "no_show"):
            setattr(budget, c.outcome, getattr(budget, c.outcome) + 1)
            missed = budget.missed_by_participant
            missed[c.participant_id] = missed.get(c.participant_id, 0) + 1
        elif c.outcome == "planned":
            budget.planned += 1
    return budget


def balance(weeks: list[Budget]) -> str:
    """ "over" or "under" when every week is far outside the budget, else ""."""
    ratios = [w.ratio for w in weeks]
    if len(ratios) < CONSISTENT_WEEKS or any(r is None for r in ratios):
        return ""
    if all(r > FAR_OVER for r in ratios):
        return "over"
    if all(r < FAR_UNDER for r in ratios):
        return "under"
    return ""


def last_full_weeks(today: dt.date, count: int = CONSISTENT_WEEKS) -> list[Period]:
    this_monday = week_of(today).start
    return [week_of(this_monday - dt.timedelta(weeks=n)) for n in range(count, 0, -1)]
