"""Plain-data inputs of the matching core: participants, peers and wishes.

Frozen dataclasses with codes from ``ettervern.lib.vocab``. They validate their codes on
construction and coerce any iterable of codes to a ``frozenset``, so the Django side can pass the
JSON lists stored on the models as they are. Blank strings (``""``) for gender and area mean
"unknown" and become ``None``. Areas are the organisation's own: ``area`` is its code,
``area_name`` what the explanations call it, ``location`` its (latitude, longitude), passed in
by the loading code (the core knows no places).
"""

from __future__ import annotations

import datetime
import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ettervern.lib import vocab

EXPERIENCE_CODES = frozenset(vocab.LIVED_EXPERIENCE) | frozenset(vocab.SUBSTANCES)

# Which codes a wish's value may take, per kind ("age_range" is a (min_age, max_age) pair).
_WISH_VALUES: dict[str, frozenset[str]] = {
    "gender": frozenset(vocab.GENDERS),
    "shared_experience": EXPERIENCE_CODES,
    "treatment_path": frozenset(vocab.TREATMENT_PATHS),
    "language": frozenset(vocab.LANGUAGES),
    "availability": frozenset(vocab.AVAILABILITY),
}

# A date, or any sortable number; only compared with the other participants' values.
WaitingSince = datetime.date | int | float


def normalise_tag(tag: str) -> str:
    """One interest tag, normalised: Unicode NFC, lower case, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", tag).lower().split())


def normalise_tags(tags: Iterable[str]) -> frozenset[str]:
    """A set of normalised tags; blank tags are dropped. Tags are compared as whole tags only."""
    return frozenset(t for t in (normalise_tag(tag) for tag in tags) if t)


_ALLOWED: dict[tuple[str, ...], frozenset[str]] = {}


def _allowed(codes: Iterable[str]) -> frozenset[str]:
    """The vocabulary as a set, built once per vocabulary tuple (a national waiting list builds
    tens of thousands of participants)."""
    if not isinstance(codes, tuple):
        return frozenset(codes)
    found = _ALLOWED.get(codes)
    if found is None:
        found = _ALLOWED[codes] = frozenset(codes)
    return found


def _codes(owner: str, name: str, value: Iterable[str], allowed: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        raise ValueError(f"{owner}.{name} must be a collection of codes, not the string {value!r}")
    codes = frozenset(value)
    unknown = codes - _allowed(allowed)
    if unknown:
        raise ValueError(f"{owner}.{name}: unknown code(s) {sorted(unknown)}")
    return codes


def _ids(owner: str, name: str, value: Iterable[int]) -> frozenset[int]:
    ids = frozenset(value)
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise ValueError(f"{owner}.{name} must hold integer ids")
    return ids


def _optional_code(owner: str, name: str, value: str | None, allowed: Iterable[str]) -> str | None:
    if value is None or value == "":
        return None
    if value not in allowed:
        raise ValueError(f"{owner}.{name}: unknown code {value!r}")
    return value


def _area(owner: str, value: str | None) -> str | None:
    """An area code: the organisation's own (any non-blank text); blank means unknown."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{owner}.area must be a code, got {value!r}")
    return value


def _location(owner: str, value: Any) -> tuple[float, float] | None:
    """The area's map point (latitude, longitude) in degrees, or None when not known."""
    if value is None:
        return None
    try:
        lat, lon = (float(v) for v in value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{owner}.location must be (latitude, longitude), got {value!r}") from exc
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"{owner}.location is not a point on the map: {value!r}")
    return (lat, lon)


def _set_area(obj: Any, owner: str) -> None:
    area = _area(owner, obj.area)
    object.__setattr__(obj, "area", area)
    object.__setattr__(obj, "location", None if area is None else _location(owner, obj.location))
    if not isinstance(obj.area_name, str):
        raise ValueError(f"{owner}.area_name must be text")


def _check_id(owner: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{owner}.id must be an integer, got {value!r}")


def _check_birth_year(owner: str, value: Any) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise ValueError(f"{owner}.birth_year must be an integer year or None, got {value!r}")


def _parse_age_range(value: Any) -> tuple[int, int]:
    if isinstance(value, str):
        # The model stores an age range as "min-max", e.g. "30-50".
        low, sep, high = value.partition("-")
        if not sep:
            raise ValueError(f"age_range wish must look like '30-50', got {value!r}")
        try:
            value = (int(low), int(high))
        except ValueError:
            raise ValueError(f"age_range wish must look like '30-50', got {value!r}") from None
    try:
        low, high = value
    except (TypeError, ValueError):
        raise ValueError(
            f"age_range wish must be a (min_age, max_age) pair, got {value!r}"
        ) from None
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high)):
        raise ValueError(f"age_range wish must hold whole years, got {value!r}")
    if not 0 <= low <= high:
        raise ValueError(f"age_range wish needs 0 <= min_age <= max_age, got {value!r}")
    return (low, high)


@dataclass(frozen=True, slots=True)
class Wish:
    """A participant's wish for a peer. ``must`` makes it a hard constraint, else it is scored.

    ``value`` is a code for the kind (``"shared_experience"`` takes a lived-experience or a
    substance code), or for ``"age_range"`` a ``(min_age, max_age)`` pair, inclusive; the
    model's ``"30-50"`` string is accepted and converted.
    """

    kind: str
    value: Any
    must: bool = False

    def __post_init__(self) -> None:
        if self.kind not in vocab.WISH_KINDS:
            raise ValueError(f"Wish.kind: unknown kind {self.kind!r}")
        if self.kind == "age_range":
            object.__setattr__(self, "value", _parse_age_range(self.value))
        elif self.value not in _WISH_VALUES[self.kind]:
            raise ValueError(f"Wish {self.kind}: unknown code {self.value!r}")
        if not isinstance(self.must, bool):
            raise ValueError(f"Wish.must must be True or False, got {self.must!r}")

    @property
    def key(self) -> tuple[str, Any]:
        """What the wish asks for, without whether it is a must."""
        return (self.kind, self.value)


@dataclass(frozen=True, slots=True)
class Participant:
    """A participant waiting for (or considered for) a peer.

    ``lived_experience`` is the participant's own situation (e.g. ``"relative"`` for a
    relative); ``goals`` are LIFE_AREAS codes; ``excluded_peer_ids`` are exclusions recorded by
    the coordinator (known to each other, conflict); ``previous_peer_ids`` earn continuity points;
    ``waiting_since`` orders the greedy baseline (longest waiting first).
    """

    id: int
    gender: str | None = None
    birth_year: int | None = None
    lived_experience: frozenset[str] = frozenset()
    substances: frozenset[str] = frozenset()
    treatment_paths: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    goals: frozenset[str] = frozenset()
    availability: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    area: str | None = None
    location: tuple[float, float] | None = None
    area_name: str = ""
    wishes: tuple[Wish, ...] = ()
    has_followup_consent: bool = False
    excluded_peer_ids: frozenset[int] = frozenset()
    previous_peer_ids: frozenset[int] = frozenset()
    waiting_since: WaitingSince | None = None

    def __post_init__(self) -> None:
        name = "Participant"
        _check_id(name, self.id)
        _check_birth_year(name, self.birth_year)
        set_ = object.__setattr__
        set_(self, "gender", _optional_code(name, "gender", self.gender, vocab.GENDERS))
        _set_area(self, name)
        for attr, allowed in (
            ("lived_experience", vocab.LIVED_EXPERIENCE),
            ("substances", vocab.SUBSTANCES),
            ("treatment_paths", vocab.TREATMENT_PATHS),
            ("goals", vocab.LIFE_AREAS),
            ("availability", vocab.AVAILABILITY),
            ("languages", vocab.LANGUAGES),
        ):
            set_(self, attr, _codes(name, attr, getattr(self, attr), allowed))
        set_(self, "interests", normalise_tags(self.interests))
        set_(self, "excluded_peer_ids", _ids(name, "excluded_peer_ids", self.excluded_peer_ids))
        set_(self, "previous_peer_ids", _ids(name, "previous_peer_ids", self.previous_peer_ids))
        wishes = tuple(self.wishes)
        if not all(isinstance(w, Wish) for w in wishes):
            raise ValueError("Participant.wishes must hold Wish objects")
        set_(self, "wishes", wishes)
        if not isinstance(self.has_followup_consent, bool):
            raise ValueError("Participant.has_followup_consent must be True or False")

    @property
    def must_wishes(self) -> tuple[Wish, ...]:
        return tuple(w for w in self.wishes if w.must)

    @property
    def soft_wishes(self) -> tuple[Wish, ...]:
        """The would-like wishes, which are scored rather than required."""
        return tuple(w for w in self.wishes if not w.must)


@dataclass(frozen=True, slots=True)
class Peer:
    """A peer worker. ``load`` counts current participants, including paused matches that still
    hold the slot; free slots are ``capacity - load``. ``strengths`` are LIFE_AREAS codes."""

    id: int
    gender: str | None = None
    birth_year: int | None = None
    course_completed: bool = False
    active: bool = False
    capacity: int = 0
    load: int = 0
    lived_experience: frozenset[str] = frozenset()
    substances: frozenset[str] = frozenset()
    treatment_paths: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    strengths: frozenset[str] = frozenset()
    availability: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    area: str | None = None
    location: tuple[float, float] | None = None
    area_name: str = ""

    def __post_init__(self) -> None:
        name = "Peer"
        _check_id(name, self.id)
        _check_birth_year(name, self.birth_year)
        for attr in ("capacity", "load"):
            value = getattr(self, attr)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"Peer.{attr} must be a non-negative integer, got {value!r}")
        for attr in ("course_completed", "active"):
            if not isinstance(getattr(self, attr), bool):
                raise ValueError(f"Peer.{attr} must be True or False")
        set_ = object.__setattr__
        set_(self, "gender", _optional_code(name, "gender", self.gender, vocab.GENDERS))
        _set_area(self, name)
        for attr, allowed in (
            ("lived_experience", vocab.LIVED_EXPERIENCE),
            ("substances", vocab.SUBSTANCES),
            ("treatment_paths", vocab.TREATMENT_PATHS),
            ("strengths", vocab.LIFE_AREAS),
            ("availability", vocab.AVAILABILITY),
            ("languages", vocab.LANGUAGES),
        ):
            set_(self, attr, _codes(name, attr, getattr(self, attr), allowed))
        set_(self, "interests", normalise_tags(self.interests))

    @property
    def free_slots(self) -> int:
        return max(0, self.capacity - self.load)


@dataclass(frozen=True, slots=True)
class Reason:
    """A structured reason: a stable ``code`` plus JSON-friendly ``params``.

    The Django side renders these in the UI language; :func:`explain_nb` renders them in bokmål.
    """

    code: str
    params: dict[str, Any] = field(default_factory=dict)
