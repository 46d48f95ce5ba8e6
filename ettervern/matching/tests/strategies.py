"""Hypothesis strategies and small builders shared by the matching-core tests (no tests here)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import strategies as st

from ettervern.lib import vocab
from ettervern.matching.core import Participant, Peer, Weights, Wish, check_eligibility

REFERENCE_YEAR = 2025
# A few tags that overlap as substrings ("fiske" / "fiskekake") to keep whole-tag matching honest.
TAGS = ("fiske", "fiskekake", "turgåing", "musikk", "kunst", "fotball")
# "midtbyen" is an organisation's own area without a map point.
AREAS_USED = ("arstad", "fana", "bergenhus", "asane", "gamle_oslo", "midtbyen")


def placed(fields: dict) -> dict:
    """The demo districts' map point for an area code, as the loading code passes it in."""
    area = fields.get("area")
    if area in vocab.AREAS and "location" not in fields:
        return fields | {"location": vocab.AREAS[area]}
    return fields


def _place(item):
    return replace(item, location=vocab.AREAS.get(item.area))


def make_peer(peer_id: int = 100, **fields) -> Peer:
    """An eligible-by-default peer with one free slot, for example-based tests."""
    defaults = {"course_completed": True, "active": True, "capacity": 2, "load": 1}
    return Peer(id=peer_id, **placed(defaults | fields))


def make_participant(participant_id: int = 1, **fields) -> Participant:
    return Participant(id=participant_id, **placed({"has_followup_consent": True} | fields))


def subsets(codes, max_size: int = 3):
    return st.frozensets(st.sampled_from(codes), max_size=max_size)


def optional(strategy):
    return st.one_of(st.none(), strategy)


def wishes():
    values = {
        "gender": st.sampled_from(vocab.GENDERS),
        "age_range": st.tuples(st.integers(20, 50), st.integers(0, 25)).map(
            lambda t: (t[0], t[0] + t[1])
        ),
        "shared_experience": st.sampled_from(vocab.LIVED_EXPERIENCE + vocab.SUBSTANCES[:2]),
        "treatment_path": st.sampled_from(vocab.TREATMENT_PATHS),
        "language": st.sampled_from(vocab.LANGUAGES[:3]),
        "availability": st.sampled_from(vocab.AVAILABILITY),
    }
    return st.sampled_from(vocab.WISH_KINDS).flatmap(
        lambda kind: st.builds(
            Wish, kind=st.just(kind), value=values[kind], must=st.sampled_from([False, False, True])
        )
    )


def peers(peer_id: int, max_capacity: int = 2):
    # Mostly available peers with room, so instances are neither trivial nor all ineligible.
    return st.integers(0, max_capacity).flatmap(
        lambda capacity: st.builds(
            Peer,
            id=st.just(peer_id),
            gender=optional(st.sampled_from(vocab.GENDERS)),
            birth_year=optional(st.integers(1955, 2005)),
            course_completed=st.sampled_from([True] * 7 + [False]),
            active=st.sampled_from([True] * 7 + [False]),
            capacity=st.just(capacity),
            load=st.one_of(st.just(0), st.integers(0, capacity)),
            lived_experience=subsets(vocab.LIVED_EXPERIENCE, 2),
            substances=subsets(vocab.SUBSTANCES[:3]),
            treatment_paths=subsets(vocab.TREATMENT_PATHS, 2),
            interests=subsets(TAGS, 4),
            strengths=subsets(vocab.LIFE_AREAS[:4]),
            availability=subsets(vocab.AVAILABILITY),
            languages=subsets(vocab.LANGUAGES[:3], 2),
            area=optional(st.sampled_from(AREAS_USED)),
        ).map(_place)
    )


def participants(participant_id: int, peer_ids: list[int]):
    ids = st.frozensets(st.sampled_from(peer_ids), max_size=1) if peer_ids else st.just(frozenset())
    return st.builds(
        Participant,
        id=st.just(participant_id),
        gender=optional(st.sampled_from(vocab.GENDERS)),
        birth_year=optional(st.integers(1955, 2005)),
        lived_experience=subsets(vocab.LIVED_EXPERIENCE, 2),
        substances=subsets(vocab.SUBSTANCES[:3]),
        treatment_paths=subsets(vocab.TREATMENT_PATHS, 2),
        interests=subsets(TAGS, 3),
        goals=subsets(vocab.LIFE_AREAS[:4]),
        availability=subsets(vocab.AVAILABILITY, 2),
        languages=subsets(vocab.LANGUAGES[:3], 2),
        area=optional(st.sampled_from(AREAS_USED)),
        wishes=st.lists(wishes(), max_size=3).map(tuple),
        has_followup_consent=st.sampled_from([True, True, True, True, False]),
        excluded_peer_ids=ids,
        previous_peer_ids=ids,
        waiting_since=st.integers(0, 5),
    ).map(_place)


@st.composite
def instances(draw, max_participants: int = 6, max_peers: int = 4, max_capacity: int = 2):
    """(participants, peers) with unique, unordered ids (so order and id differ)."""
    n_peers = draw(st.integers(0, max_peers))
    n_participants = draw(st.integers(0, max_participants))
    peer_ids = draw(
        st.lists(st.integers(100, 999), min_size=n_peers, max_size=n_peers, unique=True)
    )
    participant_ids = draw(
        st.lists(st.integers(1, 99), min_size=n_participants, max_size=n_participants, unique=True)
    )
    return (
        [draw(participants(pid, peer_ids)) for pid in participant_ids],
        [draw(peers(qid, max_capacity)) for qid in peer_ids],
    )


def weights():
    return st.builds(
        Weights,
        **{
            name: st.one_of(st.just(0.0), st.floats(0, 10), st.integers(0, 5))
            for name in Weights.__dataclass_fields__
        },
    )


def eligible_pairs(participants, peers) -> list[tuple[Participant, Peer]]:
    return [
        (p, q)
        for p in participants
        for q in peers
        if not check_eligibility(p, q, reference_year=REFERENCE_YEAR)
    ]
