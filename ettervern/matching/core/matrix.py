"""Scores and eligibility of all participant x peer pairs at once (the vectorised path).

Sets become bitsets (64-bit words), so "how many codes do these two share" for every pair is a
bitwise and plus a popcount. The criteria's semantics come from ``criteria`` (shared with the
scalar path), and a test checks the matrix equals :func:`score_pair` and
:func:`check_eligibility` pair by pair.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ettervern.lib import vocab
from ettervern.matching.core import criteria as c
from ettervern.matching.core.data import Participant, Peer
from ettervern.matching.core.eligibility import peer_is_available
from ettervern.matching.core.weights import CRITERIA, DEFAULT_WEIGHTS, Weights


@dataclass(frozen=True, slots=True)
class ScoreMatrix:
    """Row i is ``participant_ids[i]``, column j is ``peer_ids[j]`` (both in the input order)."""

    participant_ids: np.ndarray
    peer_ids: np.ndarray
    scores: np.ndarray  # float64 (P, Q), each in [0, 100]
    eligible: np.ndarray  # bool (P, Q): every hard constraint holds


def _unique_ids(kind: str, items: Sequence[Participant] | Sequence[Peer]) -> np.ndarray:
    ids = np.fromiter((item.id for item in items), dtype=np.int64, count=len(items))
    if len(np.unique(ids)) != len(ids):
        raise ValueError(f"duplicate {kind} ids")
    return ids


def _bitsets(sets: list[frozenset[Any]], codes: Sequence[Any]) -> np.ndarray:
    """Each set as a row of 64-bit words, one bit per code in ``codes`` (others are ignored)."""
    position = {code: k for k, code in enumerate(codes)}
    words = max(1, -(-len(codes) // 64))
    cache: dict[frozenset[Any], int] = {}

    def encode(s: frozenset[Any]) -> int:
        if s not in cache:
            cache[s] = sum(1 << position[code] for code in s if code in position)
        return cache[s]

    values = [cache[s] if s in cache else encode(s) for s in sets]
    if words == 1:
        return np.array(values, dtype=np.uint64).reshape(len(sets), 1)
    mask = (1 << 64) - 1
    return np.array(
        [[(v >> (64 * w)) & mask for w in range(words)] for v in values], dtype=np.uint64
    ).reshape(len(sets), words)


def _shared_counts(
    participant_sets: list[frozenset[Any]], peer_sets: list[frozenset[Any]], codes: Sequence[Any]
) -> tuple[np.ndarray, np.ndarray]:
    """(P, Q) number of codes each pair shares, and (P, 1) size of each participant's set."""
    a, b = _bitsets(participant_sets, codes), _bitsets(peer_sets, codes)
    shared = np.bitwise_count(a[:, None, 0] & b[None, :, 0])
    if a.shape[1] > 1:  # many interest tags: add up per word, wider than uint8
        shared = shared.astype(np.int32)
        for w in range(1, a.shape[1]):
            shared += np.bitwise_count(a[:, None, w] & b[None, :, w])
    return shared, np.bitwise_count(a).sum(axis=1, keepdims=True)


def _codes_index(values: Iterable[str | None], codes: Sequence[str]) -> np.ndarray:
    """Position of each code in ``codes``; ``len(codes)`` stands for unknown (None)."""
    index = {code: k for k, code in enumerate(codes)}
    unknown = len(codes)
    return np.array([index.get(v, unknown) if v is not None else unknown for v in values], int)


def score_matrix(
    participants: Sequence[Participant],
    peers: Sequence[Peer],
    *,
    reference_year: int,
    weights: Weights = DEFAULT_WEIGHTS,
) -> ScoreMatrix:
    """Score and check every pair. Equal, pair by pair, to :func:`score_pair` (``.score``) and
    to ``not check_eligibility(...)``; much faster for many pairs."""
    participant_ids = _unique_ids("participant", participants)
    peer_ids = _unique_ids("peer", peers)
    n_p, n_q = len(participants), len(peers)
    ps, qs = list(participants), list(peers)

    # Wishes: one column per distinct (kind, value); holds[k, j] says whether peer j satisfies it.
    wish_keys = sorted({w.key for p in ps for w in p.wishes}, key=repr)
    key_index = {key: k for k, key in enumerate(wish_keys)}
    holds = np.zeros((len(wish_keys), n_q))
    for key, k in key_index.items():
        holds[k] = np.fromiter(
            (c.wish_holds(key, q, reference_year) for q in qs), dtype=bool, count=n_q
        )
    must = np.zeros((n_p, len(wish_keys)))
    soft = np.zeros((n_p, len(wish_keys)))
    for i, p in enumerate(ps):
        for w in p.wishes:
            (must if w.must else soft)[i, key_index[w.key]] += 1.0

    # Hard constraints.
    peer_ok = np.fromiter((peer_is_available(q) for q in qs), dtype=bool, count=n_q)
    consent = np.fromiter((p.has_followup_consent for p in ps), dtype=bool, count=n_p)
    eligible = consent[:, None] & peer_ok[None, :]
    if wish_keys:
        eligible &= (must @ (1.0 - holds)) == 0
    peer_index = {int(pid): j for j, pid in enumerate(peer_ids)}
    for i, p in enumerate(ps):
        for pid in p.excluded_peer_ids:
            j = peer_index.get(pid)
            if j is not None:
                eligible[i, j] = False

    # Soft criteria: each a lazily computed (P, Q) or broadcastable fraction.
    def wishes() -> np.ndarray:
        return c.coverage_fraction(soft @ holds, soft.sum(axis=1, keepdims=True))

    def gender() -> np.ndarray:
        gp = _codes_index((p.gender for p in ps), vocab.GENDERS)
        gq = _codes_index((q.gender for q in qs), vocab.GENDERS)
        return ((gp[:, None] == gq[None, :]) & (gq < len(vocab.GENDERS))[None, :]) * 1.0

    def age() -> np.ndarray:
        known = np.array([q.birth_year is not None for q in qs], dtype=bool)
        by_q = np.array([q.birth_year if q.birth_year is not None else 0 for q in qs], float)
        by_p = np.array([p.birth_year if p.birth_year is not None else 0 for p in ps], float)
        return np.where(known[None, :], c.age_fraction(by_p[:, None] - by_q[None, :]), 0.0)

    def coverage(participant_attr: str, peer_attr: str, codes: Sequence[str]) -> np.ndarray:
        shared, wanted = _shared_counts(
            [getattr(p, participant_attr) for p in ps], [getattr(q, peer_attr) for q in qs], codes
        )
        return c.coverage_fraction(shared, wanted)

    def interests() -> np.ndarray:
        tags = sorted({t for p in ps for t in p.interests})
        shared, count = _shared_counts([p.interests for p in ps], [q.interests for q in qs], tags)
        return c.interests_fraction(shared, count)

    def language() -> np.ndarray:
        shared, _ = _shared_counts(
            [p.languages for p in ps], [q.languages for q in qs], vocab.LANGUAGES
        )
        return c.any_fraction(shared)

    def distance() -> np.ndarray:
        # Fractions between the distinct map points, each computed as the scalar path does.
        points = sorted({x.location for x in (*ps, *qs) if x.location is not None})
        n = len(points)
        table = np.zeros((n + 1, n + 1))  # the last row and column: no map point
        for i, a in enumerate(points):
            for j, b in enumerate(points):
                table[i, j] = c.distance_fraction(c.haversine_km(a, b))
        lp = _codes_index((p.location for p in ps), points)
        lq = _codes_index((q.location for q in qs), points)
        result = table[lp[:, None], lq[None, :]]
        codes = sorted({x.area for x in (*ps, *qs) if x.area is not None})
        ap = _codes_index((p.area for p in ps), codes)
        aq = _codes_index((q.area for q in qs), codes)
        same = (ap[:, None] == aq[None, :]) & (ap[:, None] < len(codes))
        result[same] = 1.0
        return result

    def continuity() -> np.ndarray:
        previous = np.zeros((n_p, n_q))
        for i, p in enumerate(ps):
            for pid in p.previous_peer_ids:
                j = peer_index.get(pid)
                if j is not None:
                    previous[i, j] = 1.0
        return previous

    def load() -> np.ndarray:
        capacity = np.array([q.capacity for q in qs], dtype=np.int64)
        current = np.array([q.load for q in qs], dtype=np.int64)
        return c.free_capacity_fraction(capacity, current)[None, :]

    fractions: dict[str, Callable[[], np.ndarray]] = {
        "wishes": wishes,
        "gender": gender,
        "age": age,
        "substances": lambda: coverage("substances", "substances", vocab.SUBSTANCES),
        "treatment_path": lambda: coverage(
            "treatment_paths", "treatment_paths", vocab.TREATMENT_PATHS
        ),
        "lived_experience": lambda: coverage(
            "lived_experience", "lived_experience", vocab.LIVED_EXPERIENCE
        ),
        "interests": interests,
        "goals": lambda: coverage("goals", "strengths", vocab.LIFE_AREAS),
        "availability": lambda: coverage("availability", "availability", vocab.AVAILABILITY),
        "language": language,
        "distance": distance,
        "continuity": continuity,
        "load": load,
    }

    counts = [c.applicable(p) for p in ps]
    total = np.zeros((n_p, n_q))
    denominator = np.zeros(n_p)
    # Same order and the same float operations as score_pair, so the results are identical.
    for name in CRITERIA:
        weight = getattr(weights, name)
        row_weight = np.array([weight if cnt[name] else 0.0 for cnt in counts])
        if not row_weight.any():
            continue
        total += row_weight[:, None] * fractions[name]()
        denominator += row_weight
    positive = denominator > 0
    scores = np.zeros((n_p, n_q))
    scores[positive] = 100.0 * total[positive] / denominator[positive][:, None]
    # A sum of weights times fractions of 1 can exceed its denominator by a rounding error.
    np.clip(scores, 0.0, 100.0, out=scores)
    return ScoreMatrix(
        participant_ids=participant_ids, peer_ids=peer_ids, scores=scores, eligible=eligible
    )
