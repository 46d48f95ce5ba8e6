"""Per-criterion weights for the score, set per programme."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction

# The scored criteria, in the fixed order in which both scoring paths add them up.
CRITERIA = (
    "wishes",
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
    "continuity",
    "load",
)


class InvalidWeight(ValueError):
    """A weight that is not a finite, non-negative number. ``criterion`` names the field."""

    def __init__(self, criterion: str, value: object, message: str) -> None:
        super().__init__(f"Weight {criterion!r}: {message}, got {value!r}")
        self.criterion = criterion
        self.value = value


def _as_weight(criterion: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise InvalidWeight(criterion, value, "must be a number")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidWeight(criterion, value, "must be a finite number")
    if number < 0:
        raise InvalidWeight(criterion, value, "must not be negative")
    return number


@dataclass(frozen=True, slots=True)
class Weights:
    """Non-negative weight per criterion. Only the ratios matter: the score is normalised to
    [0, 100]. A weight of 0 switches a criterion off; all zero gives every pair the score 0.

    ``wishes`` scores the participant's would-like wishes (must-wishes are hard constraints);
    ``load`` favours peers with more free capacity, to spread the load.
    """

    wishes: float = 3.0
    gender: float = 1.0
    age: float = 1.0
    substances: float = 1.0
    treatment_path: float = 2.0
    lived_experience: float = 2.0
    interests: float = 2.0
    goals: float = 2.0
    availability: float = 1.0
    language: float = 2.0
    distance: float = 1.0
    continuity: float = 2.0
    load: float = 0.5

    def __post_init__(self) -> None:
        for f in fields(self):
            object.__setattr__(self, f.name, _as_weight(f.name, getattr(self, f.name)))

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> Weights:
        """Weights from e.g. a form's cleaned data; unnamed criteria keep their default.

        Raises :class:`InvalidWeight` (a ``ValueError``) for an unknown criterion or a value that
        is not a finite, non-negative number.
        """
        unknown = set(values) - set(CRITERIA)
        if unknown:
            name = sorted(unknown)[0]
            raise InvalidWeight(name, values[name], "is not a criterion")
        return cls(**values)  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in CRITERIA}


DEFAULT_WEIGHTS = Weights()
