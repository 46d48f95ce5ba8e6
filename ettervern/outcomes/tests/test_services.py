import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ettervern.audit.models import AuditEvent
from ettervern.outcomes.models import Answer, Mode, Response
from ettervern.outcomes.selectors import series_for
from ettervern.outcomes.tests.factories import all_items, answer, instrument
from ettervern.participants.models import Goal
from ettervern.participants.selectors import timeline


def test_a_complete_response_is_scored_and_stored_per_item(personas):
    values = all_items("barc10", 4) | {"b01": 6, "b02": 1}
    response = answer(personas.participant_user, personas.participant, "barc10", values)
    assert response.complete and response.total == 4 * 8 + 6 + 1
    assert response.answered_by == personas.participant_user
    assert response.mode == Mode.OWN_LOGIN
    stored = dict(Answer.objects.filter(response=response).values_list("item__code", "value"))
    assert stored == values


def test_the_audit_row_carries_scores_never_the_answers(personas):
    answer(personas.peer_user, personas.participant, "trust", 4, mode=Mode.PEER_PHONE)
    row = AuditEvent.objects.get(data__event="questionnaire_answered")
    assert row.participant_id == personas.participant.pk
    assert row.data["total"] == 36
    assert row.data["subscales"] == {"ability": 12, "benevolence": 12, "integrity": 12}
    assert not {"t1", "values", "answers"} & set(row.data)
    with translation.override("nb"):
        texts = [entry["text"] for entry in timeline(personas.participant)]
    assert any("Tillit besvart" in str(t) and "36 poeng" in str(t) for t in texts), texts


def test_a_half_answered_questionnaire_is_saved_incomplete_and_not_scored(personas):
    values = dict(list(all_items("barc10", 5).items())[:4])
    response = answer(personas.participant_user, personas.participant, "barc10", values)
    assert not response.complete and response.total is None
    assert Answer.objects.filter(response=response).count() == 4
    (series,) = series_for(personas.participant)
    assert series.measurements == [] and series.incomplete == 1


@pytest.mark.parametrize("bad", [0, 7, -1, 100])
def test_an_answer_out_of_range_is_refused_in_norwegian_and_nothing_is_saved(personas, bad):
    values = all_items("barc10", 3) | {"b03": bad}
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        answer(personas.participant_user, personas.participant, "barc10", values)
    assert refused.value.messages == ["Svaret på spørsmål 3 må være mellom 1 og 6."]
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_nothing_answered_is_refused(personas):
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        answer(personas.participant_user, personas.participant, "barc10", {})
    assert refused.value.messages == ["Svar på minst ett spørsmål."]


def test_the_same_form_sent_twice_stores_one_response(personas):
    key = uuid.uuid4()
    first = answer(personas.participant_user, personas.participant, "barc10", 4, key=key)
    again = answer(personas.participant_user, personas.participant, "barc10", 4, key=key)
    assert first.pk == again.pk
    assert Response.objects.count() == 1


def test_how_it_was_answered_follows_who_answers(personas):
    with pytest.raises(ValidationError):
        answer(personas.participant_user, personas.participant, "barc10", 4, mode=Mode.PEER_PHONE)
    with pytest.raises(ValidationError):
        answer(personas.peer_user, personas.participant, "barc10", 4, mode=Mode.OWN_LOGIN)
    read = answer(personas.coordinator, personas.participant, "barc10", 4, mode=Mode.READ_ALOUD)
    assert read.mode == Mode.READ_ALOUD and read.answered_by == personas.coordinator


@pytest.mark.parametrize("who", ["other_peer_user", "researcher", "coordinator_b", "employer"])
def test_who_may_not_see_her_may_not_answer_for_her(personas, who):
    with pytest.raises(PermissionDenied):
        answer(personas.user(who), personas.participant, "barc10", 4, mode=Mode.READ_ALOUD)
    assert not Response.objects.exists()


def test_the_trust_scale_needs_a_current_peer_worker(personas):
    with pytest.raises(ValidationError):
        answer(personas.coordinator, personas.waiting, "trust", 4, mode=Mode.READ_ALOUD)


def test_goal_progress_asks_about_each_of_her_goals(personas):
    p = personas.participant
    scope = {"organisation_id": p.organisation_id, "programme_id": p.programme_id}
    goals = [
        Goal.objects.create(
            participant=p, life_area="housing", description="Egen leilighet", **scope
        ),
        Goal.objects.create(participant=p, life_area="work", description="Jobb", **scope),
        Goal.objects.create(
            participant=p, life_area="health", description="Gammelt", status="dropped", **scope
        ),
    ]
    values = {f"goal-{goals[0].pk}": 2, f"goal-{goals[1].pk}": 1}
    response = answer(personas.participant_user, p, "goals", values)
    assert response.complete and response.total == 1
    with pytest.raises(ValidationError):
        answer(personas.participant_user, p, "goals", values | {f"goal-{goals[2].pk}": 2})


def test_answers_point_to_the_instrument_version(personas):
    response = answer(personas.participant_user, personas.participant, "barc10", 4)
    assert response.instrument == instrument("barc10")
    assert response.instrument.version == 1
