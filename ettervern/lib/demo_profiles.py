"""Random but realistic profile values for demo data and benchmarks (pure Python)."""

import random

from ettervern.lib import vocab

INTERESTS = (
    "fiske",
    "turgåing",
    "fotball",
    "musikk",
    "matlaging",
    "trening",
    "gaming",
    "kunst",
    "friluftsliv",
    "snekring",
    "lesing",
    "sjakk",
    "sykling",
    "hund",
    "film",
    "gitar",
)


def pick(rng: random.Random, values, k_min: int, k_max: int) -> list[str]:
    k = rng.randint(k_min, min(k_max, len(values)))
    return sorted(rng.sample(list(values), k))


def profile(rng: random.Random, areas) -> dict:
    """Fields shared by participants and peer workers."""
    paths = rng.choices(
        [
            ["lar"],
            ["twelve_step"],
            ["therapeutic_community"],
            ["outpatient"],
            ["none"],
            ["lar", "outpatient"],
            ["twelve_step", "therapeutic_community"],
        ],
        weights=[25, 25, 12, 15, 8, 8, 7],
    )[0]
    lived = rng.choices(
        [
            ["own_substance_use"],
            ["own_substance_use", "prison"],
            ["relative"],
            ["own_substance_use", "mental_health"],
        ],
        weights=[50, 25, 12, 13],
    )[0]
    substances = [] if lived == ["relative"] else pick(rng, vocab.SUBSTANCES[:5], 1, 3)
    return {
        "gender": rng.choices(["male", "female", "other"], weights=[60, 38, 2])[0],
        "birth_year": rng.randint(1958, 2003),
        "lived_experience": lived,
        "substances": substances,
        "treatment_paths": sorted(paths),
        "interests": pick(rng, INTERESTS, 1, 4),
        "languages": ["nb"]
        + (["en"] if rng.random() < 0.5 else [])
        + ([rng.choice(vocab.LANGUAGES[2:])] if rng.random() < 0.12 else []),
        "area": rng.choice(list(areas)),
    }
