"""Report periods: a month, a quarter, a year or any span of days, written as one short text
(``2026-11``, ``2026-K4``, ``2026``, ``2026-01-15..2026-03-31``) in links and on the console."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ettervern.lib.periods import Period, month_of

# A report longer than this is most likely a typing error (and a heavy query).
LONGEST_DAYS = 5 * 366

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
QUARTER = re.compile(r"^(\d{4})-[KkQq]([1-4])$")
YEAR = re.compile(r"^(\d{4})$")
SPAN = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def month(year: int, number: int) -> Period:
    return month_of(dt.date(year, number, 1))


def quarter(year: int, number: int) -> Period:
    first = month(year, 3 * number - 2)
    return Period(first.start, month(year, 3 * number).end)


def year(number: int) -> Period:
    return Period(dt.date(number, 1, 1), dt.date(number, 12, 31))


def span(start: dt.date, end: dt.date) -> Period:
    """A custom period; refused in Norwegian when it ends before it starts or is far too long."""
    if end < start:
        raise ValidationError(_("The period ends before it starts."), code="reversed")
    if (end - start).days + 1 > LONGEST_DAYS:
        raise ValidationError(_("A report can cover at most five years."), code="too_long")
    return Period(start, end)


def parse(text: str) -> Period:
    """The period a short text names; ValidationError (in Norwegian) for anything else."""
    text = (text or "").strip()
    try:
        if m := MONTH.match(text):
            return month(int(m[1]), int(m[2]))
        if m := QUARTER.match(text):
            return quarter(int(m[1]), int(m[2]))
        if m := YEAR.match(text):
            return year(int(m[1]))
        if m := SPAN.match(text):
            return span(dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2]))
    except ValueError:
        pass
    raise ValidationError(
        _(
            "Write the period as 2026-11 (month), 2026-K4 (quarter), 2026 (year) or "
            "2026-01-01..2026-03-31."
        ),
        code="invalid",
    )


def code(period: Period) -> str:
    """The short text for a period (the inverse of ``parse``)."""
    start, end = period.start, period.end
    if start.day == 1 and month_of(start) == period:
        return f"{start:%Y-%m}"
    if start.month == 1 and start.day == 1 and end == dt.date(start.year, 12, 31):
        return f"{start.year}"
    if (
        start.day == 1
        and start.month % 3 == 1
        and quarter(start.year, start.month // 3 + 1) == period
    ):
        return f"{start.year}-K{start.month // 3 + 1}"
    return f"{start.isoformat()}..{end.isoformat()}"


def label(period: Period) -> str:
    """How the period reads in the report's heading."""
    c = code(period)
    if MONTH.match(c):
        names = [
            _("January"),
            _("February"),
            _("March"),
            _("April"),
            _("May"),
            _("June"),
            _("July"),
            _("August"),
            _("September"),
            _("October"),
            _("November"),
            _("December"),
        ]
        return f"{names[period.start.month - 1]} {period.start.year}"
    if QUARTER.match(c):
        return _("Quarter %(n)s %(year)s") % {"n": c[-1], "year": period.start.year}
    if YEAR.match(c):
        return c
    return f"{period.start:%d.%m.%Y}–{period.end:%d.%m.%Y}"
