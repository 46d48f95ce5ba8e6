"""The Django-side explanations go through gettext, and in bokmål say exactly what the core says."""

import itertools
import re

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from ettervern.lib import vocab
from ettervern.matching import core
from ettervern.matching import explain as explain_module
from ettervern.matching.core import Reason, Wish
from ettervern.matching.core import explain as core_explain
from ettervern.matching.explain import explain
from ettervern.matching.tests.strategies import (
    REFERENCE_YEAR,
    instances,
    make_participant,
    make_peer,
)

NORWEGIAN_LETTERS = re.compile("[æøåÆØÅ]")


def _peers() -> list[core.Peer]:
    return [
        make_peer(
            100,
            gender="female",
            birth_year=1990,
            capacity=3,
            load=1,
            lived_experience={"relative"},
            substances={"alcohol", "opioids"},
            treatment_paths={"lar"},
            interests={"fiske"},
            strengths={"housing"},
            availability={"daytime"},
            languages={"nb"},
            area="arstad",
        ),
        make_peer(
            101,
            gender="male",
            birth_year=1985,
            capacity=2,
            load=1,
            lived_experience={"own_substance_use", "relative"},
            substances={"alcohol", "opioids", "stimulants"},
            treatment_paths={"lar", "twelve_step"},
            interests={"fiske", "musikk"},
            strengths={"housing", "work_education", "economy_debt"},
            availability={"daytime", "weekends"},
            languages={"nb", "pl"},
            area="fana",
        ),
        make_peer(102, course_completed=False, active=False, capacity=1, load=1),
        make_peer(
            103,
            gender="other",
            birth_year=1960,
            substances={"cannabis"},
            treatment_paths={"outpatient", "none"},
            interests={"kunst"},
            availability={"nights"},
            languages={"en"},
            area="grunerlokka",
        ),
        make_peer(104, birth_year=1984, capacity=4, load=0, area="sondre_nordstrand"),
    ]


def _participants() -> list[core.Participant]:
    rich = make_participant(
        1,
        gender="female",
        birth_year=1985,
        lived_experience={"own_substance_use", "relative"},
        substances={"alcohol", "opioids", "stimulants"},
        treatment_paths={"lar", "twelve_step"},
        interests={"fiske", "musikk", "kunst"},
        goals={"housing", "work_education", "economy_debt"},
        availability={"daytime", "weekends"},
        languages={"nb", "pl"},
        area="arstad",
        previous_peer_ids={100},
        wishes=(
            Wish("gender", "female"),
            Wish("age_range", (30, 50)),
            Wish("shared_experience", "relative"),
            Wish("shared_experience", "opioids"),
            Wish("treatment_path", "lar"),
            Wish("language", "pl"),
            Wish("availability", "evenings"),
        ),
    )
    bare = make_participant(2)  # nothing known: most criteria are not applicable
    no_consent = make_participant(
        3, has_followup_consent=False, excluded_peer_ids={101}, gender="male", birth_year=1970
    )
    one_wish = make_participant(4, wishes=(Wish("language", "uk"),), area="fana")
    must = [
        make_participant(10 + i, wishes=(Wish(kind, value, must=True),), area="gamle_oslo")
        for i, (kind, value) in enumerate(
            [
                ("gender", "other"),
                ("age_range", (20, 25)),
                ("shared_experience", "own_substance_use"),
                ("shared_experience", "prison"),
                ("shared_experience", "mental_health"),
                ("shared_experience", "stimulants"),
                ("treatment_path", "therapeutic_community"),
                ("language", "ar"),
                ("availability", "nights"),
            ]
        )
    ]
    return [rich, bare, no_consent, one_wish, *must]


def _locked_pair_reasons(participants, peers) -> list[Reason]:
    """The reasons ``plan_matches`` gives for locks that cannot hold."""
    attempts = [
        {"locked": [(999, 100)]},  # unknown_participant
        {"locked": [(1, 999)]},  # unknown_peer
        {"locked": [(1, 100), (1, 101)]},  # participant_locked_twice
        {"locked": [(1, 100)], "forbidden": [(1, 100)]},  # forbidden_pair
        {"locked": [(1, 101), (4, 101)]},  # over_capacity (one free slot)
        {"locked": [(3, 102)]},  # every eligibility reason at once
    ]
    reasons = []
    for attempt in attempts:
        with pytest.raises(core.LockedPairError) as info:
            core.plan_matches(participants, peers, reference_year=REFERENCE_YEAR, **attempt)
        reasons += info.value.reasons
    return reasons


def _core_reasons(participants, peers, *, limit: int) -> list[Reason]:
    """Every reason the core gives for these people: eligibility, scores, "why not"."""
    reasons = []
    for p, q in itertools.product(participants, peers):
        reasons += core.check_eligibility(p, q, reference_year=REFERENCE_YEAR)
        reasons += [
            cs.reason for cs in core.score_pair(p, q, reference_year=REFERENCE_YEAR).criteria
        ]
        reasons += core.why_not(p, q, peers, reference_year=REFERENCE_YEAR, limit=limit).reasons
    return reasons


def realistic_reasons() -> dict[str, list[Reason]]:
    """Reasons produced by the core itself on hand-built people, grouped by code."""
    participants, peers = _participants(), _peers()
    reasons = _core_reasons(participants, peers, limit=1)
    reasons += _locked_pair_reasons(participants, peers)
    by_code: dict[str, list[Reason]] = {}
    for reason in reasons:
        if reason not in by_code.setdefault(reason.code, []):
            by_code[reason.code].append(reason)
    return by_code


REASONS = realistic_reasons()


def own_words(reason: Reason) -> list[str]:
    """Norwegian proper names and free-text tags a reason carries (same in every language)."""
    params = reason.params
    words = [core_explain.AREA[params[key]] for key in ("area", "peer_area") if key in params]
    return words + list(params.get("interests", []))


def test_the_hand_built_people_reach_every_reason_code():
    assert set(REASONS) == core.REASON_CODES


@pytest.mark.parametrize("code", sorted(core.REASON_CODES))
def test_bokmal_text_is_the_cores_text_for_every_code(code):
    with translation.override("nb"):
        for reason in REASONS[code]:
            assert explain(reason) == core.explain_nb(reason)


@pytest.mark.parametrize("code", sorted(core.REASON_CODES))
def test_english_text_comes_from_the_msgids_for_every_code(code):
    with translation.override("en"):
        for reason in REASONS[code]:
            text = explain(reason)
            assert text and text != core.explain_nb(reason)
            for word in own_words(reason):
                text = text.replace(word, "")
            assert not NORWEGIAN_LETTERS.search(text), text


def test_some_english_and_bokmal_examples():
    lar = Reason("shared_treatment_path", {"paths": ["lar", "twelve_step", "none"]})
    distance = Reason("distance", {"km": 7.85, "area": "arstad", "peer_area": "fana"})
    wish = Reason("must_wish_unmet", {"kind": "age_range", "value": [30, 50]})
    with translation.override("en"):
        assert explain(lar) == (
            "Both have experience with opioid agonist treatment (LAR), 12-step and "
            "recovery without treatment"
        )
        assert explain(distance) == "About 7.8 km away (Årstad – Fana)"
        assert explain(wish) == "Does not meet the participant's requirement: aged 30–50"
        assert explain(Reason("age_difference", {"years": 1})) == "Age difference of 1 year"
    with translation.override("nb"):
        assert explain(lar) == "Begge har erfaring med LAR, 12-trinn og bedring uten behandling"
        assert explain(distance) == "Ca. 7,8 km unna (Årstad – Fana)"
        assert explain(wish) == "Oppfyller ikke deltakerens krav: alder 30–50 år"


def _every_label() -> list[Reason]:
    """One reason per code value, so every label is checked, not just the ones used above."""
    reasons = [Reason("shared_substances", {"substances": [s]}) for s in vocab.SUBSTANCES]
    reasons += [Reason("shared_treatment_path", {"paths": [t]}) for t in vocab.TREATMENT_PATHS]
    reasons += [Reason("shared_lived_experience", {"kinds": [k]}) for k in vocab.LIVED_EXPERIENCE]
    reasons += [Reason("strengths_match_goals", {"areas": [a]}) for a in vocab.LIFE_AREAS]
    reasons += [Reason("shared_availability", {"times": [t]}) for t in vocab.AVAILABILITY]
    reasons += [Reason("shared_language", {"languages": [lang]}) for lang in vocab.LANGUAGES]
    reasons += [Reason("same_area", {"area": area}) for area in vocab.AREAS]
    reasons += [Reason("not_applicable", {"criterion": c}) for c in core.CRITERIA]
    wishes = [("gender", g) for g in vocab.GENDERS]
    wishes += [("shared_experience", e) for e in vocab.LIVED_EXPERIENCE + vocab.SUBSTANCES]
    wishes += [("treatment_path", t) for t in vocab.TREATMENT_PATHS]
    wishes += [("language", lang) for lang in vocab.LANGUAGES]
    wishes += [("availability", t) for t in vocab.AVAILABILITY]
    reasons += [Reason("must_wish_unmet", {"kind": k, "value": v}) for k, v in wishes]
    return reasons


@pytest.mark.parametrize("reason", _every_label(), ids=lambda r: f"{r.code}-{r.params}")
def test_every_label_reads_as_in_the_core(reason):
    with translation.override("nb"):
        assert explain(reason) == core.explain_nb(reason)
    with translation.override("en"):
        text = explain(reason)
        for word in own_words(reason):
            text = text.replace(word, "")
        assert not NORWEGIAN_LETTERS.search(text), text


@settings(max_examples=60, deadline=None)
@given(instances(max_participants=3, max_peers=3), st.integers(1, 3))
def test_bokmal_text_is_the_cores_text_for_generated_people(instance, limit):
    participants, peers = instance
    with translation.override("nb"):
        for reason in _core_reasons(participants, peers, limit=limit):
            assert explain(reason) == core.explain_nb(reason)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(0, 100, allow_nan=False),
    st.floats(0, 100, allow_nan=False),
    st.floats(0, 100, allow_nan=False),
)
def test_numbers_round_as_in_the_core(score, behind_best, behind_last):
    ranked = Reason(
        "ranked",
        {
            "rank": 12,
            "eligible": 40,
            "limit": 10,
            "score": score,
            "behind_best": behind_best,
            "behind_last": behind_last,
        },
    )
    with translation.override("nb"):
        assert explain(ranked) == core.explain_nb(ranked)
    with translation.override("en"):
        assert explain(ranked).startswith(f"No. 12 of 40 eligible peers ({score:.1f} points): ")


def test_an_unknown_code_shows_as_itself():
    for language in ("nb", "en"):
        with translation.override(language):
            assert explain(Reason("made_up", {"anything": 1})) == "made_up"


def test_a_code_only_the_core_knows_gets_the_cores_text(monkeypatch):
    monkeypatch.delitem(explain_module._TEXTS, "free_capacity")
    reason = Reason("free_capacity", {"free": 1, "capacity": 3})
    with translation.override("en"):
        assert explain(reason) == core.explain_nb(reason) == "Ledig kapasitet: 1 av 3"


def test_a_value_without_a_label_falls_back_without_crashing(monkeypatch):
    monkeypatch.delitem(explain_module.SUBSTANCE, "gambling")
    gambling = Reason("shared_substances", {"substances": ["gambling"]})
    with translation.override("en"):
        assert explain(gambling) == "Begge har erfaring med pengespill"
        assert explain(Reason("shared_substances", {"substances": ["glue"]})) == (
            "shared_substances"
        )
