"""Report periods in short codes, and the local clock the contacts are counted by."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ettervern.lib.periods import Period
from ettervern.reports import periods, render
from ettervern.reports.sections import _offsets, count, mean


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2026-11", "2026-11-01", "2026-11-30"),
        ("2028-02", "2028-02-01", "2028-02-29"),
        ("2026-K4", "2026-10-01", "2026-12-31"),
        ("2026", "2026-01-01", "2026-12-31"),
        ("2026-01-15..2026-03-31", "2026-01-15", "2026-03-31"),
    ],
)
def test_codes_name_periods_and_back(code, start, end):
    period = periods.parse(code)
    assert period == Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert periods.code(period) == code


@pytest.mark.parametrize("bad", ["", "2026-13", "26-11", "2026-K5", "2026-11-30..2026-11-01"])
def test_bad_codes_are_refused(bad):
    with pytest.raises(ValidationError):
        periods.parse(bad)


def test_a_year_in_oslo_has_three_clock_pieces():
    """Winter time (+1), summer time (+2) from the last Sunday of March, winter again from the
    last Sunday of October: the database adds one constant per piece."""
    pieces = _offsets(periods.parse("2026"))
    assert [seconds for _until, seconds in pieces] == [3600, 7200, 3600]
    assert pieces[0][0] == dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)
    assert pieces[1][0] == dt.datetime(2026, 10, 25, 1, 0, tzinfo=dt.UTC)


def test_a_mean_of_fewer_than_five_people_is_hidden_in_a_shared_copy():
    assert render.display(mean(31.25, of=3), shared=True) == "<5"
    assert render.excel_value(mean(31.25, of=3), shared=True) == "<5"
    assert render.display(mean(31.25, of=3)) == "31,2"
    assert render.display(mean(31.25, of=5), shared=True) == "31,2"
    assert render.display(count(0), shared=True) == "0"
    assert render.display(count(4), shared=True) == "<5"
