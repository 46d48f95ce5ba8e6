"""Ranked suggestions for one participant, and "why not this peer?"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ettervern.matching.core.data import Participant, Peer, Reason
from ettervern.matching.core.eligibility import check_eligibility
from ettervern.matching.core.matrix import score_matrix
from ettervern.matching.core.scoring import ScoreBreakdown, score_pair
from ettervern.matching.core.weights import DEFAULT_WEIGHTS, Weights


@dataclass(frozen=True, slots=True)
class Suggestion:
    rank: int  # 1 = best
    peer_id: int
    score: float
    breakdown: ScoreBreakdown


def _ranking(
    participant: Participant, peers: Sequence[Peer], reference_year: int, weights: Weights
) -> tuple[np.ndarray, np.ndarray]:
    """Indices into ``peers`` of the eligible peers, best first (ties: lower id first), and the
    scores of all peers."""
    matrix = score_matrix([participant], peers, reference_year=reference_year, weights=weights)
    scores, eligible = matrix.scores[0], matrix.eligible[0]
    candidates = np.flatnonzero(eligible)
    order = np.lexsort((matrix.peer_ids[candidates], -scores[candidates]))
    return candidates[order], scores


def suggest_peers(
    participant: Participant,
    peers: Sequence[Peer],
    *,
    reference_year: int,
    weights: Weights = DEFAULT_WEIGHTS,
    limit: int = 10,
) -> list[Suggestion]:
    """The ``limit`` best eligible peers for the participant, best first; equal scores are
    ordered by peer id. Ineligible peers never appear."""
    if limit < 0:
        raise ValueError("limit must not be negative")
    ranked, scores = _ranking(participant, peers, reference_year, weights)
    return [
        Suggestion(
            rank=rank,
            peer_id=peers[j].id,
            score=float(scores[j]),
            breakdown=score_pair(
                participant, peers[j], reference_year=reference_year, weights=weights
            ),
        )
        for rank, j in enumerate(ranked[:limit], start=1)
    ]


@dataclass(frozen=True, slots=True)
class WhyNot:
    """Why a peer is not (higher) among the suggestions.

    Either ``failed`` lists the hard constraints the pair fails, or the peer is eligible and
    ``rank`` (1 = best, among ``eligible_count`` eligible peers) and the gaps tell how far behind
    the best suggestion and the ``limit``-th one it is.
    """

    peer_id: int
    limit: int
    failed: tuple[Reason, ...]
    breakdown: ScoreBreakdown | None
    rank: int | None
    eligible_count: int
    best_score: float | None
    last_score: float | None  # of the limit-th suggestion, or the last one if fewer

    @property
    def eligible(self) -> bool:
        return not self.failed

    @property
    def suggested(self) -> bool:
        return self.rank is not None and self.rank <= self.limit

    @property
    def behind_best(self) -> float | None:
        if self.breakdown is None or self.best_score is None:
            return None
        return self.best_score - self.breakdown.score

    @property
    def behind_last(self) -> float | None:
        """Points short of the ``limit``-th suggestion; 0 when suggested."""
        if self.breakdown is None or self.last_score is None:
            return None
        return 0.0 if self.suggested else self.last_score - self.breakdown.score

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """The failed constraints, or one ``ranked`` reason; render with :func:`explain_nb`."""
        if self.failed or self.breakdown is None:
            return self.failed
        return (
            Reason(
                "ranked",
                {
                    "rank": self.rank,
                    "eligible": self.eligible_count,
                    "limit": self.limit,
                    "score": self.breakdown.score,
                    "behind_best": self.behind_best,
                    "behind_last": self.behind_last,
                },
            ),
        )


def why_not(
    participant: Participant,
    peer: Peer,
    peers: Sequence[Peer],
    *,
    reference_year: int,
    weights: Weights = DEFAULT_WEIGHTS,
    limit: int = 10,
) -> WhyNot:
    """Explain ``peer``'s place for the participant among ``peers`` (the pool the suggestions
    come from; ``peer`` is added to it if missing)."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    pool = [q for q in peers if q.id != peer.id] + [peer]
    failed = tuple(check_eligibility(participant, peer, reference_year=reference_year))
    if failed:
        return WhyNot(peer.id, limit, failed, None, None, 0, None, None)
    ranked, scores = _ranking(participant, pool, reference_year, weights)
    position = int(np.flatnonzero(ranked == len(pool) - 1)[0])
    return WhyNot(
        peer_id=peer.id,
        limit=limit,
        failed=(),
        breakdown=score_pair(participant, peer, reference_year=reference_year, weights=weights),
        rank=position + 1,
        eligible_count=len(ranked),
        best_score=float(scores[ranked[0]]),
        last_score=float(scores[ranked[min(limit, len(ranked)) - 1]]),
    )
