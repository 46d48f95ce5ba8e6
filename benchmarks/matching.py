"""Benchmark of the matching core on synthetic programmes (fixed seed); prints a table.

Suggestion times are per participant (median and 95th percentile over many participants); batch
times are the median of five runs and include scoring every pair.

Run from the repository root: ``python benchmarks/matching.py``. Not part of the test run.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ettervern.lib import vocab  # noqa: E402
from ettervern.matching.core import (  # noqa: E402
    Participant,
    Peer,
    Wish,
    compare,
    plan_greedy,
    plan_matches,
    score_matrix,
    suggest_peers,
)

REFERENCE_YEAR = 2025
SEED = 20250601
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
    "film",
    "sjakk",
    "sykling",
    "foto",
    "hage",
    "strikking",
    "dans",
    "motorsport",
    "bading",
)
OSLO = ("gamle_oslo", "grunerlokka", "sagene", "st_hanshaugen", "frogner", "grorud", "stovner")
OSLO += ("alna", "sondre_nordstrand")


def _place(rng) -> dict:
    """An Oslo district with its map point (as the app passes them in), or no area."""
    if rng.random() >= 0.95:
        return {"area": None}
    code = rng.choice(OSLO)
    return {"area": code, "location": vocab.AREAS[code]}


def _some(rng: random.Random, chances: dict[str, float]) -> frozenset[str]:
    return frozenset(code for code, chance in chances.items() if rng.random() < chance)


def _gender(rng: random.Random) -> str:
    return rng.choices(vocab.GENDERS, weights=(40, 55, 5))[0]


def _languages(rng: random.Random, nb: float) -> frozenset[str]:
    others = {"en": 0.4, "pl": 0.05, "lt": 0.02, "ar": 0.03, "so": 0.03, "ti": 0.02}
    others |= {"fa": 0.02, "uk": 0.03, "ru": 0.02}
    languages = _some(rng, others)
    if rng.random() < nb or not languages:
        languages |= {"nb"}
    return languages


def _experience(rng: random.Random) -> dict[str, frozenset[str]]:
    relative = rng.random() < 0.12
    lived = _some(rng, {"prison": 0.3, "mental_health": 0.35})
    lived |= {"relative"} if relative else {"own_substance_use"}
    substances = (
        frozenset()
        if relative
        else _some(
            rng,
            {"alcohol": 0.55, "opioids": 0.3, "stimulants": 0.35, "cannabis": 0.4}
            | {"benzodiazepines": 0.2, "gambling": 0.05},
        )
    )
    paths = frozenset(
        rng.choices(vocab.TREATMENT_PATHS, weights=(25, 25, 15, 30, 10), k=rng.choice((1, 1, 2)))
    )
    return {"lived_experience": lived, "substances": substances, "treatment_paths": paths}


def make_participant(rng: random.Random, pid: int, peer_ids: list[int]) -> Participant:
    gender = _gender(rng)
    experience = _experience(rng)
    languages = _languages(rng, nb=0.88)
    wishes = []
    if rng.random() < 0.3:
        wishes.append(Wish("gender", gender, must=rng.random() < 0.5))
    if rng.random() < 0.15:
        low = rng.randrange(25, 50, 5)
        wishes.append(Wish("age_range", (low, low + 20), must=rng.random() < 0.3))
    if rng.random() < 0.1:
        path = rng.choice(sorted(experience["treatment_paths"]))
        wishes.append(Wish("treatment_path", path, must=rng.random() < 0.4))
    if "nb" not in languages:
        wishes.append(Wish("language", sorted(languages)[0], must=rng.random() < 0.6))
    if rng.random() < 0.1:
        wishes.append(Wish("availability", rng.choice(vocab.AVAILABILITY[:3])))
    if "relative" in experience["lived_experience"] and rng.random() < 0.5:
        wishes.append(Wish("shared_experience", "relative", must=True))
    return Participant(
        id=pid,
        gender=gender,
        birth_year=REFERENCE_YEAR - min(70, max(20, int(rng.gauss(38, 10)))),
        **experience,
        interests=frozenset(rng.sample(INTERESTS, rng.randint(1, 5))),
        goals=frozenset(rng.sample(vocab.LIFE_AREAS, rng.randint(1, 3))),
        availability=frozenset(rng.sample(vocab.AVAILABILITY[:3], rng.randint(1, 2))),
        languages=languages,
        **_place(rng),
        wishes=tuple(wishes),
        has_followup_consent=rng.random() < 0.95,
        excluded_peer_ids=frozenset(rng.sample(peer_ids, 1) if rng.random() < 0.05 else ()),
        previous_peer_ids=frozenset(rng.sample(peer_ids, 1) if rng.random() < 0.05 else ()),
        waiting_since=datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randrange(365)),
    )


def make_peer(rng: random.Random, qid: int) -> Peer:
    capacity = rng.randint(1, 4)
    return Peer(
        id=qid,
        gender=_gender(rng),
        birth_year=REFERENCE_YEAR - min(70, max(20, int(rng.gauss(45, 10)))),
        course_completed=rng.random() < 0.9,
        active=rng.random() < 0.85,
        capacity=capacity,
        load=rng.choices(range(capacity + 1), weights=[4] + [2] * capacity)[0],
        **_experience(rng),
        interests=frozenset(rng.sample(INTERESTS, rng.randint(2, 6))),
        strengths=frozenset(rng.sample(vocab.LIFE_AREAS, rng.randint(2, 4))),
        availability=frozenset(rng.sample(vocab.AVAILABILITY, rng.randint(1, 3))),
        languages=_languages(rng, nb=0.97),
        **_place(rng),
    )


def programme(
    n_participants: int, n_peers: int, seed: int, roomy: bool = False
) -> tuple[list, list]:
    """Participants and peers; ``roomy``: every peer active, course done, no load (worst case
    for the solver: as many slots as waiting participants)."""
    rng = random.Random(seed)
    peers = [make_peer(rng, 10_000 + k) for k in range(n_peers)]
    if roomy:
        peers = [dataclasses.replace(q, active=True, course_completed=True, load=0) for q in peers]
    peer_ids = [q.id for q in peers]
    participants = [make_participant(rng, k + 1, peer_ids) for k in range(n_participants)]
    return participants, peers


def _timed(fn, *args, repeat: int = 1, **kwargs):
    """The result and the median wall time in seconds over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def suggestion_times(participants: list, peers: list, samples: int) -> tuple[float, float]:
    times = []
    for participant in participants[:samples]:
        _, seconds = _timed(suggest_peers, participant, peers, reference_year=REFERENCE_YEAR)
        times.append(seconds * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main() -> None:
    rows = []
    sizes = ((50, 20, 50), (500, 200, 200), (500, 500, 200), (2000, 800, 200), (2000, 800, 0))
    for n_participants, n_peers, samples in sizes:
        roomy = samples == 0
        seed = SEED + n_participants + n_peers
        participants, peers = programme(n_participants, n_peers, seed, roomy=roomy)
        slots = sum(q.free_slots for q in peers if q.active and q.course_completed)
        median, p95 = suggestion_times(participants, peers, samples) if samples else (0, 0)
        batch = {"reference_year": REFERENCE_YEAR, "repeat": 5}
        _, scoring = _timed(score_matrix, participants, peers, **batch)
        plan, plan_time = _timed(plan_matches, participants, peers, **batch)
        greedy, greedy_time = _timed(plan_greedy, participants, peers, **batch)
        c = compare(plan, greedy)
        rows.append(
            (
                f"{n_participants} x {n_peers}" + (" (no load)" if roomy else ""),
                str(slots),
                f"{median:.1f} / {p95:.1f}" if samples else "",
                f"{scoring * 1000:.0f}",
                f"{plan_time * 1000:.0f}",
                f"{greedy_time * 1000:.0f}",
                f"{c.plan_matched} / {c.greedy_matched} = {c.plan_matched / c.greedy_matched:.3f}",
                f"{c.plan_total / c.greedy_total:.3f}",
                f"{c.plan_lowest:.1f} / {c.greedy_lowest:.1f}",
            )
        )
    participants, peers = programme(200, 3000, SEED + 3000)
    median, p95 = suggestion_times(participants, peers, 200)
    rows.append(("1 x 3000 (suggestions)", "", f"{median:.1f} / {p95:.1f}", *[""] * 6))

    header = (
        "waiting x peers",
        "free slots",
        "suggest ms median / p95",
        "scoring ms",
        "plan ms (incl. scoring)",
        "greedy ms (incl. scoring)",
        "matched optimal / greedy",
        "total score optimal / greedy",
        "lowest score optimal / greedy",
    )
    widths = [max(len(str(r[k])) for r in [header, *rows]) for k in range(len(header))]
    for row in (header, ["-" * w for w in widths], *rows):
        print("| " + " | ".join(f"{cell:<{w}}" for cell, w in zip(row, widths, strict=True)) + " |")


if __name__ == "__main__":
    main()
