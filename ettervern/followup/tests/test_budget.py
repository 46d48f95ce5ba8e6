"""Time-budget arithmetic: periods in Europe/Oslo, shares per day, what counts as hours."""

import datetime as dt
from decimal import Decimal

from ettervern.followup import budget
from ettervern.followup.budget import ContactRow, Share
from ettervern.lib import periods
from ettervern.lib.periods import Period
from ettervern.peers.tests.conftest import oslo

HOURS = Decimal("3.75")


def test_week_runs_monday_to_sunday():
    week = periods.week_of(dt.date(2026, 11, 22))  # a Sunday
    assert (week.start, week.end) == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))


def test_month_handles_february_and_december():
    assert periods.month_of(dt.date(2028, 2, 10)).end == dt.date(2028, 2, 29)
    assert periods.month_of(dt.date(2026, 12, 31)) == Period(
        dt.date(2026, 12, 1), dt.date(2026, 12, 31)
    )


def test_months_before_clamps_to_the_last_day():
    assert periods.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert periods.months_before(dt.date(2026, 1, 15), 2) == dt.date(2025, 11, 15)


def test_period_bounds_are_local_midnight_across_daylight_saving():
    # Summer time ends on Sunday 25 October 2026: that week is 169 hours long.
    start, end = periods.week_of(dt.date(2026, 10, 21)).bounds()
    assert start == oslo(2026, 10, 19)
    assert end - start == dt.timedelta(hours=169)


def test_one_share_for_a_whole_week_is_the_programme_hours():
    week = periods.week_of(dt.date(2026, 11, 18))
    assert budget.allotted_hours([Share(dt.date(2026, 1, 1), None)], week, HOURS) == HOURS


def test_share_started_midweek_counts_per_day_held():
    week = periods.week_of(dt.date(2026, 11, 18))  # 16–22 November
    shares = [Share(dt.date(2026, 11, 20), None), Share(dt.date(2026, 1, 1), dt.date(2026, 11, 16))]
    # Three days of one share and one day of the other: 4/7 of 3.75.
    assert budget.allotted_hours(shares, week, HOURS) == Decimal("2.14")


def test_month_budget_for_two_participants():
    month = periods.month_of(dt.date(2026, 11, 5))  # 30 days
    shares = [Share(dt.date(2026, 10, 1), None), Share(dt.date(2026, 10, 1), None)]
    assert budget.allotted_hours(shares, month, HOURS) == Decimal("32.14")


def test_cancelled_no_show_and_planned_contacts_are_not_hours():
    week = periods.week_of(dt.date(2026, 11, 18))
    contacts = [
        ContactRow(oslo(2026, 11, 17, 10), 90, "held", 1),
        ContactRow(oslo(2026, 11, 18, 10), 60, "cancelled", 1),
        ContactRow(oslo(2026, 11, 19, 10), 60, "cancelled", 1),
        ContactRow(oslo(2026, 11, 19, 12), 60, "no_show", 1),
        ContactRow(oslo(2026, 11, 20, 10), 60, "planned", 2),
    ]
    b = budget.budget_for(week, [], contacts, HOURS)
    assert b.logged_hours == Decimal("1.50")
    assert (b.held, b.cancelled, b.no_show, b.planned) == (1, 2, 1, 1)
    assert b.often_missed == [3]


def test_contacts_at_the_edges_of_a_local_week():
    week = periods.week_of(dt.date(2026, 11, 18))
    contacts = [
        ContactRow(oslo(2026, 11, 15, 23, 59), 60, "held"),  # Sunday before: not this week
        ContactRow(oslo(2026, 11, 16, 0, 0), 30, "held"),  # Monday 00:00 local, 23:00 UTC Sunday
        ContactRow(oslo(2026, 11, 22, 23, 59), 15, "held"),
        ContactRow(oslo(2026, 11, 23, 0, 0), 60, "held"),  # next Monday: not this week
    ]
    assert budget.budget_for(week, [], contacts, HOURS).logged_minutes == 45


def test_out_of_hours_share_is_of_held_minutes():
    week = periods.week_of(dt.date(2026, 11, 18))
    contacts = [
        ContactRow(oslo(2026, 11, 17, 10), 60, "held"),  # daytime
        ContactRow(oslo(2026, 11, 17, 19), 30, "held"),  # evening
        ContactRow(oslo(2026, 11, 21, 12), 30, "held"),  # Saturday
        ContactRow(oslo(2026, 11, 18, 23), 60, "cancelled"),  # not hours at all
    ]
    assert budget.budget_for(week, [], contacts, HOURS).out_of_hours_percent == 50


def test_no_hours_has_no_out_of_hours_share():
    week = periods.week_of(dt.date(2026, 11, 18))
    assert budget.budget_for(week, [], [], HOURS).out_of_hours_percent is None


def _weeks(logged_hours: list[float]) -> list[budget.Budget]:
    out = []
    for n, hours in enumerate(logged_hours):
        b = budget.Budget(periods.week_of(dt.date(2026, 11, 2) + dt.timedelta(weeks=n)), HOURS)
        b.logged_minutes = int(hours * 60)
        out.append(b)
    return out


def test_balance_needs_every_week_far_outside_the_budget():
    assert budget.balance(_weeks([6, 7, 8, 6])) == "over"
    assert budget.balance(_weeks([1, 0, 1, 0.5])) == "under"
    assert budget.balance(_weeks([6, 7, 3, 6])) == ""
    assert budget.balance(_weeks([6, 7, 8])) == ""
