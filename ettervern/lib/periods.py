"""Calendar periods in local time (Europe/Oslo): weeks from Monday, months, and their bounds.

Pure helpers, no models: the time budget, group supervision and reports count by them.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

# A full-time working week in Norway, for position shares ("10 % per participant").
FULL_TIME_HOURS = Decimal("37.5")


@dataclass(frozen=True)
class Period:
    start: dt.date  # first day
    end: dt.date  # last day (inclusive)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware datetimes [start, end) at local midnight, right across daylight-saving changes."""
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        # In UTC: Python compares datetimes sharing one tzinfo by wall time.
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def week_of(day: dt.date) -> Period:
    monday = day - dt.timedelta(days=day.weekday())
    return Period(monday, monday + dt.timedelta(days=6))


def month_of(day: dt.date) -> Period:
    first = day.replace(day=1)
    next_first = (first + dt.timedelta(days=32)).replace(day=1)
    return Period(first, next_first - dt.timedelta(days=1))


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = month_of(dt.date(year, month + 1, 1)).end.day
    return dt.date(year, month + 1, min(day.day, last))
