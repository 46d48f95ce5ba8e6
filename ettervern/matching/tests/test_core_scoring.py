"""Scores: in [0, 100], criteria behave as documented, and the matrix equals the breakdown."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ettervern.matching.core import (
    CRITERIA,
    DEFAULT_WEIGHTS,
    Reason,
    Weights,
    Wish,
    check_eligibility,
    score_matrix,
    score_pair,
)
from ettervern.matching.tests.strategies import (
    REFERENCE_YEAR,
    instances,
    make_participant,
    make_peer,
    weights,
)

ONLY = {name: 0.0 for name in CRITERIA}


def only(criterion: str) -> Weights:
    """Weights that score a single criterion, so its fraction is score / 100."""
    return Weights(**(ONLY | {criterion: 1.0}))


def score(participant, peer, weights=DEFAULT_WEIGHTS):
    return score_pair(participant, peer, reference_year=REFERENCE_YEAR, weights=weights).score


def test_interests_match_whole_tags_not_substrings():
    participant = make_participant(interests={"fiske"})
    peer = make_peer(interests={"fiskekake", "fiskesuppe"})
    breakdown = score_pair(participant, peer, reference_year=REFERENCE_YEAR)
    assert breakdown.criterion("interests").points == 0.0
    assert breakdown.criterion("interests").reason == Reason("no_shared_interests")


def test_interests_match_regardless_of_case_and_spacing():
    participant = make_participant(interests={"Fiske", "tur gåing"})
    peer = make_peer(interests={"fiske ", "Tur  Gåing", "fiskekake"})
    breakdown = score_pair(participant, peer, reference_year=REFERENCE_YEAR)
    assert breakdown.criterion("interests").reason == Reason(
        "shared_interests", {"interests": ["fiske", "tur gåing"]}
    )
    assert breakdown.criterion("interests").fraction == 1.0


def test_three_shared_interests_give_full_interest_points():
    participant = make_participant(interests={"a", "b", "c", "d", "e"})
    assert score(participant, make_peer(interests={"a", "b", "c"}), only("interests")) == 100.0
    assert score(participant, make_peer(interests={"a"}), only("interests")) == pytest.approx(
        100 / 3
    )


def test_shared_treatment_path_reason_names_the_paths():
    participant = make_participant(treatment_paths={"lar", "outpatient"})
    peer = make_peer(treatment_paths={"lar", "twelve_step"})
    breakdown = score_pair(participant, peer, reference_year=REFERENCE_YEAR)
    assert breakdown.criterion("treatment_path").reason == Reason(
        "shared_treatment_path", {"paths": ["lar"]}
    )
    assert breakdown.criterion("treatment_path").fraction == 0.5


def test_a_relative_is_best_matched_with_a_relative():
    participant = make_participant(lived_experience={"relative"})
    weights = only("lived_experience")
    assert score(participant, make_peer(lived_experience={"relative"}), weights) == 100.0
    assert score(participant, make_peer(lived_experience={"own_substance_use"}), weights) == 0.0


def test_free_capacity_reason_counts_free_slots():
    breakdown = score_pair(
        make_participant(), make_peer(capacity=3, load=2), reference_year=REFERENCE_YEAR
    )
    assert breakdown.criterion("load").reason == Reason("free_capacity", {"free": 1, "capacity": 3})


def test_previous_peer_scores_higher_than_an_otherwise_equal_peer():
    participant = make_participant(previous_peer_ids={100})
    assert score(participant, make_peer(100)) > score(participant, make_peer(101))


def test_nearer_area_scores_higher():
    participant = make_participant(area="arstad")
    weights = only("distance")
    same = score(participant, make_peer(area="arstad"), weights)
    near = score(participant, make_peer(area="bergenhus"), weights)  # about 3 km
    far = score(participant, make_peer(area="asane"), weights)  # about 11 km
    other_city = score(participant, make_peer(area="frogner"), weights)
    assert same == 100.0
    assert same > near > far > other_city >= 0.0
    assert other_city < 1e-6


def test_closer_age_scores_higher_and_thirty_years_apart_scores_nothing():
    participant = make_participant(birth_year=1980)
    weights = only("age")
    assert score(participant, make_peer(birth_year=1980), weights) == 100.0
    assert score(participant, make_peer(birth_year=1990), weights) == pytest.approx(100 * 2 / 3)
    assert score(participant, make_peer(birth_year=2010), weights) == 0.0


def test_would_like_wishes_score_the_share_met():
    participant = make_participant(
        wishes=(Wish("gender", "female"), Wish("language", "pl"), Wish("gender", "female", True))
    )
    peer = make_peer(gender="female", languages={"nb"})
    breakdown = score_pair(participant, peer, reference_year=REFERENCE_YEAR, weights=only("wishes"))
    assert breakdown.score == 50.0  # one of two would-like wishes; the must-wish is not scored
    assert breakdown.criterion("wishes").reason.params["met"] == 1


def test_criterion_without_participant_data_does_not_count():
    participant = make_participant(gender="female")  # no interests at all
    breakdown = score_pair(participant, make_peer(gender="female"), reference_year=REFERENCE_YEAR)
    interests = breakdown.criterion("interests")
    assert (interests.applicable, interests.max_points) == (False, 0.0)
    assert breakdown.criterion("gender").applicable


def test_all_zero_weights_give_score_zero():
    participant = make_participant(gender="female", interests={"fiske"})
    breakdown = score_pair(
        participant,
        make_peer(gender="female", interests={"fiske"}),
        reference_year=REFERENCE_YEAR,
        weights=Weights(**ONLY),
    )
    assert breakdown.score == 0.0
    assert all(cs.points == 0.0 and cs.max_points == 0.0 for cs in breakdown.criteria)


@settings(max_examples=80, deadline=None)
@given(instances(max_participants=3, max_peers=3), weights())
def test_score_is_between_0_and_100_and_the_breakdown_adds_up(instance, w):
    participants, peers = instance
    for p in participants:
        for q in peers:
            breakdown = score_pair(p, q, reference_year=REFERENCE_YEAR, weights=w)
            assert 0.0 <= breakdown.score <= 100.0
            assert math.isclose(
                sum(cs.points for cs in breakdown.criteria), breakdown.score, abs_tol=1e-9
            )
            max_total = sum(cs.max_points for cs in breakdown.criteria)
            assert math.isclose(max_total, 100.0) or max_total == 0.0 == breakdown.score
            assert all(0.0 <= cs.fraction <= 1.0 for cs in breakdown.criteria)


@settings(max_examples=40, deadline=None)
@given(instances(max_participants=3, max_peers=3), weights(), st.floats(0.01, 100))
def test_only_the_ratios_of_weights_matter(instance, w, factor):
    participants, peers = instance
    scaled = Weights(**{name: value * factor for name, value in w.as_dict().items()})
    for p in participants:
        for q in peers:
            assert math.isclose(score(p, q, w), score(p, q, scaled), abs_tol=1e-9)


@settings(max_examples=100, deadline=None)
@given(instances(max_participants=6, max_peers=6, max_capacity=3), weights())
def test_score_matrix_equals_scalar_breakdown_and_eligibility(instance, w):
    participants, peers = instance
    matrix = score_matrix(participants, peers, reference_year=REFERENCE_YEAR, weights=w)
    assert matrix.scores.shape == matrix.eligible.shape == (len(participants), len(peers))
    for i, p in enumerate(participants):
        for j, q in enumerate(peers):
            breakdown = score_pair(p, q, reference_year=REFERENCE_YEAR, weights=w)
            # Same operations in the same order: equal to the last bit, not just close.
            assert matrix.scores[i, j] == breakdown.score
            eligible = not check_eligibility(p, q, reference_year=REFERENCE_YEAR)
            assert bool(matrix.eligible[i, j]) is eligible


def test_score_matrix_handles_more_interest_tags_than_fit_in_one_word():
    # 150 tags need three 64-bit words; shared tags sit on both sides of the word boundaries.
    tags = [f"tag{k}" for k in range(150)]
    participants = [
        make_participant(1, interests={tags[0], tags[63], tags[64], tags[140]}),
        make_participant(2, interests={tags[127], tags[128]}),
        make_participant(3, interests=set(tags[60:70])),
    ]
    peers = [
        make_peer(100, interests={tags[64]}),
        make_peer(101, interests={tags[63], tags[128], tags[149]}),
        make_peer(102, interests={tags[1], tags[2]}),
        make_peer(103, interests={tags[0], tags[64], tags[140], tags[66]}),
    ]
    weights = only("interests")
    matrix = score_matrix(participants, peers, reference_year=REFERENCE_YEAR, weights=weights)
    expected = [[score(p, q, weights) for q in peers] for p in participants]
    assert matrix.scores.tolist() == expected
    assert len({value for row in expected for value in row}) >= 4


def test_score_matrix_rejects_duplicate_ids():
    with pytest.raises(ValueError, match="duplicate peer ids"):
        score_matrix([make_participant()], [make_peer(1), make_peer(1)], reference_year=2025)


def test_score_matrix_of_nobody_is_empty():
    matrix = score_matrix([], [make_peer()], reference_year=REFERENCE_YEAR)
    assert matrix.scores.shape == (0, 1)
    assert np.all(matrix.eligible == np.zeros((0, 1), dtype=bool))


def test_a_tiny_weight_alone_still_gives_a_breakdown_that_adds_up():
    """Found by hypothesis: a subnormal weight made 100 / weight infinite and the points NaN."""
    nothing = Weights(**{name: 0.0 for name in Weights.__dataclass_fields__})
    tiny = dataclasses.replace(nothing, load=2.225073858507203e-309)
    breakdown = score_pair(
        make_participant(),
        make_peer(capacity=0, load=0),
        reference_year=REFERENCE_YEAR,
        weights=tiny,
    )
    assert all(not math.isnan(cs.points) for cs in breakdown.criteria)
    assert math.isclose(sum(cs.points for cs in breakdown.criteria), breakdown.score, abs_tol=1e-9)
