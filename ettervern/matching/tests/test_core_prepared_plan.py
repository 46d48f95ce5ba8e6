"""A plan prepared once and solved again with one more peer equals planning from scratch with
that peer among the others (the recruitment radar's question), locks and forbidden pairs
included."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ettervern.matching.core import LockedPairError, Wish, plan_matches, prepare_plan
from ettervern.matching.core.planner import SCORE_UNITS
from ettervern.matching.tests.strategies import REFERENCE_YEAR, make_participant, make_peer
from ettervern.matching.tests.test_core_planner import (
    assert_valid,
    crowded,
    dense_optimum,
    instances,
    locked_and_forbidden,
)


def _units(plan) -> int:
    return sum(round(pair.score * SCORE_UNITS) for pair in plan.pairs)


@st.composite
def with_an_extra_peer(draw):
    """(participants, peers, extra): the extra peer is drawn with the others, so participants
    may have excluded it, had it before, or have it in a forbidden pair."""
    participants, peers = draw(
        st.one_of(crowded(), instances(max_participants=14, max_peers=5, max_capacity=3))
    )
    if not peers:
        peers = [make_peer(500, capacity=2)]
    return participants, peers[:-1], peers[-1]


@settings(max_examples=150, deadline=None)
@given(with_an_extra_peer(), st.data(), st.sampled_from([1, 2, 3, 5, 4096]))
def test_prepared_plan_with_an_extra_peer_equals_planning_with_it(instance, data, chunk_rows):
    participants, peers, extra = instance
    locked, forbidden = data.draw(locked_and_forbidden(participants, peers))
    # Pairs with the extra peer may be forbidden too (never locked: it is not in the plan).
    forbidden += [
        (p.id, extra.id) for p in participants if data.draw(st.integers(0, 4), label="f") == 0
    ]
    kwargs = {
        "reference_year": REFERENCE_YEAR,
        "locked": locked,
        "forbidden": forbidden,
        "chunk_rows": chunk_rows,
    }
    prepared = prepare_plan(participants, peers, extra_capacity=extra.free_slots, **kwargs)
    assert prepared.solve() == plan_matches(participants, peers, **kwargs)
    expected = plan_matches(participants, [*peers, extra], **kwargs)
    with_extra = prepared.solve([extra])
    # The same plan, pair by pair (so the same count and total score).
    assert with_extra == expected
    assert with_extra.matched == expected.matched
    assert with_extra.total_score == expected.total_score
    assert prepared.solve_each([extra]) == [expected]
    assert_valid(with_extra, participants, [*peers, extra], locked, forbidden)
    assert (with_extra.matched, _units(with_extra)) == dense_optimum(
        participants, [*peers, extra], locked, forbidden
    )


@settings(max_examples=100, deadline=None)
@given(with_an_extra_peer(), st.data(), st.integers(0, 3))
def test_an_extra_peer_with_fewer_slots_than_prepared_for_still_gets_the_optimum(
    instance, data, spare
):
    participants, peers, extra = instance
    locked, forbidden = data.draw(locked_and_forbidden(participants, peers))
    kwargs = {"reference_year": REFERENCE_YEAR, "locked": locked, "forbidden": forbidden}
    prepared = prepare_plan(participants, peers, extra_capacity=extra.free_slots + spare, **kwargs)
    plan = prepared.solve([extra])
    expected = plan_matches(participants, [*peers, extra], **kwargs)
    assert plan.matched == expected.matched
    assert _units(plan) == _units(expected)
    assert_valid(plan, participants, [*peers, extra], locked, forbidden)


def test_solve_each_scores_several_candidates_and_checks_their_slots():
    participants = [
        make_participant(i, wishes=(Wish("gender", "female", must=i < 3),)) for i in range(1, 6)
    ]
    peers = [make_peer(100, capacity=1, load=0, gender="female")]
    # The first two must have a woman: the extra peers, without a gender, take two others.
    candidates = [make_peer(-1, capacity=2, load=0, gender="male"), make_peer(-2, load=0)]
    prepared = prepare_plan(participants, peers, reference_year=REFERENCE_YEAR, extra_capacity=2)
    plans = prepared.solve_each(candidates)
    for candidate, plan in zip(candidates, plans, strict=True):
        assert plan == plan_matches(
            participants, [*peers, candidate], reference_year=REFERENCE_YEAR
        )
    assert [plan.matched for plan in plans] == [3, 3]  # 2 + 1 in both
    with pytest.raises(ValueError, match="more free slots"):
        prepared.solve([make_peer(-3, capacity=3, load=0)])
    with pytest.raises(ValueError, match="id of a peer"):
        prepared.solve([make_peer(100)])
    with pytest.raises(LockedPairError):
        prepare_plan(participants, peers, reference_year=REFERENCE_YEAR, locked=[(1, 999)])
