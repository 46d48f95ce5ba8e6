"""Reasons render as plain bokmål, and every reason the core produces has a text."""

import pytest
from hypothesis import given, settings

from ettervern.matching.core import (
    REASON_CODES,
    LockedPairError,
    Reason,
    check_eligibility,
    explain_nb,
    plan_matches,
    score_pair,
    why_not,
)
from ettervern.matching.tests.strategies import (
    REFERENCE_YEAR,
    instances,
    make_participant,
    make_peer,
)


def test_explain_nb_renders_the_issues_three_examples():
    assert explain_nb(Reason("shared_treatment_path", {"paths": ["lar"]})) == (
        "Begge har erfaring med LAR"
    )
    assert explain_nb(Reason("shared_interests", {"interests": ["fiske", "turgåing"]})) == (
        "Felles interesser: fiske, turgåing"
    )
    assert explain_nb(Reason("free_capacity", {"free": 1, "capacity": 3})) == (
        "Ledig kapasitet: 1 av 3"
    )


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        (
            Reason("shared_treatment_path", {"paths": ["lar", "twelve_step"]}),
            "Begge har erfaring med LAR og 12-trinn",
        ),
        (Reason("shared_interests", {"interests": ["fiske"]}), "Felles interesse: fiske"),
        (
            Reason("must_wish_unmet", {"kind": "gender", "value": "female"}),
            "Oppfyller ikke deltakerens krav: kvinne",
        ),
        (
            Reason("must_wish_unmet", {"kind": "age_range", "value": [30, 50]}),
            "Oppfyller ikke deltakerens krav: alder 30–50 år",
        ),
        (
            Reason("no_free_capacity", {"load": 2, "capacity": 2}),
            "Ingen ledig kapasitet (2 av 2 plasser i bruk)",
        ),
        (
            Reason("distance", {"km": 7.8, "area": "arstad", "peer_area": "fana"}),
            "Ca. 7,8 km unna (Årstad – Fana)",
        ),
        (Reason("age_difference", {"years": 4}), "4 års aldersforskjell"),
    ],
)
def test_explain_nb_texts(reason, text):
    assert explain_nb(reason) == text


def test_explain_nb_rejects_an_unknown_code():
    with pytest.raises(ValueError, match="no text"):
        explain_nb(Reason("made_up"))


def test_why_not_ranking_reads_as_a_sentence():
    reason = Reason(
        "ranked",
        {
            "rank": 14,
            "eligible": 52,
            "limit": 10,
            "score": 48.04,
            "behind_best": 12.5,
            "behind_last": 3.14,
        },
    )
    assert explain_nb(reason) == (
        "Nr. 14 av 52 aktuelle likepersoner (48,0 poeng): 12,5 poeng bak beste forslag "
        "og 3,1 poeng bak nr. 10"
    )


def test_locked_pair_error_reasons_have_texts():
    participant, peer = make_participant(), make_peer(capacity=1, load=1)
    with pytest.raises(LockedPairError) as info:
        plan_matches([participant], [peer], reference_year=REFERENCE_YEAR, locked=[(1, 100)])
    assert [explain_nb(r) for r in info.value.reasons] == [
        "Ingen ledig kapasitet (1 av 1 plasser i bruk)"
    ]


@settings(max_examples=60, deadline=None)
@given(instances(max_participants=3, max_peers=3))
def test_every_reason_the_core_produces_renders(instance):
    participants, peers = instance
    for p in participants:
        for q in peers:
            reasons = list(check_eligibility(p, q, reference_year=REFERENCE_YEAR))
            breakdown = score_pair(p, q, reference_year=REFERENCE_YEAR)
            reasons += [cs.reason for cs in breakdown.criteria]
            reasons += why_not(p, q, peers, reference_year=REFERENCE_YEAR, limit=1).reasons
            for reason in reasons:
                assert reason.code in REASON_CODES
                text = explain_nb(reason)
                assert text and "{" not in text and "None" not in text
