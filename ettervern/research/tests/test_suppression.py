"""Suppression of small counts: properties over random tables (hypothesis)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ettervern.research.suppression import THRESHOLD, _equations, extend, suppress

tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda cols: st.lists(
        st.lists(st.one_of(st.integers(0, 6), st.integers(0, 40)), min_size=cols, max_size=cols),
        min_size=1,
        max_size=5,
    )
)


def _lines(result):
    grid, hidden = result.grid, result.hidden
    rows = [list(zip(r, h, strict=True)) for r, h in zip(grid, hidden, strict=True)]
    cols = [list(c) for c in zip(*rows, strict=True)]
    return rows + cols


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_shown_entry_is_below_the_threshold(cells):
    result = suppress(cells)
    for row in result.shown:
        for value in row:
            assert value is None or value >= THRESHOLD


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_suppressed_entry_follows_from_its_row_or_column(cells):
    """A line (row or column with its total) never has exactly one hidden entry: the shown
    entries and the total would give it away."""
    result = suppress(cells)
    for line in _lines(result):
        assert sum(hidden for _value, hidden in line) != 1


@settings(max_examples=300, deadline=None)
@given(tables)
def test_hidden_cells_of_a_line_with_its_total_shown_add_up_to_at_least_the_threshold(cells):
    """Otherwise each of them would be known to lie below the threshold (or to be 0)."""
    result = suppress(cells)
    for line in _lines(result):
        *inner, (_total, total_hidden) = line
        hidden_sum = sum(value for value, hidden in inner if hidden)
        if not total_hidden and any(hidden for _v, hidden in inner):
            assert hidden_sum >= THRESHOLD


@settings(max_examples=200, deadline=None)
@given(tables)
def test_no_suppressed_entry_follows_from_all_equations_together(cells):
    """Independent check of the whole system: for each hidden entry, some other table with the
    same shown entries and consistent totals gives it another value (a null-space direction
    of the equations restricted to the hidden entries moves it)."""
    result = suppress(cells)
    grid = np.array(result.grid)
    n_rows, n_cols = grid.shape
    hidden = np.array(result.hidden).reshape(-1)
    if not hidden.any():
        return
    a = _equations(n_rows, n_cols)[:, hidden]
    _u, s, vt = np.linalg.svd(a)
    rank = int((s > 1e-9).sum())
    null = vt[rank:]
    assert null.shape[0] > 0
    for k in range(hidden.sum()):
        assert np.abs(null[:, k]).max() > 1e-9


@settings(max_examples=200, deadline=None)
@given(tables)
def test_shown_entries_are_the_true_counts(cells):
    result = suppress(cells)
    full = extend(cells)
    for row, true in zip(result.shown, full, strict=True):
        for value, expected in zip(row, true, strict=True):
            assert value is None or value == expected


def test_a_single_small_cell_takes_a_complementary_cell_in_its_row_and_column():
    result = suppress([[1, 10, 12], [8, 9, 20]])
    hidden = result.hidden
    assert hidden[0][0]  # the 1
    assert sum(hidden[0]) >= 2  # another entry in its row
    assert sum(row[0] for row in hidden) >= 2  # another entry in its column
    assert result.primary[0][0] and not result.primary[0][1]


def test_a_table_without_small_counts_is_shown_whole():
    result = suppress([[5, 6], [7, 8]])
    assert not result.any_hidden
    assert result.shown[-1][-1] == 26
