"""What is due, on a fixed clock: a participant matched on 10 January 2027."""

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from conftest import make_match, make_participant
from ettervern.followup.selectors import attention_items
from ettervern.matching.services import follow_up_end
from ettervern.outcomes.models import Mode
from ettervern.outcomes.selectors import add_months, due_for, questionnaires_due
from ettervern.outcomes.services import schedule_set
from ettervern.outcomes.tests.factories import all_items, answer
from ettervern.participants.models import Participant

START = dt.date(2027, 1, 10)


def _at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(11)).astimezone(dt.UTC), tick=False)


@pytest.fixture
def siri(personas):
    with _at(START):
        participant = make_participant(personas.programme_a, "Siri Skjema", gender="female")
        make_match(participant, personas.other_peer, started_on=START)
    return participant


def _due(participant, on):
    return {
        (d.instrument_code, d.point, d.overdue)
        for d in due_for(Participant.objects.filter(pk=participant.pk), on)
    }


def test_intake_is_due_at_the_start_and_overdue_two_weeks_later(siri):
    assert _due(siri, START - dt.timedelta(days=1)) == set()
    assert _due(siri, START) == {("barc10", "intake", False)}
    assert _due(siri, START + dt.timedelta(days=14)) == {("barc10", "intake", False)}
    assert _due(siri, START + dt.timedelta(days=15)) == {("barc10", "intake", True)}


def test_a_complete_answer_takes_it_off_and_the_next_point_opens_two_weeks_early(personas, siri):
    with _at(START + dt.timedelta(days=2)):
        answer(personas.other_peer_user, siri, "barc10", 4, mode=Mode.PEER_PHONE)
    assert _due(siri, START + dt.timedelta(days=20)) == set()
    three_months = dt.date(2027, 4, 10)
    assert _due(siri, three_months - dt.timedelta(days=15)) == set()
    assert _due(siri, three_months - dt.timedelta(days=14)) == {
        ("barc10", "m3", False),
        ("trust", "m3", False),
    }


def test_an_incomplete_answer_leaves_it_due(personas, siri):
    half = dict(list(all_items("barc10", 4).items())[:5])
    with _at(START + dt.timedelta(days=2)):
        answer(personas.other_peer_user, siri, "barc10", half, mode=Mode.PEER_PHONE)
    assert _due(siri, START + dt.timedelta(days=3)) == {("barc10", "intake", False)}


def test_the_coordinator_sets_the_programme_schedule(personas, siri):
    schedule_set(
        actor=personas.coordinator,
        programme=personas.programme_a,
        instrument_code="barc10",
        points=["m6", "intake"],
    )
    assert _due(siri, START) == {("barc10", "intake", False)}
    # No three-month point any more: the intake stays overdue until it is missed.
    assert ("barc10", "m3", False) not in _due(siri, dt.date(2027, 4, 1))
    assert _due(siri, dt.date(2027, 7, 1)) >= {("barc10", "m6", False)}


def test_a_missed_point_gives_way_to_the_next_or_drops_off_after_ninety_days(personas, siri):
    assert _due(siri, dt.date(2027, 3, 26)) == {("barc10", "intake", True)}
    assert _due(siri, dt.date(2027, 3, 27)) == {("barc10", "m3", False), ("trust", "m3", False)}
    for code in ("barc10", "trust", "goals"):
        schedule_set(
            actor=personas.coordinator,
            programme=personas.programme_a,
            instrument_code=code,
            points=["intake"] if code == "barc10" else [],
        )
    assert _due(siri, START + dt.timedelta(days=90)) == {("barc10", "intake", True)}
    assert _due(siri, START + dt.timedelta(days=91)) == set()


def test_nothing_is_due_before_a_match_started(personas):
    assert _due(personas.waiting, dt.date(2030, 1, 1)) == set()


def test_due_questionnaires_reach_whoever_follows_her_and_nobody_else(personas, siri):
    on = START + dt.timedelta(days=20)
    mine = questionnaires_due(user=personas.other_peer_user, on=on)
    assert [(d.participant_name, d.instrument_code, d.overdue) for d in mine] == [
        ("Siri Skjema", "barc10", True)
    ]
    assert siri.pk in {
        d.participant_id for d in questionnaires_due(user=personas.coordinator, on=on)
    }
    for who in ("peer_user", "coordinator_b", "researcher", "participant_user"):
        assert siri.pk not in {
            d.participant_id for d in questionnaires_due(user=personas.user(who), on=on)
        }


def test_the_attention_list_shows_them(personas, siri):
    with _at(START + dt.timedelta(days=20)), translation.override("nb"):
        items = attention_items(personas.other_peer_user)
    (item,) = [i for i in items if i.participant_id == siri.pk and i.kind.startswith("quest")]
    assert item.kind == "questionnaire_overdue"
    assert item.text == "BARC-10 er forsinket (ved start, skulle vært besvart 10.01.2027)"


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2027, 11, 15), 3, dt.date(2028, 2, 15)),
        (dt.date(2027, 5, 5), 12, dt.date(2028, 5, 5)),
    ],
)
def test_months_are_counted_on_the_calendar(day, months, expected):
    assert add_months(day, months) == expected


def test_the_end_point_is_due_when_her_follow_up_ends(personas, siri):
    ended = dt.date(2027, 5, 20)
    with _at(ended):
        follow_up_end(actor=personas.coordinator, participant=siri, end_reason="goals_reached")
    # The six-month point would come after the end: only the end is asked, and not the
    # trust scale (she has no peer worker any more).
    assert _due(siri, ended) == {("barc10", "end", False)}
    assert _due(siri, ended + dt.timedelta(days=15)) == {("barc10", "end", True)}
    # Her coordinator still sees it; the former peer worker does not.
    on = ended + dt.timedelta(days=1)
    assert siri.pk in {
        d.participant_id for d in questionnaires_due(user=personas.coordinator, on=on)
    }
    assert siri.pk not in {
        d.participant_id for d in questionnaires_due(user=personas.other_peer_user, on=on)
    }
