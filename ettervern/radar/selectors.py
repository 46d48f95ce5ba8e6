"""The recruitment radar: which peer profiles the waiting list lacks, and what one more peer of
each profile would do.

From the optimal plan (the same problem as ``matching.engine.batch_plan_for``: the waiting
list, the resource base, the coordinator's locked and forbidden pairs), it finds

- the unmatched participants, grouped by the "must" wishes no free peer meets (a required
  profile, e.g. a woman with LAR experience; no must wishes: simply not enough free slots);
- the planned participants whose "would like" wishes their planned peer does not meet (e.g.
  speaks Arabic);

and for each such profile re-runs the optimal plan with one hypothetical peer of that profile
added (in memory only, never stored), with the free slots a new peer gets by default. The
difference in matched participants is the number the radar shows.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from ettervern.accounts.models import Programme
from ettervern.lib import vocab
from ettervern.matching import core
from ettervern.matching.core.criteria import wish_holds
from ettervern.matching.core.eligibility import peer_is_available
from ettervern.matching.explain import wish as wish_text
from ettervern.matching.loading import (
    plan_constraints,
    programme_peers,
    to_core_participants,
    to_core_peers,
    waiting_participants,
    weights_for,
)
from ettervern.peers.models import PeerWorker

# The hypothetical peer's id: no database row has it.
HYPOTHETICAL_ID = -1
# Profiles tried per page view (each one re-runs the plan), most waiting first.
MAX_PROFILES = 12

Key = tuple[str, Any]


def new_peer_capacity() -> int:
    """The free slots a newly registered peer has: the model's default."""
    return int(PeerWorker._meta.get_field("max_participants").default)


@dataclass(frozen=True)
class Gap:
    keys: tuple[Key, ...]  # what the profile must have; () = any peer with a free slot
    required: bool  # a must wish (unmatched) or a would-like wish (planned, wish unmet)
    waiting: int  # participants concerned
    available: int  # peers in the resource base who have the profile and a free slot
    full: int  # peers who have the profile, in the resource base, but no free slot
    extra_matches: int  # more matched in the optimal plan with one more such peer
    extra_wishes_met: int  # for a would-like wish: more planned participants who get it

    @property
    def description(self) -> str:
        return ", ".join(wish_text(kind, value) for kind, value in self.keys)


@dataclass(frozen=True)
class Radar:
    programme: Programme
    waiting: int
    matched: int
    without_consent: int
    capacity: int  # of the hypothetical peer
    gaps: list[Gap]
    error: str = ""

    @property
    def required(self) -> list[Gap]:
        return [g for g in self.gaps if g.required]

    @property
    def wished(self) -> list[Gap]:
        return [g for g in self.gaps if not g.required]


@dataclass(frozen=True)
class _Problem:
    participants: list[core.Participant]
    peers: list[core.Peer]
    year: int
    weights: core.Weights
    locked: set[tuple[int, int]]
    forbidden: set[tuple[int, int]]

    def plan(self, extra: Sequence[core.Peer] = ()) -> core.Plan:
        return core.plan_matches(
            self.participants,
            [*self.peers, *extra],
            reference_year=self.year,
            weights=self.weights,
            locked=self.locked,
            forbidden=self.forbidden,
        )


def hypothetical_peer(keys: Sequence[Key], *, year: int, capacity: int) -> core.Peer | None:
    """A peer in the resource base, course done, with free slots and exactly the profile;
    None if the keys contradict each other (two genders, age ranges that do not overlap)."""
    fields: dict[str, Any] = {}
    sets: dict[str, set[str]] = defaultdict(set)
    ages = [value for kind, value in keys if kind == "age_range"]
    for kind, value in keys:
        if kind == "gender":
            if fields.get("gender", value) != value:
                return None
            fields["gender"] = value
        elif kind == "shared_experience":
            target = "lived_experience" if value in vocab.LIVED_EXPERIENCE else "substances"
            sets[target].add(value)
        elif kind == "treatment_path":
            sets["treatment_paths"].add(value)
        elif kind == "language":
            sets["languages"].add(value)
        elif kind == "availability":
            sets["availability"].add(value)
    if ages:
        low, high = max(a[0] for a in ages), min(a[1] for a in ages)
        if low > high:
            return None
        fields["birth_year"] = year - (low + high) // 2
    peer = core.Peer(
        id=HYPOTHETICAL_ID,
        course_completed=True,
        active=True,
        capacity=capacity,
        load=0,
        **fields,
        **{name: frozenset(values) for name, values in sets.items()},
    )
    if not all(wish_holds(key, peer, year) for key in keys):
        return None
    return peer


def _problem(programme: Programme, year: int) -> tuple[_Problem, list[core.Peer], int, int, str]:
    participants = waiting_participants(programme)
    core_participants = to_core_participants(participants)
    locked, forbidden = plan_constraints(programme)
    # Only peers who can take someone, and participants who can be matched, change the plan.
    all_peers = to_core_peers(programme_peers(programme))
    core_peers = [q for q in all_peers if peer_is_available(q) or q.id in {b for _a, b in locked}]
    consenting = [p for p in core_participants if p.has_followup_consent]
    waiting_ids, peer_ids = {p.id for p in consenting}, {q.id for q in core_peers}
    locked = {(a, b) for a, b in locked if a in waiting_ids and b in peer_ids}
    forbidden = {(a, b) for a, b in forbidden if a in waiting_ids and b in peer_ids}
    problem = _Problem(consenting, core_peers, year, weights_for(programme), locked, forbidden)
    error = ""
    try:
        problem.plan()
    except core.LockedPairError:
        # As the plan page does: a locked pair that no longer holds is left out.
        problem = _Problem(consenting, core_peers, year, problem.weights, set(), forbidden)
        error = "locked_pair"
    without_consent = len(core_participants) - len(consenting)
    return problem, all_peers, len(participants), without_consent, error


def radar_for(programme: Programme, *, today: dt.date | None = None) -> Radar:
    year = (today or timezone.localdate()).year
    problem, all_peers, waiting, without_consent, error = _problem(programme, year)
    capacity = new_peer_capacity()
    base = problem.plan()
    planned = {pair.participant_id: pair.peer_id for pair in base.pairs}
    by_id = {p.id: p for p in problem.participants}
    peers = {q.id: q for q in problem.peers}

    required: Counter[tuple[Key, ...]] = Counter()
    for pid in base.unmatched_participant_ids:
        keys = tuple(sorted({w.key for w in by_id[pid].must_wishes}, key=repr))
        required[keys] += 1
    wished: Counter[Key] = Counter()
    for pid, peer_id in planned.items():
        for w in by_id[pid].soft_wishes:
            if not wish_holds(w.key, peers[peer_id], year):
                wished[w.key] += 1

    def counts(keys: Sequence[Key]) -> tuple[int, int]:
        having = [q for q in all_peers if all(wish_holds(k, q, year) for k in keys)]
        available = sum(1 for q in having if peer_is_available(q))
        full = sum(
            1 for q in having if q.active and q.course_completed and not peer_is_available(q)
        )
        return available, full

    def wishes_met(plan: core.Plan, key: Key, extra: core.Peer) -> int:
        every = {**peers, extra.id: extra}
        return sum(
            1
            for pair in plan.pairs
            if key in {w.key for w in by_id[pair.participant_id].soft_wishes}
            and wish_holds(key, every[pair.peer_id], year)
        )

    candidates = [(keys, True, n) for keys, n in required.most_common()]
    candidates += [((key,), False, n) for key, n in wished.most_common()]
    gaps = []
    for keys, is_required, n in candidates[:MAX_PROFILES]:
        extra = hypothetical_peer(keys, year=year, capacity=capacity)
        if extra is None:
            continue
        with_extra = problem.plan([extra])
        available, full = counts(keys)
        gained_wishes = 0
        if not is_required:
            gained_wishes = wishes_met(with_extra, keys[0], extra) - wishes_met(
                base, keys[0], extra
            )
        gaps.append(
            Gap(
                keys=keys,
                required=is_required,
                waiting=n,
                available=available,
                full=full,
                extra_matches=with_extra.matched - base.matched,
                extra_wishes_met=gained_wishes,
            )
        )
    gaps.sort(key=lambda g: (-g.extra_matches, not g.required, -g.waiting, g.description))
    return Radar(
        programme=programme,
        waiting=waiting,
        matched=base.matched,
        without_consent=without_consent,
        capacity=capacity,
        gaps=gaps,
        error=error,
    )
