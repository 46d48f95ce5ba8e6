"""The batch plan for everyone waiting (exactly optimal), and the greedy baseline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from ettervern.matching.core.data import Participant, Peer, Reason
from ettervern.matching.core.eligibility import check_eligibility
from ettervern.matching.core.matrix import ScoreMatrix, score_matrix
from ettervern.matching.core.weights import DEFAULT_WEIGHTS, Weights

# The solver compares scores as whole multiples of 1/SCORE_UNITS points, so its arithmetic
# is exact (see plan_matches).
SCORE_UNITS = 10_000


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
    matrix: ScoreMatrix
    allowed: np.ndarray  # eligible and not forbidden
    free: np.ndarray  # free slots per peer after the locked pairs
    locked: tuple[tuple[int, int], ...]  # (row, column) in the matrix


def _problem(
    participants: Sequence[Participant],
    peers: Sequence[Peer],
    reference_year: int,
    weights: Weights,
    locked: Iterable[tuple[int, int]],
    forbidden: Iterable[tuple[int, int]],
    matrix: ScoreMatrix | None,
) -> _Problem:
    if matrix is None:
        matrix = score_matrix(participants, peers, reference_year=reference_year, weights=weights)
    elif [p.id for p in participants] != matrix.participant_ids.tolist() or [
        q.id for q in peers
    ] != matrix.peer_ids.tolist():
        raise ValueError("the score matrix was computed for other participants or peers")
    row = {p.id: i for i, p in enumerate(participants)}
    column = {q.id: j for j, q in enumerate(peers)}
    allowed = matrix.eligible.copy()
    forbidden_set = set()
    for participant_id, peer_id in forbidden:
        forbidden_set.add((participant_id, peer_id))
        # Forbidden pairs of people outside this batch are simply irrelevant.
        if participant_id in row and peer_id in column:
            allowed[row[participant_id], column[peer_id]] = False

    free = np.array([q.free_slots for q in peers], dtype=np.int64)
    locked_cells: list[tuple[int, int]] = []
    locked_rows: set[int] = set()
    for participant_id, peer_id in locked:
        if participant_id not in row:
            raise LockedPairError(participant_id, peer_id, [Reason("unknown_participant")])
        if peer_id not in column:
            raise LockedPairError(participant_id, peer_id, [Reason("unknown_peer")])
        i, j = row[participant_id], column[peer_id]
        if i in locked_rows:
            raise LockedPairError(participant_id, peer_id, [Reason("participant_locked_twice")])
        failed = check_eligibility(participants[i], peers[j], reference_year=reference_year)
        if (participant_id, peer_id) in forbidden_set:
            failed.append(Reason("forbidden_pair"))
        if failed:
            raise LockedPairError(participant_id, peer_id, failed)
        free[j] -= 1
        if free[j] < 0:
            n_locked = sum(1 for _, jj in locked_cells if jj == j) + 1
            raise LockedPairError(
                participant_id,
                peer_id,
                [Reason("over_capacity", {"locked": n_locked, "free": peers[j].free_slots})],
            )
        locked_cells.append((i, j))
        locked_rows.add(i)
    for i in locked_rows:
        allowed[i, :] = False
    allowed &= free[None, :] > 0
    return _Problem(matrix, allowed, free, tuple(locked_cells))


def _plan(problem: _Problem, assigned: Iterable[tuple[int, int]]) -> Plan:
    m = problem.matrix
    cells = sorted(list(problem.locked) + list(assigned))
    pairs = tuple(
        Pair(int(m.participant_ids[i]), int(m.peer_ids[j]), float(m.scores[i, j])) for i, j in cells
    )
    matched = {i for i, _ in cells}
    unmatched = sorted(int(pid) for i, pid in enumerate(m.participant_ids) if i not in matched)
    return Plan(tuple(sorted(pairs, key=lambda p: p.participant_id)), tuple(unmatched))


def plan_matches(
    participants: Sequence[Participant],
    peers: Sequence[Peer],
    *,
    reference_year: int,
    weights: Weights = DEFAULT_WEIGHTS,
    locked: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
    matrix: ScoreMatrix | None = None,
) -> Plan:
    """The optimal plan: first as many participants matched as possible, then the highest total
    score, under every hard constraint and capacity (free slots = capacity - load).

    ``locked`` pairs (participant id, peer id) are in the plan (``LockedPairError`` if one is
    ineligible, forbidden or over the peer's capacity); ``forbidden`` pairs never are. Pass the
    ``matrix`` from :func:`score_matrix` of the same inputs to avoid scoring twice.

    Method: each peer becomes as many columns as it has free slots, and
    ``scipy.optimize.linear_sum_assignment`` (exact) solves the assignment with cost
    ``-(BIG + units)`` for an allowed pair, where units is the score in 1/SCORE_UNITS points,
    and cost 0 for a pair that is not allowed; such a pair in the solution means "unmatched" and
    is dropped. Both directions of that reduction preserve the objective: any plan extends to a
    full assignment of the smaller side using zero-cost cells, and any assignment minus its
    zero-cost cells is a plan of the same cost. ``BIG`` exceeds the largest possible total, so one
    more match always outweighs any loss of score. All costs and sums are integers below 2**53,
    so the solver's float arithmetic is exact; scores are compared to 1/SCORE_UNITS points.
    """
    problem = _problem(participants, peers, reference_year, weights, locked, forbidden, matrix)
    allowed = problem.allowed
    rows = np.flatnonzero(allowed.any(axis=1))
    slots = np.minimum(problem.free, allowed[rows].sum(axis=0)).clip(min=0)
    columns = np.repeat(np.arange(len(peers)), slots)
    if len(rows) == 0 or len(columns) == 0:
        return _plan(problem, ())
    units = np.rint(problem.matrix.scores[np.ix_(rows, columns)] * SCORE_UNITS)
    big = 100 * SCORE_UNITS * min(len(rows), len(columns)) + 1
    if (big + 100 * SCORE_UNITS) * min(len(rows), len(columns)) >= 2**53:
        raise ValueError("too many participants for exact arithmetic")
    cost = np.where(allowed[np.ix_(rows, columns)], -(big + units), 0.0)
    del units
    row_ind, col_ind = linear_sum_assignment(cost)
    assigned = [
        (int(rows[r]), int(columns[k]))
        for r, k in zip(row_ind, col_ind, strict=True)
        if allowed[rows[r], columns[k]]
    ]
    return _plan(problem, assigned)


def _waiting_order(participant: Participant) -> tuple[bool, object, int]:
    """Longest waiting first; those without a date last; then by id."""
    waited = participant.waiting_since
    return (waited is None, waited if waited is not None else 0, participant.id)


def plan_greedy(
    participants: Sequence[Participant],
    peers: Sequence[Peer],
    *,
    reference_year: int,
    weights: Weights = DEFAULT_WEIGHTS,
    locked: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
    matrix: ScoreMatrix | None = None,
) -> Plan:
    """The baseline: longest-waiting first, each participant takes the best-scoring eligible
    peer that still has a free slot (ties: lower peer id). Same rules for ``locked``/``forbidden``
    as :func:`plan_matches`."""
    problem = _problem(participants, peers, reference_year, weights, locked, forbidden, matrix)
    scores, allowed, free = problem.matrix.scores, problem.allowed, problem.free.copy()
    peer_ids = problem.matrix.peer_ids
    index = {p.id: i for i, p in enumerate(participants)}
    assigned = []
    for participant in sorted(participants, key=_waiting_order):
        i = index[participant.id]
        candidates = np.flatnonzero(allowed[i] & (free > 0))
        if len(candidates) == 0:
            continue
        best = candidates[scores[i, candidates] == scores[i, candidates].max()]
        j = int(best[np.argmin(peer_ids[best])])
        free[j] -= 1
        assigned.append((i, j))
    return _plan(problem, assigned)


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
