"""Hard constraints: each one excludes a pair on its own, and is reported as a reason."""

import pytest

from ettervern.matching.core import Reason, Wish, check_eligibility
from ettervern.matching.tests.strategies import (
    REFERENCE_YEAR,
    make_participant,
    make_peer,
)


def failed_codes(participant, peer, reference_year=REFERENCE_YEAR):
    return [r.code for r in check_eligibility(participant, peer, reference_year=reference_year)]


def test_eligible_pair_has_no_failed_constraints():
    assert check_eligibility(make_participant(), make_peer(), reference_year=REFERENCE_YEAR) == []


@pytest.mark.parametrize(
    ("participant_fields", "peer_fields", "code"),
    [
        ({}, {"course_completed": False}, "course_not_completed"),
        ({}, {"active": False}, "not_in_resource_base"),
        ({}, {"capacity": 2, "load": 2}, "no_free_capacity"),
        ({}, {"capacity": 0, "load": 0}, "no_free_capacity"),
        ({"has_followup_consent": False}, {}, "no_followup_consent"),
        ({"excluded_peer_ids": {100}}, {}, "excluded"),
    ],
)
def test_each_hard_constraint_excludes_on_its_own(participant_fields, peer_fields, code):
    participant = make_participant(**participant_fields)
    peer = make_peer(100, **peer_fields)
    assert failed_codes(participant, peer) == [code]


def test_full_peer_reports_load_and_capacity():
    reasons = check_eligibility(
        make_participant(), make_peer(capacity=3, load=3), reference_year=REFERENCE_YEAR
    )
    assert reasons == [Reason("no_free_capacity", {"load": 3, "capacity": 3})]


def test_exclusion_of_another_peer_does_not_exclude_this_one():
    assert failed_codes(make_participant(excluded_peer_ids={999}), make_peer(100)) == []


# For each wish kind: a wish the peer fails, and the peer's data.
UNMET_WISHES = {
    "gender": (Wish("gender", "female", must=True), {"gender": "male"}),
    "age_range": (Wish("age_range", (30, 40), must=True), {"birth_year": 1960}),
    "shared_experience": (
        Wish("shared_experience", "relative", must=True),
        {"lived_experience": {"own_substance_use"}},
    ),
    "treatment_path": (Wish("treatment_path", "lar", must=True), {"treatment_paths": {"none"}}),
    "language": (Wish("language", "pl", must=True), {"languages": {"nb"}}),
    "availability": (Wish("availability", "evenings", must=True), {"availability": {"daytime"}}),
}


@pytest.mark.parametrize("kind", sorted(UNMET_WISHES))
def test_unmet_must_wish_of_each_kind_excludes(kind):
    wish, peer_fields = UNMET_WISHES[kind]
    reasons = check_eligibility(
        make_participant(wishes=(wish,)), make_peer(**peer_fields), reference_year=REFERENCE_YEAR
    )
    value = list(wish.value) if kind == "age_range" else wish.value
    assert reasons == [Reason("must_wish_unmet", {"kind": kind, "value": value})]


@pytest.mark.parametrize("kind", sorted(UNMET_WISHES))
def test_same_wish_as_would_like_does_not_exclude(kind):
    wish, peer_fields = UNMET_WISHES[kind]
    soft = Wish(wish.kind, wish.value, must=False)
    assert failed_codes(make_participant(wishes=(soft,)), make_peer(**peer_fields)) == []


@pytest.mark.parametrize(
    ("wish", "peer_fields"),
    [
        (Wish("gender", "female", must=True), {"gender": "female"}),
        (Wish("age_range", (30, 40), must=True), {"birth_year": 1990}),
        (Wish("shared_experience", "relative", must=True), {"lived_experience": {"relative"}}),
        (Wish("shared_experience", "opioids", must=True), {"substances": {"opioids"}}),
        (Wish("treatment_path", "lar", must=True), {"treatment_paths": {"lar", "outpatient"}}),
        (Wish("language", "pl", must=True), {"languages": {"nb", "pl"}}),
        (Wish("availability", "evenings", must=True), {"availability": {"evenings"}}),
    ],
)
def test_met_must_wish_keeps_the_pair_eligible(wish, peer_fields):
    assert failed_codes(make_participant(wishes=(wish,)), make_peer(**peer_fields)) == []


def test_age_range_is_inclusive_and_uses_the_reference_year():
    participant = make_participant(wishes=(Wish("age_range", (30, 35), must=True),))
    peer = make_peer(birth_year=1990)
    assert failed_codes(participant, peer, reference_year=2020) == []  # 30
    assert failed_codes(participant, peer, reference_year=2025) == []  # 35
    assert failed_codes(participant, peer, reference_year=2026) == ["must_wish_unmet"]  # 36
    assert failed_codes(participant, peer, reference_year=2019) == ["must_wish_unmet"]  # 29


@pytest.mark.parametrize("kind", ["gender", "age_range"])
def test_unknown_peer_data_never_satisfies_a_must_wish(kind):
    wish = UNMET_WISHES[kind][0]
    assert failed_codes(make_participant(wishes=(wish,)), make_peer()) == ["must_wish_unmet"]


def test_every_failed_constraint_is_reported():
    participant = make_participant(
        has_followup_consent=False,
        excluded_peer_ids={100},
        wishes=(Wish("gender", "female", must=True), Wish("language", "pl", must=True)),
    )
    peer = make_peer(100, course_completed=False, active=False, capacity=1, load=1, gender="male")
    assert failed_codes(participant, peer) == [
        "course_not_completed",
        "not_in_resource_base",
        "no_free_capacity",
        "no_followup_consent",
        "excluded",
        "must_wish_unmet",
        "must_wish_unmet",
    ]
