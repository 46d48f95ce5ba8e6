"""The batch plan for everyone waiting (exactly optimal), and the greedy baseline."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from ettervern.matching.core.data import Participant, Peer, Reason
from ettervern.matching.core.eligibility import check_eligibility
from ettervern.matching.core.matrix import ScoreMatrix, score_matrix
from ettervern.matching.core.weights import DEFAULT_WEIGHTS, Weights

# The solver compares scores as whole multiples of 1/SCORE_UNITS points, so its arithmetic
# is exact (see plan_matches).
SCORE_UNITS = 10_000
# Participants scored at a time: bounds the memory of the score arrays (rows x peers floats)
# whatever the length of the waiting list.
CHUNK_ROWS = 4096
_MAX_UNITS = 100 * SCORE_UNITS


@dataclass(frozen=True, slots=True)
class Pair:
    participant_id: int
    peer_id: int
    score: float


@dataclass(frozen=True, slots=True)
class Plan:
    pairs: tuple[Pair, ...]  # ordered by participant id
    unmatched_participant_ids: tuple[int, ...]  # ascending

    @property
    def matched(self) -> int:
        return len(self.pairs)

    @property
    def total_score(self) -> float:
        return float(sum(pair.score for pair in self.pairs))

    @property
    def lowest_score(self) -> float | None:
        return min((pair.score for pair in self.pairs), default=None)


class LockedPairError(ValueError):
    """A locked pair cannot be honoured; ``reasons`` say why (render with ``explain_nb``)."""

    def __init__(self, participant_id: int, peer_id: int, reasons: Sequence[Reason]) -> None:
        codes = ", ".join(r.code for r in reasons)
        super().__init__(f"locked pair ({participant_id}, {peer_id}) not possible: {codes}")
        self.participant_id = participant_id
        self.peer_id = peer_id
        self.reasons = tuple(reasons)


@dataclass(frozen=True, slots=True)
class _Problem:
    participant_ids: np.ndarray
    peer_ids: np.ndarray
    free: np.ndarray  # free slots per peer after the locked pairs
    locked: dict[int, int]  # row -> column of each locked pair
    forbidden: dict[int, list[int]]  # row -> columns it may not be planned with


def _ids(kind: str, items: Sequence[Participant] | Sequence[Peer]) -> np.ndarray:
    ids = np.fromiter((item.id for item in items), dtype=np.int64, count=len(items))
    if len(np.unique(ids)) != len(ids):
        raise ValueError(f"duplicate {kind} ids")
    return ids


def _problem(
    participants: Sequence[Participant],
    peers: Sequence[Peer],
    reference_year: int,
    locked: Iterable[tuple[int, int]],
    forbidden: Iterable[tuple[int, int]],
    matrix: ScoreMatrix | None,
) -> _Problem:
    participant_ids, peer_ids = _ids("participant", participants), _ids("peer", peers)
    if matrix is not None and (
        not np.array_equal(participant_ids, matrix.participant_ids)
        or not np.array_equal(peer_ids, matrix.peer_ids)
    ):
        raise ValueError("the score matrix was computed for other participants or peers")
    row = {p.id: i for i, p in enumerate(participants)}
    column = {q.id: j for j, q in enumerate(peers)}
    forbidden_set = set()
    forbidden_cells: dict[int, list[int]] = {}
    for participant_id, peer_id in forbidden:
        forbidden_set.add((participant_id, peer_id))
        # Forbidden pairs of people outside this batch are simply irrelevant.
        if participant_id in row and peer_id in column:
            forbidden_cells.setdefault(row[participant_id], []).append(column[peer_id])

    free = np.array([q.free_slots for q in peers], dtype=np.int64)
    locked_cells: dict[int, int] = {}
    for participant_id, peer_id in locked:
        if participant_id not in row:
            raise LockedPairError(participant_id, peer_id, [Reason("unknown_participant")])
        if peer_id not in column:
            raise LockedPairError(participant_id, peer_id, [Reason("unknown_peer")])
        i, j = row[participant_id], column[peer_id]
        if i in locked_cells:
            raise LockedPairError(participant_id, peer_id, [Reason("participant_locked_twice")])
        failed = check_eligibility(participants[i], peers[j], reference_year=reference_year)
        if (participant_id, peer_id) in forbidden_set:
            failed.append(Reason("forbidden_pair"))
        if failed:
            raise LockedPairError(participant_id, peer_id, failed)
        free[j] -= 1
        if free[j] < 0:
            n_locked = sum(1 for jj in locked_cells.values() if jj == j) + 1
            raise LockedPairError(
                participant_id,
                peer_id,
                [Reason("over_capacity", {"locked": n_locked, "free": peers[j].free_slots})],
            )
        locked_cells[i] = j
    return _Problem(participant_ids, peer_ids, free, locked_cells, forbidden_cells)


def _waiting_order(participant: Participant) -> tuple[bool, object, int]:
    """Longest waiting first; those without a date last; then by id."""
    waited = participant.waiting_since
    return (waited is None, waited if waited is not None else 0, participant.id)


def _row_order(participants: Sequence[Participant], problem: _Problem) -> np.ndarray:
    """The rows in the order they are scored: the locked first, then the others longest
    waiting first (the greedy order)."""
    locked_rows = sorted(problem.locked)
    others = sorted(
        (i for i in range(len(participants)) if i not in problem.locked),
        key=lambda i: _waiting_order(participants[i]),
    )
    return np.array(locked_rows + others, dtype=np.int64)


def _blocks(
    participants: Sequence[Participant],
    peers: Sequence[Peer],
    problem: _Problem,
    reference_year: int,
    weights: Weights,
    matrix: ScoreMatrix | None,
    chunk_rows: int,
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(rows, scores, allowed) for the participants a chunk at a time: the locked first, then
    the others longest waiting first (the greedy order). ``allowed`` is eligible, not
    forbidden, not locked elsewhere and the peer has a free slot after the locked pairs."""
    order = _row_order(participants, problem)
    has_slot = problem.free > 0
    for start in range(0, len(order), max(1, chunk_rows)):
        rows = order[start : start + chunk_rows]
        if matrix is not None:
            scores, eligible = matrix.scores[rows], matrix.eligible[rows]
        else:
            block = score_matrix(
                [participants[i] for i in rows],
                peers,
                reference_year=reference_year,
                weights=weights,
            )
            scores, eligible = block.scores, block.eligible
        allowed = eligible & has_slot[None, :]
        for r, i in enumerate(rows.tolist()):
            if i in problem.locked:
                allowed[r, :] = False
            for j in problem.forbidden.get(i, ()):
                allowed[r, j] = False
        yield rows, scores, allowed


@dataclass(frozen=True, slots=True)
class _Edges:
    """Kept pairs as flat arrays, ordered by column, best score first, then lower row."""

    rows: np.ndarray
    cols: np.ndarray
    units: np.ndarray
    scores: np.ndarray
    allowed_count: np.ndarray  # per column: its allowed rows (kept or not)

    def columns(self, columns: Sequence[int], offset: int) -> _Edges:
        """Only these columns, renumbered ``offset``, ``offset + 1``, ... in the given order."""
        picked = [np.flatnonzero(self.cols == j) for j in columns]
        at = np.concatenate([np.empty(0, dtype=np.int64), *picked])
        new_cols = np.repeat(np.arange(len(columns), dtype=np.int64), [len(p) for p in picked])
        return _Edges(
            self.rows[at],
            new_cols + offset,
            self.units[at],
            self.scores[at],
            self.allowed_count[list(columns)],
        )

    def then(self, other: _Edges) -> _Edges:
        """These edges followed by ``other``'s (whose columns come after these)."""
        return _Edges(
            np.concatenate([self.rows, other.rows]),
            np.concatenate([self.cols, other.cols]),
            np.concatenate([self.units, other.units]),
            np.concatenate([self.scores, other.scores]),
            np.concatenate([self.allowed_count, other.allowed_count]),
        )


class _TopRows:
    """Per peer column, the ``keep`` allowed rows with the highest scores seen so far (ties: the
    lower row index), as flat arrays; fed one chunk of rows at a time."""

    def __init__(self, keep: int, n_rows: int, n_columns: int) -> None:
        if n_rows >= 2**26 or n_columns >= 2**16:
            raise ValueError("too many participants or peers for the sort key")
        self.keep = keep
        self.rows = np.empty(0, dtype=np.int64)
        self.cols = np.empty(0, dtype=np.int64)
        self.units = np.empty(0, dtype=np.int64)
        self.scores = np.empty(0, dtype=np.float64)
        self.allowed_count = np.zeros(n_columns, dtype=np.int64)
        self.threshold = np.zeros(n_columns, dtype=np.int64)

    def add(self, rows: np.ndarray, scores: np.ndarray, allowed: np.ndarray) -> None:
        self.allowed_count += allowed.sum(axis=0)
        units = np.where(allowed, np.rint(scores * SCORE_UNITS).astype(np.int64), -1)
        # Only what reaches a column's current threshold (its keep-th best so far) can enter.
        units[units < self.threshold[None, :]] = -1
        if len(rows) > self.keep:
            # Only the chunk's best ``keep`` per column can be among the best overall.
            top = np.argpartition(-units, self.keep - 1, axis=0)[: self.keep]
            cols = np.broadcast_to(np.arange(units.shape[1])[None, :], top.shape).ravel()
            top = top.ravel()
            kept = units[top, cols] >= 0
            top, cols = top[kept], cols[kept]
        else:
            top, cols = np.nonzero(units >= 0)
        if len(top) == 0:
            return
        self.rows = np.concatenate([self.rows, rows[top]])
        self.cols = np.concatenate([self.cols, cols])
        self.units = np.concatenate([self.units, units[top, cols]])
        self.scores = np.concatenate([self.scores, scores[top, cols]])
        # Back to at most ``keep`` per column: by column, best score first, then lower row.
        # One integer key (column, then best units, then row): a stable sort of one key is
        # much faster than a lexsort, and the part kept from before is already in order.
        key = (self.cols << 47) | ((_MAX_UNITS - self.units) << 26) | self.rows
        order = np.argsort(key, kind="stable")
        cols_sorted = self.cols[order]
        rank = np.arange(len(order)) - np.searchsorted(cols_sorted, cols_sorted, side="left")
        order = order[rank < self.keep]
        self.rows, self.cols = self.rows[order], self.cols[order]
        self.units, self.scores = self.units[order], self.scores[order]
        full = np.bincount(self.cols, minlength=len(self.threshold)) == self.keep
        last = np.searchsorted(self.cols, np.flatnonzero(full), side="right") - 1
        self.threshold[full] = self.units[last]

    def edges(self) -> _Edges:
        return _Edges(self.rows, self.cols, self.units, self.scores, self.allowed_count)


def _solve(top: _Edges, free: np.ndarray) -> list[tuple[int, int, float]]:
    """The optimal (row, column, score) cells among the kept edges; see :func:`plan_matches`."""
    slots = np.minimum(free.clip(min=0), top.allowed_count)
    n_slots = int(slots.sum())
    if n_slots == 0 or len(top.rows) == 0:
        return []
    # Right-hand vertices: the distinct kept rows, then one "unmatched" vertex per slot.
    people, right = np.unique(top.rows, return_inverse=True)
    big = _MAX_UNITS * n_slots + 1
    if (big + _MAX_UNITS + 1) * n_slots >= 2**53:
        raise ValueError("too many free slots for exact arithmetic")
    slot_start = np.concatenate([[0], np.cumsum(slots)[:-1]])
    # Every kept edge of a column, once per slot of that column.
    repeat = slots[top.cols]
    edge = np.repeat(np.arange(len(top.cols)), repeat)
    offset = np.arange(len(edge)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    left = slot_start[top.cols[edge]] + offset
    dummy = np.arange(n_slots)
    graph = csr_matrix(
        (
            np.concatenate(
                [_MAX_UNITS + 1 - top.units[edge], np.full(n_slots, big + _MAX_UNITS + 1)]
            ).astype(np.float64),
            (np.concatenate([left, dummy]), np.concatenate([right[edge], len(people) + dummy])),
        ),
        shape=(n_slots, len(people) + n_slots),
    )
    slot_column = np.repeat(np.arange(len(slots)), slots)
    slot_ind, right_ind = min_weight_full_bipartite_matching(graph)
    real = right_ind < len(people)
    rows, cols = people[right_ind[real]], slot_column[slot_ind[real]]
    # The exact float score of each chosen pair, from its kept edge.
    width = len(free)
    keys = top.rows * width + top.cols
    order = np.argsort(keys)
    at = order[np.searchsorted(keys, rows * width + cols, sorter=order)]
    return list(zip(rows.tolist(), cols.tolist(), top.scores[at].tolist(), strict=True))


def _plan(problem: _Problem, cells: Iterable[tuple[int, int, float]]) -> Plan:
    ids, peer_ids = problem.participant_ids, problem.peer_ids
    pairs = sorted(
        (Pair(int(ids[i]), int(peer_ids[j]), score) for i, j, score in cells),
        key=lambda p: p.participant_id,
    )
    matched = {pair.participant_id for pair in pairs}
    unmatched = sorted(int(pid) for pid in ids if int(pid) not in matched)
    return Plan(tuple(pairs), tuple(unmatched))


def plan_batch(
    participants: Sequence[Participant],
    peers: Sequence[Peer],
    *,
    reference_year: int,
    weights: Weights = DEFAULT_WEIGHTS,
    locked: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
    matrix: ScoreMatrix | None = None,
    optimal: bool = True,
    greedy: bool = True,
    chunk_rows: int = CHUNK_ROWS,
) -> tuple[Plan | None, Plan | None]:
    """The optimal plan (:func:`plan_matches`) and the greedy baseline (:func:`plan_greedy`)
    with one pass over the scores, ``chunk_rows`` participants at a time; ``None`` for the one
    not asked for. Memory: one chunk of scores, plus at most (free slots) kept pairs per peer."""
    problem = _problem(participants, peers, reference_year, locked, forbidden, matrix)
    locked_cells: list[tuple[int, int, float]] = []
    # Pruning (see plan_matches): the best S rows per peer, S = all free slots after the locks.
    keep = int(problem.free.clip(min=0).sum())
    top = _TopRows(keep, len(participants), len(peers)) if optimal and keep > 0 else None
    greedy_free = problem.free.copy()
    greedy_cells: list[tuple[int, int, float]] = []
    for rows, scores, allowed in _blocks(
        participants, peers, problem, reference_year, weights, matrix, chunk_rows
    ):
        for r, i in enumerate(rows.tolist()):
            if i in problem.locked:
                j = problem.locked[i]
                locked_cells.append((i, j, float(scores[r, j])))
        if top is not None:
            top.add(rows, scores, allowed)
        if greedy and greedy_free.any():
            for r, i in enumerate(rows.tolist()):
                candidates = np.flatnonzero(allowed[r] & (greedy_free > 0))
                if len(candidates) == 0:
                    continue
                row_scores = scores[r, candidates]
                best = candidates[row_scores == row_scores.max()]
                j = int(best[np.argmin(problem.peer_ids[best])])
                greedy_free[j] -= 1
                greedy_cells.append((i, j, float(scores[r, j])))
                if not greedy_free.any():
                    break
        elif not optimal and len(locked_cells) == len(problem.locked):
            break  # the greedy plan is complete and nothing else is asked for
    best = (
        _plan(problem, locked_cells + (_solve(top.edges(), problem.free) if top else []))
        if optimal
        else None
    )
    baseline = _plan(problem, locked_cells + greedy_cells) if greedy else None
    return best, baseline


def plan_matches(
    participants: Sequence[Participant],
    peers: Sequence[Peer],
    *,
    reference_year: int,
    weights: Weights = DEFAULT_WEIGHTS,
    locked: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
    matrix: ScoreMatrix | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> Plan:
    """The optimal plan: first as many participants matched as possible, then the highest total
    score, under every hard constraint and capacity (free slots = capacity - load).

    ``locked`` pairs (participant id, peer id) are in the plan (``LockedPairError`` if one is
    ineligible, forbidden or over the peer's capacity); ``forbidden`` pairs never are. Pass the
    ``matrix`` from :func:`score_matrix` of the same inputs to avoid scoring twice; without it
    the participants are scored ``chunk_rows`` at a time, so no full score matrix is held.

    Scores are compared as integer units of 1/SCORE_UNITS points (``units``, rounded).

    Pruning (exact): let S be the total of free slots after the locked pairs. For each peer only
    its S best allowed participants by units (ties broken in any fixed way) are kept. Some
    optimal plan uses only kept pairs: take an optimal plan with a pair (i, j) where i is not
    among j's kept rows. The plan matches at most S people, i among them, so at least one of
    j's S kept rows, r, is unmatched. Replacing (i, j) by (r, j) keeps every capacity and the
    count, and units(r, j) >= units(i, j), so the plan stays optimal with one pair fewer outside
    the kept ones; repeat. Hence the optimum over the kept pairs is the optimum over all.

    Solving (exact): each peer becomes as many left vertices ("slots") as it has free slots
    (no more than its allowed participants); the right vertices are the kept participants and
    one "unmatched" vertex per slot, joined to that slot only, so a full matching of the slots
    always exists. ``scipy.sparse.csgraph.min_weight_full_bipartite_matching`` (LAPJVsp, which
    needs non-zero weights: all are positive here) finds the minimum over full matchings of
    the costs ``M + 1 - units`` for a real pair and ``BIG + M + 1`` for "unmatched", where
    M = 100 x SCORE_UNITS and ``BIG`` = M x slots + 1. Every full matching has one edge per
    slot, so its cost is slots x (M + 1) - (total units) + BIG x (unmatched slots): minimising
    it matches as many as possible first (``BIG`` exceeds any total of units), then maximises
    the total units. All costs and sums are integers below 2**53, so the solver's float
    arithmetic is exact.
    """
    plan, _ = plan_batch(
        participants,
        peers,
        reference_year=reference_year,
        weights=weights,
        locked=locked,
        forbidden=forbidden,
        matrix=matrix,
        greedy=False,
        chunk_rows=chunk_rows,
    )
    assert plan is not None
    return plan


def plan_greedy(
    participants: Sequence[Participant],
    peers: Sequence[Peer],
    *,
    reference_year: int,
    weights: Weights = DEFAULT_WEIGHTS,
    locked: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
    matrix: ScoreMatrix | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> Plan:
    """The baseline: longest-waiting first, each participant takes the best-scoring eligible
    peer that still has a free slot (ties: lower peer id). Same rules for ``locked``/``forbidden``
    as :func:`plan_matches`. Scoring stops once every free slot is taken."""
    _, greedy = plan_batch(
        participants,
        peers,
        reference_year=reference_year,
        weights=weights,
        locked=locked,
        forbidden=forbidden,
        matrix=matrix,
        optimal=False,
        chunk_rows=chunk_rows,
    )
    assert greedy is not None
    return greedy


class PreparedPlan:
    """A planning problem scored once and pruned so that it can be solved again, exactly, with
    extra peers added: what one more peer of some profile would do (the recruitment radar).
    Made by :func:`prepare_plan`."""

    def __init__(
        self,
        participants: Sequence[Participant],
        problem: _Problem,
        order: np.ndarray,
        locked_cells: list[tuple[int, int, float]],
        base: _Edges | None,
        kept: _Edges | None,
        extra_capacity: int,
        forbidden: dict[int, list[int]],
        reference_year: int,
        weights: Weights,
        chunk_rows: int,
    ) -> None:
        self._participants = participants
        self._problem = problem
        self._order = order
        self._locked_cells = locked_cells
        self._base = base
        self._kept = kept
        self.extra_capacity = extra_capacity
        self._forbidden = forbidden
        self._reference_year = reference_year
        self._weights = weights
        self._chunk_rows = chunk_rows

    def solve(self, extra_peers: Sequence[Peer] = ()) -> Plan:
        """The optimal plan with ``extra_peers`` added (their free slots at most
        ``extra_capacity`` in all). Without extra peers it is :func:`plan_matches`' plan;
        with extra peers whose free slots make up exactly ``extra_capacity``, it is
        ``plan_matches(participants, [*peers, *extra_peers])``'s; otherwise one as good."""
        if not extra_peers:
            cells = _solve(self._base, self._problem.free) if self._base is not None else []
            return _plan(self._problem, self._locked_cells + cells)
        return self._solve_with(self._score(extra_peers), range(len(extra_peers)), extra_peers)

    def solve_each(self, candidates: Sequence[Peer]) -> list[Plan]:
        """``[self.solve([c]) for c in candidates]``, the candidates scored in one pass (their
        ids must differ)."""
        if not candidates:
            return []
        scored = self._score(candidates)
        return [self._solve_with(scored, [k], [c]) for k, c in enumerate(candidates)]

    def _score(self, extra_peers: Sequence[Peer]) -> _Edges:
        """Each extra peer's best allowed rows (as many as the real peers keep), fed in the
        same chunks and order as the real peers were, so ties are kept alike."""
        extra_ids = _ids("peer", extra_peers)
        if np.isin(extra_ids, self._problem.peer_ids).any():
            raise ValueError("an extra peer has the id of a peer of the plan")
        n_rows = len(self._participants)
        matrix = score_matrix(
            self._participants,
            extra_peers,
            reference_year=self._reference_year,
            weights=self._weights,
        )
        allowed = matrix.eligible & np.array([q.free_slots > 0 for q in extra_peers])[None, :]
        allowed[list(self._problem.locked), :] = False
        for j, peer_id in enumerate(extra_ids.tolist()):
            allowed[self._forbidden.get(peer_id, []), j] = False
        keep = int(self._problem.free.clip(min=0).sum()) + self.extra_capacity
        top = _TopRows(max(keep, 1), n_rows, len(extra_peers))
        step = max(1, self._chunk_rows)
        for start in range(0, len(self._order), step):
            rows = self._order[start : start + step]
            top.add(rows, matrix.scores[rows], allowed[rows])
        return top.edges()

    def _solve_with(
        self, scored: _Edges, columns: Iterable[int], extra_peers: Sequence[Peer]
    ) -> Plan:
        columns = list(columns)
        if sum(q.free_slots for q in extra_peers) > self.extra_capacity:
            raise ValueError("the extra peers have more free slots than the plan was prepared for")
        problem = self._problem
        n_peers = len(problem.peer_ids)
        extra = scored.columns(columns, offset=n_peers)
        kept = self._kept
        if kept is None:
            empty = np.empty(0, dtype=np.int64)
            kept = _Edges(empty, empty, empty, np.empty(0), np.zeros(n_peers, dtype=np.int64))
        free = np.concatenate([problem.free, [q.free_slots for q in extra_peers]])
        extended = _Problem(
            problem.participant_ids,
            np.concatenate([problem.peer_ids, _ids("peer", extra_peers)]),
            free,
            problem.locked,
            problem.forbidden,
        )
        return _plan(extended, self._locked_cells + _solve(kept.then(extra), free))


def prepare_plan(
    participants: Sequence[Participant],
    peers: Sequence[Peer],
    *,
    reference_year: int,
    weights: Weights = DEFAULT_WEIGHTS,
    locked: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
    extra_capacity: int = 0,
    chunk_rows: int = CHUNK_ROWS,
) -> PreparedPlan:
    """Score ``participants`` x ``peers`` once (``chunk_rows`` at a time, as :func:`plan_batch`)
    for plans with extra peers of at most ``extra_capacity`` free slots in all:
    ``prepare_plan(...).solve([extra])`` equals ``plan_matches(participants, [*peers, extra])``
    and costs one column of scores and a sparse solve. ``locked`` and ``forbidden`` as for
    :func:`plan_matches` (``LockedPairError`` at once); extra peers cannot be locked.

    Scores are per pair, so an extra peer changes no score of the others. Pruning (exact, the
    argument of :func:`plan_matches`): let S be the free slots after the locked pairs and
    c = ``extra_capacity``. Every peer keeps its best K = S + c allowed rows, extra peers
    included. A plan with extra peers of at most c free slots in all matches at most S + c = K
    people, so for a pair (i, j) outside j's kept rows, one of j's K kept rows is unmatched and
    can take i's place without lowering the total: some optimal plan uses only kept pairs,
    whichever extra peers (of at most c slots) are added. For :meth:`PreparedPlan.solve`
    without extra peers the best S rows are kept apart, as :func:`plan_matches` keeps them,
    so that plan is the same plan.
    """
    forbidden = list(forbidden)
    problem = _problem(participants, peers, reference_year, locked, forbidden, None)
    if extra_capacity < 0:
        raise ValueError("extra_capacity must not be negative")
    slots = int(problem.free.clip(min=0).sum())
    base = _TopRows(slots, len(participants), len(peers)) if slots > 0 else None
    kept = _TopRows(slots + extra_capacity, len(participants), len(peers))
    kept = kept if slots + extra_capacity > 0 else None
    locked_cells: list[tuple[int, int, float]] = []
    for rows, scores, allowed in _blocks(
        participants, peers, problem, reference_year, weights, None, chunk_rows
    ):
        for r, i in enumerate(rows.tolist()):
            if i in problem.locked:
                j = problem.locked[i]
                locked_cells.append((i, j, float(scores[r, j])))
        for top in (base, kept):
            if top is not None:
                top.add(rows, scores, allowed)
    # The rows each peer id outside the plan may not have (an extra peer's forbidden pairs).
    row = {p.id: i for i, p in enumerate(participants)}
    forbidden_rows: dict[int, list[int]] = {}
    for participant_id, peer_id in forbidden:
        if participant_id in row:
            forbidden_rows.setdefault(peer_id, []).append(row[participant_id])
    return PreparedPlan(
        participants,
        problem,
        _row_order(participants, problem),
        locked_cells,
        base.edges() if base is not None else None,
        kept.edges() if kept is not None else None,
        extra_capacity,
        forbidden_rows,
        reference_year,
        weights,
        chunk_rows,
    )


@dataclass(frozen=True, slots=True)
class Comparison:
    extra_matched: int  # plan minus greedy
    plan_matched: int
    greedy_matched: int
    plan_total: float
    greedy_total: float
    plan_lowest: float | None
    greedy_lowest: float | None

    @property
    def total_gain(self) -> float:
        return self.plan_total - self.greedy_total


def compare(plan: Plan, greedy: Plan) -> Comparison:
    """How the optimal plan does against the greedy baseline."""
    return Comparison(
        extra_matched=plan.matched - greedy.matched,
        plan_matched=plan.matched,
        greedy_matched=greedy.matched,
        plan_total=plan.total_score,
        greedy_total=greedy.total_score,
        plan_lowest=plan.lowest_score,
        greedy_lowest=greedy.lowest_score,
    )
