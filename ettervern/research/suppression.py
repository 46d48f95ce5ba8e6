"""Statistical disclosure control for the researcher's aggregated tables.

A table is shown with its row totals, column totals and grand total. Every count below
``THRESHOLD`` is suppressed (primary suppression), totals included, and zero too: "nobody in this
group" tells something about each person in the group. Then enough other entries are suppressed
that no suppressed entry can be recomputed (secondary suppression):

- every row and every column of the table *with its totals* is one equation (the cells add up to
  the total). A line with exactly one suppressed entry gives it away, so a second one is
  suppressed, the smallest shown entry of that line (an inner cell before a total). So does a
  line whose total is shown while its hidden cells add up to less than the threshold (each is
  then known to be small; all zero when they add up to 0): more are hidden until they add up
  to at least the threshold;
- beyond single lines, the equations of all lines together must not pin down any suppressed
  entry: an entry is determined exactly when its unit vector lies in the row space of the
  equations restricted to the suppressed entries (a rank test). If one is, the smallest shown
  entry in its row or column is suppressed as well, and the check runs again.

Pure functions, no Django: the property tests in ``tests/test_suppression.py`` drive them with
hypothesis.
"""

from dataclasses import dataclass

import numpy as np

THRESHOLD = 5


@dataclass(frozen=True)
class Suppressed:
    """A table of counts with totals, and which entries are hidden.

    ``grid`` is the extended table: ``rows + 1`` lines of ``cols + 1`` numbers, the last column
    the row totals, the last line the column totals, the corner the grand total. ``hidden`` has
    the same shape. ``primary`` marks the entries hidden because they are small."""

    grid: tuple[tuple[int, ...], ...]
    hidden: tuple[tuple[bool, ...], ...]
    primary: tuple[tuple[bool, ...], ...]

    @property
    def shown(self) -> list[list[int | None]]:
        return [
            [None if h else v for v, h in zip(row, hide, strict=True)]
            for row, hide in zip(self.grid, self.hidden, strict=True)
        ]

    @property
    def any_hidden(self) -> bool:
        return any(any(row) for row in self.hidden)


def extend(cells: list[list[int]]) -> list[list[int]]:
    """The table with its row totals, column totals and grand total."""
    rows = [list(row) + [sum(row)] for row in cells]
    width = len(rows[0]) if rows else 1
    totals = [sum(row[j] for row in rows) for j in range(width)]
    return rows + [totals]


def _lines(n_rows: int, n_cols: int) -> list[list[tuple[int, int]]]:
    """Every equation of the extended table as the entries it adds up (last = total)."""
    lines = [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    lines += [[(i, j) for i in range(n_rows)] for j in range(n_cols)]
    return lines


def _equations(n_rows: int, n_cols: int) -> np.ndarray:
    """One row per line: +1 for each inner entry, -1 for its total (sum - total = 0)."""
    lines = _lines(n_rows, n_cols)
    matrix = np.zeros((len(lines), n_rows * n_cols))
    for k, line in enumerate(lines):
        for i, j in line[:-1]:
            matrix[k, i * n_cols + j] = 1
        i, j = line[-1]
        matrix[k, i * n_cols + j] = -1
    return matrix


def determined(grid: list[list[int]], hidden: list[list[bool]]) -> list[tuple[int, int]]:
    """The hidden entries that the shown entries and the table's equations pin down exactly."""
    n_rows, n_cols = len(grid), len(grid[0])
    unknown = [i * n_cols + j for i in range(n_rows) for j in range(n_cols) if hidden[i][j]]
    if not unknown:
        return []
    a = _equations(n_rows, n_cols)[:, unknown]
    rank = np.linalg.matrix_rank(a)
    found = []
    for k, index in enumerate(unknown):
        unit = np.zeros((1, len(unknown)))
        unit[0, k] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.append(divmod(index, n_cols))
    return found


def _hide_one_more(grid, hidden, line) -> bool:
    """Hide the smallest shown entry of ``line``, inner cells before totals. False if none."""
    n_rows, n_cols = len(grid), len(grid[0])
    candidates = [
        (i == n_rows - 1 or j == n_cols - 1, grid[i][j], i, j) for i, j in line if not hidden[i][j]
    ]
    if not candidates:
        return False
    _total, _value, i, j = min(candidates)
    hidden[i][j] = True
    return True


def _line_gives_away(grid, hidden, line, threshold: int) -> bool:
    """One hidden entry in a line is its value; with the total shown, hidden entries that add
    up to less than the threshold are each known to be small (all zero when they add up to 0)."""
    count = sum(hidden[i][j] for i, j in line)
    if count == 1:
        return True
    total_i, total_j = line[-1]
    if count == 0 or hidden[total_i][total_j]:
        return False
    return sum(grid[i][j] for i, j in line[:-1] if hidden[i][j]) < threshold


def suppress(cells: list[list[int]], *, threshold: int = THRESHOLD) -> Suppressed:
    """Suppress small counts of ``cells`` (rows of equal length) and what would reveal them."""
    if not cells or not cells[0]:
        cells = [[0]]
    grid = extend(cells)
    n_rows, n_cols = len(grid), len(grid[0])
    primary = [[value < threshold for value in row] for row in grid]
    hidden = [list(row) for row in primary]
    lines = _lines(n_rows, n_cols)
    while True:
        changed = False
        for line in lines:
            if _line_gives_away(grid, hidden, line, threshold):
                changed |= _hide_one_more(grid, hidden, line)
        if changed:
            continue
        exposed = determined(grid, hidden)
        if not exposed:
            break
        i, j = exposed[0]
        row_line = [(i, c) for c in range(n_cols)]
        col_line = [(r, j) for r in range(n_rows)]
        if not (_hide_one_more(grid, hidden, row_line) or _hide_one_more(grid, hidden, col_line)):
            break  # everything in its row and column is hidden already: nothing pins it
    return Suppressed(
        grid=tuple(tuple(row) for row in grid),
        hidden=tuple(tuple(row) for row in hidden),
        primary=tuple(tuple(row) for row in primary),
    )
