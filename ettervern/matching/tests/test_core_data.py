"""Inputs of the matching core: codes are validated, tags normalised, weights checked."""

from decimal import Decimal

import pytest

from ettervern.matching.core import CRITERIA, InvalidWeight, Participant, Peer, Weights, Wish
from ettervern.matching.core.data import normalise_tag


def test_interest_tags_are_normalised_for_case_and_whitespace():
    peer = Peer(id=1, interests=["  Fiske ", "Tur  Gåing", "", "MUSIKK"])
    assert peer.interests == frozenset({"fiske", "tur gåing", "musikk"})


def test_interest_tags_are_unicode_normalised():
    decomposed = "Turga\u030aing"  # "å" typed as "a" + combining ring
    assert normalise_tag(decomposed) == "turgåing"


def test_unknown_code_is_rejected():
    with pytest.raises(ValueError, match="substances"):
        Participant(id=1, substances={"coffee"})


def test_codes_given_as_one_string_are_rejected():
    # frozenset("lar") would silently be {"l", "a", "r"}.
    with pytest.raises(ValueError, match="collection of codes"):
        Peer(id=1, treatment_paths="lar")


def test_blank_gender_and_area_mean_unknown():
    peer = Peer(id=1, gender="", area="")
    assert peer.gender is None
    assert peer.area is None


def test_lists_from_json_fields_become_frozensets():
    participant = Participant(id=1, languages=["nb", "pl"], excluded_peer_ids=[3])
    assert participant.languages == frozenset({"nb", "pl"})
    assert participant.excluded_peer_ids == frozenset({3})


def test_age_range_wish_accepts_the_models_string_form():
    assert Wish("age_range", "30-50").value == (30, 50)
    assert Wish("age_range", [30, 50], must=True).value == (30, 50)


@pytest.mark.parametrize("value", ["50-30", "30", "a-b", (30,), (-1, 5)])
def test_malformed_age_range_wish_is_rejected(value):
    with pytest.raises(ValueError, match="age_range"):
        Wish("age_range", value)


def test_wish_value_must_be_a_code_of_its_kind():
    with pytest.raises(ValueError, match="language"):
        Wish("language", "klingon")
    with pytest.raises(ValueError, match="kind"):
        Wish("eye_colour", "blue")


def test_peer_load_and_capacity_must_be_non_negative_integers():
    with pytest.raises(ValueError, match="capacity"):
        Peer(id=1, capacity=-1)
    with pytest.raises(ValueError, match="load"):
        Peer(id=1, capacity=2, load=1.5)


def test_default_weights_cover_every_criterion_and_are_positive():
    defaults = Weights().as_dict()
    assert tuple(defaults) == CRITERIA
    assert all(value > 0 for value in defaults.values())


@pytest.mark.parametrize("criterion", CRITERIA)
def test_negative_weight_is_rejected_with_the_criterion_named(criterion):
    with pytest.raises(InvalidWeight, match="must not be negative") as info:
        Weights(**{criterion: -0.5})
    assert info.value.criterion == criterion
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("value", ["2", None, True, float("nan"), float("inf"), [1]])
def test_non_numeric_or_non_finite_weight_is_rejected(value):
    with pytest.raises(InvalidWeight, match="'gender'"):
        Weights(gender=value)


def test_weights_from_mapping_accept_decimals_from_a_form():
    weights = Weights.from_mapping({"gender": Decimal("2.5"), "distance": 0})
    assert weights.gender == 2.5
    assert weights.distance == 0.0
    assert weights.age == Weights().age


def test_weights_from_mapping_reject_an_unknown_criterion():
    with pytest.raises(InvalidWeight, match="not a criterion"):
        Weights.from_mapping({"shoe_size": 1})
