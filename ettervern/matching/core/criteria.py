"""The semantics of each criterion, defined once.

Both scoring paths use these: the scalar breakdown (``scoring.score_pair``) on plain sets and the
vectorised matrix (``matrix.score_matrix``) on numpy arrays. The fraction helpers are written with
numpy operations so that one definition serves Python numbers and arrays alike and gives
bit-for-bit the same results; a test checks the two paths agree on random instances.

Every criterion yields a fraction in [0, 1]. A criterion only counts for a participant when it is
*applicable*, i.e. the participant has something to compare against (see :func:`applicable`);
a peer with missing data simply earns nothing for it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ettervern.matching.core.data import Participant, Peer

# Age proximity: full points at the same age, falling linearly to none at this many years apart.
AGE_SPAN_YEARS = 30
# Shared interests: this many shared interests (or all of the participant's, if fewer) give
# full points.
INTEREST_CAP = 3
# Distance: points halve for every this many km between the area centres.
DISTANCE_HALF_KM = 5.0
EARTH_RADIUS_KM = 6371.0


# Criteria that do not count when the participant's data is missing (not recorded), as opposed
# to wishes and continuity, which simply do not arise, and load, which always counts. The
# explanations say when one of these could not count.
DATA_CRITERIA = frozenset(
    {
        "gender",
        "age",
        "substances",
        "treatment_path",
        "lived_experience",
        "interests",
        "goals",
        "availability",
        "language",
        "distance",
    }
)


def applicable(participant: Participant) -> dict[str, bool]:
    """Which criteria count for this participant (only the participant's data decides)."""
    return {
        "wishes": bool(participant.soft_wishes),
        "gender": participant.gender is not None,
        "age": participant.birth_year is not None,
        "substances": bool(participant.substances),
        "treatment_path": bool(participant.treatment_paths),
        "lived_experience": bool(participant.lived_experience),
        "interests": bool(participant.interests),
        "goals": bool(participant.goals),
        "availability": bool(participant.availability),
        "language": bool(participant.languages),
        "distance": participant.area is not None,
        "continuity": bool(participant.previous_peer_ids),
        "load": True,
    }


def age_at(birth_year: int, reference_year: int) -> int:
    """Age in whole years as of ``reference_year`` (the year is all the models store)."""
    return reference_year - birth_year


def wish_holds(key: tuple[str, Any], peer: Peer, reference_year: int) -> bool:
    """Whether a peer satisfies a wish ``(kind, value)``. Unknown peer data never satisfies."""
    kind, value = key
    if kind == "gender":
        return peer.gender == value
    if kind == "age_range":
        if peer.birth_year is None:
            return False
        low, high = value
        return low <= age_at(peer.birth_year, reference_year) <= high
    if kind == "shared_experience":
        return value in peer.lived_experience or value in peer.substances
    if kind == "treatment_path":
        return value in peer.treatment_paths
    if kind == "language":
        return value in peer.languages
    if kind == "availability":
        return value in peer.availability
    raise ValueError(f"unknown wish kind {kind!r}")


def coverage_fraction(shared: Any, wanted: Any) -> Any:
    """Share of what the participant has (or wants) that the peer covers; ``wanted`` >= 1 when
    the criterion is applicable."""
    return shared / np.maximum(wanted, 1)


def any_fraction(shared: Any) -> Any:
    """1 when anything is shared, else 0."""
    return np.minimum(shared, 1) * 1.0


def interests_fraction(shared: Any, participant_count: Any) -> Any:
    return np.minimum(shared, INTEREST_CAP) / np.maximum(
        np.minimum(participant_count, INTEREST_CAP), 1
    )


def age_fraction(difference_years: Any) -> Any:
    return np.maximum(0.0, 1.0 - np.abs(difference_years) / AGE_SPAN_YEARS)


def free_capacity_fraction(capacity: Any, load: Any) -> Any:
    return np.maximum(capacity - load, 0) / np.maximum(capacity, 1)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points in degrees."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def distance_fraction(km: float) -> float:
    """The distance criterion's fraction for two area centres this many km apart."""
    return 0.5 ** (km / DISTANCE_HALF_KM)
