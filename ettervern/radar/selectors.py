"""The recruitment radar: which peer profiles the waiting list lacks, and what one more peer of
each profile would do.

From the optimal plan (the same problem as ``matching.engine.batch_plan_for``: the waiting
list, the resource base, the coordinator's locked and forbidden pairs), it finds

- the unmatched participants, grouped by the "must" wishes no free peer meets (a required
  profile, e.g. a woman with LAR experience; no must wishes: simply not enough free slots);
- the planned participants whose "would like" wishes their planned peer does not meet (e.g.
  speaks Arabic);

and for each such profile solves the optimal plan again with one hypothetical peer of that
profile added (in memory only, never stored), with the free slots a new peer gets by default.
The difference in matched participants is the number the radar shows. Scores are per pair, so
the pairs are scored once (``core.prepare_plan``) and each profile adds one column.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from ettervern.accounts.models import Programme
from ettervern.lib import vocab
from ettervern.lib.collector import collector_paused
from ettervern.matching import core
from ettervern.matching.core.criteria import wish_holds
from ettervern.matching.explain import wish as wish_text
from ettervern.matching.loading import (
    available_peers,
    plan_constraints,
    plannable_core_participants,
    to_core_peers,
    waiting_queryset,
    weights_for,
    wish_filter,
)
from ettervern.peers.models import PeerWorker
from ettervern.peers.selectors import peers_with_load

# The hypothetical peer's id (and below it, the others tried at once): no database row has it.
HYPOTHETICAL_ID = -1
# Profiles tried per page view (each one solves the plan again), most waiting first.
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


def hypothetical_peer(
    keys: Sequence[Key], *, year: int, capacity: int, peer_id: int = HYPOTHETICAL_ID
) -> core.Peer | None:
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
        id=peer_id,
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


def _profile(keys: Sequence[Key], year: int) -> Q:
    """The peers who have every key of a profile, as a database filter (the matching's rules)."""
    return Q(*(wish_filter(key, year) for key in keys))


def _peer_counts(
    programme: Programme, profiles: Sequence[Sequence[Key]], year: int
) -> list[tuple[int, int]]:
    """For each profile, the programme's peers who have it with a free slot (available), and
    those who have it, are in the resource base with the course done, but are full; counted
    in one query."""
    if not profiles:
        return []
    ready = Q(resource_status=PeerWorker.ResourceStatus.ACTIVE) & (
        Q(course_completed_on__isnull=False) | ~Q(kind=PeerWorker.Kind.PEER)
    )
    room = Q(load__lt=F("max_participants"))
    counts = peers_with_load(PeerWorker.objects.filter(programme=programme)).aggregate(
        **{
            f"{what}_{k}": Count("pk", filter=_profile(keys, year) & ready & condition)
            for k, keys in enumerate(profiles)
            for what, condition in (("available", room), ("full", ~room))
        }
    )
    return [(counts[f"available_{k}"], counts[f"full_{k}"]) for k in range(len(profiles))]


def _prepared(
    programme: Programme, year: int, capacity: int
) -> tuple[core.PreparedPlan, list[core.Participant], list[core.Peer], int, str]:
    """The plan's problem as the batch plan loads it (only participants with consent and peers
    with a free slot can change it), scored once for plans with one more peer of ``capacity``
    free slots."""
    locked, forbidden = plan_constraints(programme)
    participants = plannable_core_participants(programme)
    peers = to_core_peers(available_peers(programme, also={b for _a, b in locked}))
    waiting_ids, peer_ids = {p.id for p in participants}, {q.id for q in peers}
    # Constraints on people who no longer wait (or have no consent) simply do not apply.
    locked = {(a, b) for a, b in locked if a in waiting_ids and b in peer_ids}
    forbidden = {(a, b) for a, b in forbidden if a in waiting_ids and b in peer_ids}
    kwargs = {"reference_year": year, "weights": weights_for(programme), "extra_capacity": capacity}
    error = ""
    try:
        prepared = core.prepare_plan(
            participants, peers, locked=locked, forbidden=forbidden, **kwargs
        )
    except core.LockedPairError:
        # As the plan page does: a locked pair that no longer holds is left out.
        prepared = core.prepare_plan(participants, peers, forbidden=forbidden, **kwargs)
        error = "locked_pair"
    return prepared, participants, peers, waiting_queryset(programme).count(), error


@collector_paused()
def radar_for(programme: Programme, *, today: dt.date | None = None) -> Radar:
    year = (today or timezone.localdate()).year
    capacity = new_peer_capacity()
    prepared, participants, core_peers, waiting, error = _prepared(programme, year, capacity)
    base = prepared.solve()
    planned = {pair.participant_id: pair.peer_id for pair in base.pairs}
    by_id = {p.id: p for p in participants}
    peers = {q.id: q for q in core_peers}

    required: Counter[tuple[Key, ...]] = Counter()
    for pid in base.unmatched_participant_ids:
        keys = tuple(sorted({w.key for w in by_id[pid].must_wishes}, key=repr))
        required[keys] += 1
    wished: Counter[Key] = Counter()
    for pid, peer_id in planned.items():
        for w in by_id[pid].soft_wishes:
            if not wish_holds(w.key, peers[peer_id], year):
                wished[w.key] += 1

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
    tried = []
    for keys, is_required, n in candidates[:MAX_PROFILES]:
        # Each its own id, so that all are scored in one pass.
        extra = hypothetical_peer(
            keys, year=year, capacity=capacity, peer_id=HYPOTHETICAL_ID - len(tried)
        )
        if extra is not None:
            tried.append((keys, is_required, n, extra))
    plans = prepared.solve_each([extra for *_rest, extra in tried])
    counts = _peer_counts(programme, [keys for keys, *_rest in tried], year)
    gaps = []
    for (keys, is_required, n, extra), with_extra, (available, full) in zip(
        tried, plans, counts, strict=True
    ):
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
        without_consent=waiting - len(participants),
        capacity=capacity,
        gaps=gaps,
        error=error,
    )
