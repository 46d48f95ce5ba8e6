"""The score of one pair, with a per-criterion breakdown and reasons (the scalar path)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ettervern.lib import vocab
from ettervern.matching.core import criteria as c
from ettervern.matching.core.data import Participant, Peer, Reason
from ettervern.matching.core.eligibility import wish_params
from ettervern.matching.core.weights import CRITERIA, DEFAULT_WEIGHTS, Weights


@dataclass(frozen=True, slots=True)
class CriterionScore:
    """One criterion's share of a score.

    ``max_points`` is what full marks on the criterion would add (0 when it does not count:
    weight 0 or not applicable); ``points`` = ``fraction`` x ``max_points``. Over all criteria
    ``max_points`` sums to 100 (or 0 when nothing counts) and ``points`` to the score.
    """

    criterion: str
    points: float
    max_points: float
    fraction: float
    applicable: bool
    reason: Reason


@dataclass(frozen=True, slots=True)
class ScoreBreakdown:
    participant_id: int
    peer_id: int
    score: float
    criteria: tuple[CriterionScore, ...]

    @property
    def highlights(self) -> tuple[Reason, ...]:
        """Reasons of the criteria that earned points, the biggest contribution first."""
        earned = sorted(
            (cs for cs in self.criteria if cs.points > 0),
            key=lambda cs: (-cs.points, CRITERIA.index(cs.criterion)),
        )
        return tuple(cs.reason for cs in earned)

    def criterion(self, name: str) -> CriterionScore:
        return next(cs for cs in self.criteria if cs.criterion == name)


def _in_vocab_order(codes: Iterable[str], order: tuple[str, ...]) -> list[str]:
    return sorted(codes, key=order.index)


def _shared(
    shared: frozenset[str], wanted: frozenset[str], order: tuple[str, ...], code: str, key: str
) -> tuple[float, Reason]:
    """Coverage of the participant's set, with the shared codes (in vocab order) as reason."""
    reason = Reason(code, {key: _in_vocab_order(shared, order)}) if shared else Reason(f"no_{code}")
    return float(c.coverage_fraction(len(shared), len(wanted))), reason


def _criterion(
    name: str, participant: Participant, peer: Peer, reference_year: int
) -> tuple[float, Reason]:
    p, q = participant, peer
    if name == "wishes":
        soft = p.soft_wishes
        met = [w for w in soft if c.wish_holds(w.key, q, reference_year)]
        reason = Reason(
            "wishes_met",
            {"met": len(met), "total": len(soft), "wishes": [wish_params(w.key) for w in met]},
        )
        return float(c.coverage_fraction(len(met), len(soft))), reason
    if name == "gender":
        if q.gender is None:
            return 0.0, Reason("gender_unknown")
        if q.gender == p.gender:
            return 1.0, Reason("same_gender", {"gender": q.gender})
        return 0.0, Reason("different_gender", {"gender": p.gender, "peer_gender": q.gender})
    if name == "age":
        if q.birth_year is None or p.birth_year is None:
            return 0.0, Reason("age_unknown")
        difference = p.birth_year - q.birth_year
        return float(c.age_fraction(difference)), Reason(
            "age_difference", {"years": abs(difference)}
        )
    if name == "substances":
        shared = p.substances & q.substances
        return _shared(shared, p.substances, vocab.SUBSTANCES, "shared_substances", "substances")
    if name == "treatment_path":
        shared = p.treatment_paths & q.treatment_paths
        return _shared(
            shared, p.treatment_paths, vocab.TREATMENT_PATHS, "shared_treatment_path", "paths"
        )
    if name == "lived_experience":
        shared = p.lived_experience & q.lived_experience
        return _shared(
            shared, p.lived_experience, vocab.LIVED_EXPERIENCE, "shared_lived_experience", "kinds"
        )
    if name == "interests":
        shared = p.interests & q.interests
        reason = (
            Reason("shared_interests", {"interests": sorted(shared)})
            if shared
            else Reason("no_shared_interests")
        )
        return float(c.interests_fraction(len(shared), len(p.interests))), reason
    if name == "goals":
        shared = p.goals & q.strengths
        return _shared(shared, p.goals, vocab.LIFE_AREAS, "strengths_match_goals", "areas")
    if name == "availability":
        shared = p.availability & q.availability
        return _shared(shared, p.availability, vocab.AVAILABILITY, "shared_availability", "times")
    if name == "language":
        shared = p.languages & q.languages
        listed = _in_vocab_order(shared, vocab.LANGUAGES)
        reason = (
            Reason("shared_language", {"languages": listed})
            if shared
            else Reason("no_shared_language")
        )
        return float(c.any_fraction(len(shared))), reason
    if name == "distance":
        if q.area is None or p.area is None:
            return 0.0, Reason("distance_unknown")
        named = {"area_name": p.area_name} if p.area_name else {}
        if p.area == q.area:
            return 1.0, Reason("same_area", {"area": p.area, **named})
        if p.location is None or q.location is None:
            return 0.0, Reason("distance_unknown")
        km = c.haversine_km(p.location, q.location)
        if q.area_name:
            named["peer_area_name"] = q.area_name
        params = {"km": round(km, 1), "area": p.area, "peer_area": q.area, **named}
        return c.distance_fraction(km), Reason("distance", params)
    if name == "continuity":
        if q.id in p.previous_peer_ids:
            return 1.0, Reason("previous_peer")
        return 0.0, Reason("not_previous_peer")
    if name == "load":
        fraction = float(c.free_capacity_fraction(q.capacity, q.load))
        return fraction, Reason("free_capacity", {"free": q.free_slots, "capacity": q.capacity})
    raise ValueError(f"unknown criterion {name!r}")


def _share(weight: float, denominator: float) -> float:
    return 100.0 * (weight / denominator) if denominator > 0 else 0.0


def score_pair(
    participant: Participant,
    peer: Peer,
    *,
    reference_year: int,
    weights: Weights = DEFAULT_WEIGHTS,
) -> ScoreBreakdown:
    """The pair's score in [0, 100] with a breakdown per criterion.

    The score is 100 x (sum of weight x fraction) / (sum of weights), over the criteria that are
    applicable for the participant; 0 when no criterion with a positive weight applies. It does
    not check the hard constraints: see :func:`check_eligibility`.
    """
    counts = c.applicable(participant)
    # Accumulate in CRITERIA order, exactly as the matrix path does, so both give equal floats.
    total = 0.0
    denominator = 0.0
    parts: list[tuple[str, float, float, bool, Reason]] = []
    for name in CRITERIA:
        weight = getattr(weights, name)
        if not counts[name]:
            parts.append((name, 0.0, 0.0, False, Reason("not_applicable", {"criterion": name})))
            continue
        fraction, reason = _criterion(name, participant, peer, reference_year)
        total += weight * fraction
        denominator += weight
        parts.append((name, weight, fraction, True, reason))
    score = 100.0 * total / denominator if denominator > 0 else 0.0
    # As in the matrix: rounding can put a perfect pair a hair above 100.
    score = min(max(score, 0.0), 100.0)
    return ScoreBreakdown(
        participant_id=participant.id,
        peer_id=peer.id,
        score=score,
        criteria=tuple(
            CriterionScore(
                criterion=name,
                # weight / denominator first: with a tiny (subnormal) denominator, 100 / it is
                # infinite and 0 x infinity is not a number.
                points=fraction * _share(weight, denominator),
                max_points=_share(weight, denominator),
                fraction=fraction,
                applicable=is_applicable,
                reason=reason,
            )
            for name, weight, fraction, is_applicable, reason in parts
        ),
    )
