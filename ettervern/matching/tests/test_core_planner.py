"""The batch plan is exactly optimal (checked against independent solvers) and never breaks a
hard constraint; the greedy baseline obeys the same rules."""

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from ettervern.matching.core import (
    LockedPairError,
    Wish,
    check_eligibility,
    compare,
    plan_batch,
    plan_greedy,
    plan_matches,
    score_matrix,
    score_pair,
)
from ettervern.matching.core.planner import CHUNK_ROWS, SCORE_UNITS
from ettervern.matching.tests import strategies
from ettervern.matching.tests.strategies import (
    REFERENCE_YEAR,
    eligible_pairs,
    instances,
    make_participant,
    make_peer,
)

# The planner compares scores to 1/10 000 point; totals may differ by that per pair.
TOLERANCE = 1e-3


def plan_and_greedy(participants, peers, **kwargs):
    plan = plan_matches(participants, peers, reference_year=REFERENCE_YEAR, **kwargs)
    greedy = plan_greedy(participants, peers, reference_year=REFERENCE_YEAR, **kwargs)
    return plan, greedy


def assert_valid(plan, participants, peers, locked=(), forbidden=()):
    """Every hard constraint, capacity, locked and forbidden pair, checked from scratch."""
    by_id = {p.id: p for p in participants}
    peers_by_id = {q.id: q for q in peers}
    matched = [pair.participant_id for pair in plan.pairs]
    assert len(matched) == len(set(matched)), "a participant matched twice"
    assert sorted(matched + list(plan.unmatched_participant_ids)) == sorted(by_id)
    for pair in plan.pairs:
        participant, peer = by_id[pair.participant_id], peers_by_id[pair.peer_id]
        assert check_eligibility(participant, peer, reference_year=REFERENCE_YEAR) == []
        assert (pair.participant_id, pair.peer_id) not in set(forbidden)
        expected = score_pair(participant, peer, reference_year=REFERENCE_YEAR).score
        assert pair.score == pytest.approx(expected, abs=1e-9)
    for peer in peers:
        used = sum(1 for pair in plan.pairs if pair.peer_id == peer.id)
        assert used <= peer.capacity - peer.load or used == 0
    pairs = {(pair.participant_id, pair.peer_id) for pair in plan.pairs}
    assert set(locked) <= pairs


def brute_force(participants, peers, locked=(), forbidden=()):
    """Best (matched, total) by trying every assignment; independent of the planner."""
    locked = dict(locked)
    options = []
    for p in participants:
        if p.id in locked:
            options.append([locked[p.id]])
            continue
        allowed = [
            q.id
            for q in peers
            if (p.id, q.id) not in set(forbidden)
            and not check_eligibility(p, q, reference_year=REFERENCE_YEAR)
        ]
        options.append([None, *allowed])
    peers_by_id = {q.id: q for q in peers}
    scores = {
        (p.id, q.id): score_pair(p, q, reference_year=REFERENCE_YEAR).score
        for p in participants
        for q in peers
    }
    best = (0, 0.0)
    for choice in itertools.product(*options):
        used = [qid for qid in choice if qid is not None]
        if any(used.count(qid) > peers_by_id[qid].free_slots for qid in set(used)):
            continue
        total = sum(
            scores[p.id, qid]
            for p, qid in zip(participants, choice, strict=True)
            if qid is not None
        )
        candidate = (len(used), total)
        if candidate[0] > best[0] or (candidate[0] == best[0] and candidate[1] > best[1]):
            best = candidate
    return best


def networkx_optimum(participants, peers):
    """Best (matched, total) from networkx's maximum-cardinality, maximum-weight matching on a
    graph with one node per free slot; independent of the planner."""
    graph = nx.Graph()
    for p in participants:
        for q in peers:
            if check_eligibility(p, q, reference_year=REFERENCE_YEAR):
                continue
            weight = round(score_pair(p, q, reference_year=REFERENCE_YEAR).score * 1e6)
            for slot in range(q.free_slots):
                graph.add_edge(("p", p.id), ("q", q.id, slot), weight=weight)
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    total = sum(graph.edges[edge]["weight"] for edge in matching) / 1e6
    return len(matching), total


@st.composite
def locked_and_forbidden(draw, participants, peers):
    """Some feasible locked pairs and some forbidden pairs (never the locked ones)."""
    free = {q.id: q.free_slots for q in peers}
    locked, taken = [], set()
    for p, q in eligible_pairs(participants, peers):
        if p.id not in taken and free[q.id] > 0 and draw(st.integers(0, 3)) == 0:
            locked.append((p.id, q.id))
            taken.add(p.id)
            free[q.id] -= 1
    all_pairs = [(p.id, q.id) for p in participants for q in peers]
    forbidden = [pair for pair in all_pairs if pair not in locked and draw(st.integers(0, 4)) == 0]
    return locked, forbidden


@settings(max_examples=100, deadline=None)
@given(instances(max_participants=6, max_peers=4, max_capacity=2))
def test_plan_equals_brute_force_optimum_on_small_instances(instance):
    participants, peers = instance
    plan = plan_matches(participants, peers, reference_year=REFERENCE_YEAR)
    best_matched, best_total = brute_force(participants, peers)
    assert plan.matched == best_matched
    assert plan.total_score == pytest.approx(best_total, abs=TOLERANCE)


@settings(max_examples=75, deadline=None)
@given(instances(max_participants=5, max_peers=4, max_capacity=2), st.data())
def test_plan_with_locked_and_forbidden_pairs_equals_brute_force(instance, data):
    participants, peers = instance
    locked, forbidden = data.draw(locked_and_forbidden(participants, peers))
    plan = plan_matches(
        participants, peers, reference_year=REFERENCE_YEAR, locked=locked, forbidden=forbidden
    )
    assert_valid(plan, participants, peers, locked, forbidden)
    best_matched, best_total = brute_force(participants, peers, locked, forbidden)
    assert plan.matched == best_matched
    assert plan.total_score == pytest.approx(best_total, abs=TOLERANCE)


@settings(max_examples=40, deadline=None)
@given(instances(max_participants=14, max_peers=7, max_capacity=3))
def test_plan_equals_networkx_optimum_on_medium_instances(instance):
    participants, peers = instance
    plan = plan_matches(participants, peers, reference_year=REFERENCE_YEAR)
    matched, total = networkx_optimum(participants, peers)
    assert plan.matched == matched
    assert plan.total_score == pytest.approx(total, abs=TOLERANCE)


@settings(max_examples=75, deadline=None)
@given(instances(max_participants=12, max_peers=8, max_capacity=3), st.data())
def test_plan_and_greedy_never_violate_a_constraint_or_capacity(instance, data):
    participants, peers = instance
    locked, forbidden = data.draw(locked_and_forbidden(participants, peers))
    plan, greedy = plan_and_greedy(participants, peers, locked=locked, forbidden=forbidden)
    assert_valid(plan, participants, peers, locked, forbidden)
    assert_valid(greedy, participants, peers, locked, forbidden)


@settings(max_examples=75, deadline=None)
@given(instances(max_participants=12, max_peers=8, max_capacity=3), st.data())
def test_plan_matches_at_least_as_many_as_greedy_and_scores_at_least_as_much(instance, data):
    participants, peers = instance
    locked, forbidden = data.draw(locked_and_forbidden(participants, peers))
    plan, greedy = plan_and_greedy(participants, peers, locked=locked, forbidden=forbidden)
    summary = compare(plan, greedy)
    assert summary.extra_matched >= 0
    if plan.matched == greedy.matched:
        assert plan.total_score >= greedy.total_score - TOLERANCE


def test_plan_never_exceeds_peer_capacity():
    participants = [make_participant(k, waiting_since=k) for k in range(1, 6)]
    peers = [make_peer(100, capacity=3, load=1), make_peer(101, capacity=1, load=0)]
    plan = plan_matches(participants, peers, reference_year=REFERENCE_YEAR)
    assert plan.matched == 3
    assert [pair.peer_id for pair in plan.pairs].count(100) == 2
    assert len(plan.unmatched_participant_ids) == 2


def test_plan_prefers_one_more_match_over_a_higher_total():
    # 1 fits both peers but 100 far better; 2 only fits 100. Greedy (1 waited longest) gives
    # 1 peer 100 and leaves 2 unmatched; the plan matches both.
    fan = make_participant(1, interests={"fiske", "musikk", "kunst"}, waiting_since=0)
    strict = make_participant(
        2, interests={"fotball"}, wishes=(Wish("gender", "female", must=True),), waiting_since=1
    )
    peers = [
        make_peer(100, gender="female", interests={"fiske", "musikk", "kunst"}, capacity=1, load=0),
        make_peer(101, gender="male", capacity=1, load=0),
    ]
    plan, greedy = plan_and_greedy([fan, strict], peers)
    assert {(pair.participant_id, pair.peer_id) for pair in plan.pairs} == {(1, 101), (2, 100)}
    assert greedy.matched == 1 and greedy.unmatched_participant_ids == (2,)
    summary = compare(plan, greedy)
    assert summary.extra_matched == 1
    assert summary.plan_lowest == plan.lowest_score == min(pair.score for pair in plan.pairs)


def test_plan_leaves_out_pairs_the_solver_was_forced_to_use():
    # Three rows, three slots, but only 1-100, 1-101 and 2/3-102 are allowed: the assignment
    # must put someone on a pair that is not allowed, and the plan must drop it.
    only_102 = {"excluded_peer_ids": {100, 101}}
    participants = [
        make_participant(1, excluded_peer_ids={102}),
        make_participant(2, **only_102),
        make_participant(3, **only_102),
    ]
    peers = [make_peer(q, capacity=1, load=0) for q in (100, 101, 102)]
    plan = plan_matches(participants, peers, reference_year=REFERENCE_YEAR)
    assert_valid(plan, participants, peers)
    assert plan.matched == 2


def test_plan_maximises_total_score_when_the_count_is_equal():
    a = make_participant(1, interests={"fiske"}, waiting_since=0)
    b = make_participant(2, interests={"fiske", "kunst", "musikk"}, waiting_since=1)
    peers = [
        make_peer(100, interests={"fiske", "kunst", "musikk"}, capacity=1, load=0),
        make_peer(101, interests={"fiske"}, capacity=1, load=0),
    ]
    plan, greedy = plan_and_greedy([a, b], peers)
    assert {(pair.participant_id, pair.peer_id) for pair in plan.pairs} == {(1, 101), (2, 100)}
    assert plan.total_score > greedy.total_score


def test_greedy_serves_the_longest_waiting_first():
    early = make_participant(2, waiting_since=1)
    late = make_participant(1, waiting_since=5)
    greedy = plan_greedy([late, early], [make_peer(capacity=1, load=0)], reference_year=2025)
    assert [pair.participant_id for pair in greedy.pairs] == [2]


def test_locked_pair_is_kept_even_when_it_costs_a_match():
    participants = [make_participant(1), make_participant(2, excluded_peer_ids={101})]
    peers = [make_peer(100, capacity=1, load=0), make_peer(101, capacity=1, load=0)]
    plan = plan_matches(participants, peers, reference_year=REFERENCE_YEAR, locked=[(2, 100)])
    assert {(pair.participant_id, pair.peer_id) for pair in plan.pairs} == {(2, 100), (1, 101)}
    plan = plan_matches(participants, peers, reference_year=REFERENCE_YEAR, locked=[(1, 100)])
    assert plan.matched == 1 and plan.unmatched_participant_ids == (2,)


def test_forbidden_pair_is_never_planned():
    participants = [make_participant(1)]
    peers = [make_peer(100), make_peer(101)]
    for planner in (plan_matches, plan_greedy):
        plan = planner(participants, peers, reference_year=REFERENCE_YEAR, forbidden=[(1, 100)])
        assert [(pair.participant_id, pair.peer_id) for pair in plan.pairs] == [(1, 101)]


@pytest.mark.parametrize(
    ("locked", "forbidden", "code"),
    [
        ([(1, 100)], [], "not_in_resource_base"),
        ([(1, 101)], [(1, 101)], "forbidden_pair"),
        ([(1, 101), (2, 101)], [], "over_capacity"),
        ([(1, 101), (1, 102)], [], "participant_locked_twice"),
        ([(9, 101)], [], "unknown_participant"),
        ([(1, 999)], [], "unknown_peer"),
    ],
)
def test_impossible_locked_pair_raises_with_a_reason(locked, forbidden, code):
    participants = [make_participant(1), make_participant(2)]
    peers = [make_peer(100, active=False), make_peer(101, capacity=2, load=1), make_peer(102)]
    for planner in (plan_matches, plan_greedy):
        with pytest.raises(LockedPairError) as info:
            planner(
                participants,
                peers,
                reference_year=REFERENCE_YEAR,
                locked=locked,
                forbidden=forbidden,
            )
        assert code in [reason.code for reason in info.value.reasons]


def test_plan_reuses_a_matrix_only_for_the_same_inputs():
    participants, peers = [make_participant(1)], [make_peer(100)]
    matrix = score_matrix(participants, peers, reference_year=REFERENCE_YEAR)
    plan = plan_matches(participants, peers, reference_year=REFERENCE_YEAR, matrix=matrix)
    assert plan.matched == 1
    with pytest.raises(ValueError, match="other participants or peers"):
        plan_matches(participants, [make_peer(101)], reference_year=REFERENCE_YEAR, matrix=matrix)


def test_plan_of_nobody_or_without_peers_is_empty():
    assert plan_matches([], [make_peer()], reference_year=REFERENCE_YEAR).matched == 0
    plan = plan_matches([make_participant(1)], [], reference_year=REFERENCE_YEAR)
    assert (plan.matched, plan.unmatched_participant_ids, plan.lowest_score) == (0, (1,), None)


def dense_optimum(participants, peers, locked=(), forbidden=()):
    """Best (matched, total units) from ``linear_sum_assignment`` on the full dense matrix (the
    planner's former method: every free slot a column, cost -(BIG + units), 0 for "not
    allowed"), locked pairs included; independent of the pruned sparse solver."""
    matrix = score_matrix(participants, peers, reference_year=REFERENCE_YEAR)
    units = np.rint(matrix.scores * SCORE_UNITS)
    row = {p.id: i for i, p in enumerate(participants)}
    column = {q.id: j for j, q in enumerate(peers)}
    allowed = matrix.eligible.copy()
    for a, b in forbidden:
        allowed[row[a], column[b]] = False
    free = np.array([q.free_slots for q in peers], dtype=np.int64)
    locked_units = 0
    for a, b in locked:
        allowed[row[a], :] = False
        free[column[b]] -= 1
        locked_units += units[row[a], column[b]]
    columns = np.repeat(np.arange(len(peers)), free.clip(min=0))
    if len(participants) == 0 or len(columns) == 0:
        return len(locked), locked_units
    big = 100 * SCORE_UNITS * len(participants) + 1
    cost = np.where(allowed[:, columns], -(big + units[:, columns]), 0.0)
    rows, cols = linear_sum_assignment(cost)
    chosen = [(r, columns[k]) for r, k in zip(rows, cols, strict=True) if allowed[r, columns[k]]]
    return len(locked) + len(chosen), locked_units + sum(units[r, j] for r, j in chosen)


@st.composite
def crowded(draw):
    """Many participants for a few peers: far more allowed pairs than free slots per peer."""
    peer_ids = draw(st.lists(st.integers(100, 999), min_size=1, max_size=4, unique=True))
    ids = draw(st.lists(st.integers(1, 99), min_size=6, max_size=18, unique=True))
    return (
        [draw(strategies.participants(pid, peer_ids)) for pid in ids],
        [draw(strategies.peers(qid, max_capacity=3)) for qid in peer_ids],
    )


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(crowded(), instances(max_participants=16, max_peers=5, max_capacity=3)),
    st.data(),
    st.sampled_from([1, 2, 3, 5, CHUNK_ROWS]),
)
def test_pruned_sparse_plan_equals_the_dense_assignment(instance, data, chunk_rows):
    # Few free slots for many participants (so most pairs are pruned), ties from the small
    # vocabularies, locked and forbidden pairs, capacities above one, scored in small chunks.
    participants, peers = instance
    locked, forbidden = data.draw(locked_and_forbidden(participants, peers))
    plan = plan_matches(
        participants,
        peers,
        reference_year=REFERENCE_YEAR,
        locked=locked,
        forbidden=forbidden,
        chunk_rows=chunk_rows,
    )
    assert_valid(plan, participants, peers, locked, forbidden)
    matched, total_units = dense_optimum(participants, peers, locked, forbidden)
    assert plan.matched == matched
    assert sum(round(pair.score * SCORE_UNITS) for pair in plan.pairs) == total_units


@settings(max_examples=75, deadline=None)
@given(
    instances(max_participants=12, max_peers=5, max_capacity=3),
    st.data(),
    st.sampled_from([1, 2, 5]),
)
def test_plans_do_not_depend_on_the_chunk_size(instance, data, chunk_rows):
    participants, peers = instance
    locked, forbidden = data.draw(locked_and_forbidden(participants, peers))
    kwargs = {"reference_year": REFERENCE_YEAR, "locked": locked, "forbidden": forbidden}
    whole = plan_batch(participants, peers, **kwargs)
    chunked = plan_batch(participants, peers, chunk_rows=chunk_rows, **kwargs)
    matrix = score_matrix(participants, peers, reference_year=REFERENCE_YEAR)
    dense = plan_batch(participants, peers, matrix=matrix, chunk_rows=chunk_rows, **kwargs)
    assert whole[1] == chunked[1] == dense[1]  # the greedy plan, pair by pair
    assert {p.matched for p in (whole[0], chunked[0], dense[0])} == {whole[0].matched}
    assert chunked[0].total_score == pytest.approx(whole[0].total_score, abs=TOLERANCE)
    assert dense[0].total_score == pytest.approx(whole[0].total_score, abs=TOLERANCE)
