"""Suggestions for one participant, and "why not this peer?"."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ettervern.matching.core import (
    check_eligibility,
    score_pair,
    suggest_peers,
    why_not,
)
from ettervern.matching.tests.strategies import (
    REFERENCE_YEAR,
    instances,
    make_participant,
    make_peer,
)


def all_eligible_ranked(participant, peers):
    """Independent reference: scalar scores of every eligible peer, best first, ties by id."""
    scored = [
        (score_pair(participant, q, reference_year=REFERENCE_YEAR).score, q.id)
        for q in peers
        if not check_eligibility(participant, q, reference_year=REFERENCE_YEAR)
    ]
    return sorted(scored, key=lambda item: (-item[0], item[1]))


@settings(max_examples=75, deadline=None)
@given(instances(max_participants=2, max_peers=8, max_capacity=3), st.integers(0, 10))
def test_suggestions_are_the_best_eligible_peers_ranked_by_score_then_id(instance, limit):
    participants, peers = instance
    for participant in participants:
        suggestions = suggest_peers(participant, peers, reference_year=REFERENCE_YEAR, limit=limit)
        expected = all_eligible_ranked(participant, peers)[:limit]
        assert [(s.score, s.peer_id) for s in suggestions] == expected
        assert [s.rank for s in suggestions] == list(range(1, len(expected) + 1))
        for s in suggestions:
            assert s.breakdown.score == s.score
            peer = next(q for q in peers if q.id == s.peer_id)
            assert check_eligibility(participant, peer, reference_year=REFERENCE_YEAR) == []


def test_equal_scores_are_ordered_by_peer_id_not_input_order():
    peers = [make_peer(peer_id) for peer_id in (30, 10, 20)]
    suggestions = suggest_peers(make_participant(), peers, reference_year=REFERENCE_YEAR)
    assert [s.peer_id for s in suggestions] == [10, 20, 30]


def test_ineligible_peer_is_never_suggested_however_well_it_scores():
    participant = make_participant(interests={"fiske"}, excluded_peer_ids={100})
    peers = [make_peer(100, interests={"fiske"}), make_peer(101)]
    suggestions = suggest_peers(participant, peers, reference_year=REFERENCE_YEAR)
    assert [s.peer_id for s in suggestions] == [101]


def test_participant_without_followup_consent_gets_no_suggestions():
    participant = make_participant(has_followup_consent=False)
    assert suggest_peers(participant, [make_peer()], reference_year=REFERENCE_YEAR) == []


def test_why_not_lists_the_failed_hard_constraints():
    answer = why_not(
        make_participant(),
        make_peer(100, active=False),
        [make_peer(101)],
        reference_year=REFERENCE_YEAR,
    )
    assert not answer.eligible
    assert [r.code for r in answer.reasons] == ["not_in_resource_base"]
    assert answer.rank is None and answer.breakdown is None


def test_why_not_tells_how_far_behind_the_best_and_the_last_suggestion():
    participant = make_participant(interests={"fiske", "musikk", "kunst"})
    peers = [
        make_peer(101, interests={"fiske", "musikk", "kunst"}),
        make_peer(102, interests={"fiske", "musikk"}),
        make_peer(103, interests={"fiske"}),
    ]
    scores = {q.id: score_pair(participant, q, reference_year=REFERENCE_YEAR).score for q in peers}
    answer = why_not(participant, peers[2], peers, reference_year=REFERENCE_YEAR, limit=2)
    assert answer.eligible and not answer.suggested
    assert (answer.rank, answer.eligible_count) == (3, 3)
    assert answer.behind_best == pytest.approx(scores[101] - scores[103])
    assert answer.behind_last == pytest.approx(scores[102] - scores[103])
    assert answer.behind_last > 0
    assert [r.code for r in answer.reasons] == ["ranked"]


def test_why_not_for_a_suggested_peer_has_no_gap_to_the_last_suggestion():
    participant = make_participant(interests={"fiske"})
    peers = [make_peer(101, interests={"fiske"}), make_peer(102)]
    answer = why_not(participant, peers[1], peers, reference_year=REFERENCE_YEAR, limit=2)
    assert answer.suggested and answer.rank == 2
    assert answer.behind_last == 0.0
    assert answer.behind_best > 0


@settings(max_examples=50, deadline=None)
@given(instances(max_participants=1, max_peers=6, max_capacity=3), st.integers(1, 4))
def test_why_not_rank_agrees_with_suggestions(instance, limit):
    participants, peers = instance
    for participant in participants:
        ranked = all_eligible_ranked(participant, peers)
        for peer in peers:
            answer = why_not(participant, peer, peers, reference_year=REFERENCE_YEAR, limit=limit)
            ids = [peer_id for _, peer_id in ranked]
            if peer.id in ids:
                assert answer.rank == ids.index(peer.id) + 1
                assert answer.suggested == (answer.rank <= limit)
                assert answer.behind_best >= 0 and answer.behind_last >= 0
            else:
                assert answer.failed and answer.rank is None
