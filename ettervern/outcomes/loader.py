"""Reading the instrument files in ``ettervern/outcomes/instruments/`` into the database.

Run after every ``migrate`` (``apps.py``: post_migrate) and idempotent: a version already loaded
with the same content is left alone; the same version with other content is refused (a changed
questionnaire is a new version, so the answers given in the old one keep their meaning).
"""

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from ettervern.outcomes.models import Instrument, Item, Point

INSTRUMENT_DIR = Path(__file__).resolve().parent / "instruments"
SCORING_METHODS = {"sum", "count_max"}


class InstrumentFileError(ValueError):
    """An instrument file that does not describe a usable questionnaire."""


@dataclass(frozen=True)
class LoadResult:
    code: str
    version: int
    created: bool


def _require(condition: bool, path: Path, message: str) -> None:
    if not condition:
        raise InstrumentFileError(f"{path.name}: {message}")


def parse(path: Path) -> tuple[dict, str]:
    """The checked definition and the digest of one file."""
    raw = path.read_bytes()
    try:
        spec = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InstrumentFileError(f"{path.name}: {exc}") from exc
    for key in ("code", "version", "kind", "name", "title", "language", "source", "licence"):
        _require(key in spec, path, f"missing {key!r}")
    for key in ("validated", "translation_validated"):
        _require(isinstance(spec.get(key), bool), path, f"{key!r} must be true or false")
    _require(spec["kind"] in Instrument.Kind.values, path, "unknown kind")
    _require(isinstance(spec["version"], int) and spec["version"] >= 1, path, "bad version")
    scale = spec.get("scale", {})
    low, high = scale.get("min"), scale.get("max")
    _require(isinstance(low, int) and isinstance(high, int) and low < high, path, "bad scale")
    _require(len(scale.get("labels", [])) == high - low + 1, path, "one label per scale step")
    method = spec.get("scoring", {}).get("method")
    _require(method in SCORING_METHODS, path, f"unknown scoring method {method!r}")
    _require(
        set(spec.get("default_schedule", [])) <= set(Point.values), path, "unknown schedule point"
    )
    items = spec.get("items", [])
    if spec["kind"] == Instrument.Kind.SCALE:
        _require(bool(items), path, "a scale needs items")
        codes = [i["code"] for i in items]
        _require(len(set(codes)) == len(codes), path, "item codes must be unique")
        subscales = {s["code"] for s in spec.get("subscales", [])}
        for item in items:
            _require(bool(item.get("text")), path, f"item {item.get('code')} has no text")
            _require(
                item.get("subscale", "") in subscales | {""},
                path,
                f"item {item['code']}: unknown subscale",
            )
        if subscales:
            _require(
                all(item.get("subscale") for item in items), path, "every item needs a subscale"
            )
        scoring = spec["scoring"]
        _require(
            (scoring.get("total_min"), scoring.get("total_max"))
            == (low * len(items), high * len(items)),
            path,
            "total_min/total_max do not match the items and the scale",
        )
    else:
        _require(not items, path, "goal progress asks about the participant's goals, not items")
    return spec, hashlib.sha256(raw).hexdigest()


@transaction.atomic
def load_file(path: Path) -> LoadResult:
    spec, digest = parse(path)
    existing = Instrument.objects.filter(code=spec["code"], version=spec["version"]).first()
    if existing is not None:
        if existing.digest != digest:
            raise InstrumentFileError(
                f"{path.name}: version {spec['version']} of {spec['code']!r} is already loaded "
                "with other content; give the changed file a new version"
            )
        return LoadResult(spec["code"], spec["version"], created=False)
    instrument = Instrument.objects.create(
        code=spec["code"],
        version=spec["version"],
        kind=spec["kind"],
        name=spec["name"],
        title=spec["title"],
        language=spec["language"],
        intro=spec.get("intro", ""),
        source=spec["source"],
        licence=spec["licence"],
        validated=spec["validated"],
        translation_validated=spec["translation_validated"],
        requires_match=spec.get("requires_match", False),
        scale_min=spec["scale"]["min"],
        scale_max=spec["scale"]["max"],
        definition=spec,
        digest=digest,
    )
    Item.objects.bulk_create(
        Item(
            instrument=instrument,
            position=n,
            code=item["code"],
            text=item["text"],
            subscale=item.get("subscale", ""),
        )
        for n, item in enumerate(spec.get("items", []), start=1)
    )
    return LoadResult(spec["code"], spec["version"], created=True)


def load_all(directory: Path = INSTRUMENT_DIR) -> list[LoadResult]:
    """Load every ``*.toml`` in ``directory`` (sorted by name)."""
    return [load_file(path) for path in sorted(directory.glob("*.toml"))]
