import datetime as dt

import pytest
import time_machine
from django.utils import timezone, translation

from ettervern.audit.models import AuditEvent
from ettervern.outcomes.models import Mode, Response, Schedule
from ettervern.outcomes.selectors import outcome_change, scores_by_participant
from ettervern.outcomes.tests.factories import all_items, answer


def _page(p):
    return f"/sporreskjema/{p.pk}/"


def _answer_url(p, code="barc10"):
    return f"/sporreskjema/{p.pk}/svar/?skjema={code}"


def _post(values: dict, mode: str = "") -> dict:
    data = {"skjema": "barc10", **{f"q_{k}": str(v) for k, v in values.items()}}
    if mode:
        data["mode"] = mode
    return data


@pytest.mark.parametrize("who", ["coordinator", "peer_user", "participant_user"])
def test_coordinator_current_peer_and_she_herself_see_her_scores(client, personas, who):
    answer(personas.participant_user, personas.participant, "barc10", 4)
    client.force_login(personas.user(who))
    response = client.get(_page(personas.participant))
    assert response.status_code == 200
    assert b"<svg" in response.content
    assert AuditEvent.objects.filter(
        actor=personas.user(who), data__event="outcomes_viewed", participant=personas.participant
    ).exists()


@pytest.mark.parametrize(
    "who", ["other_peer_user", "researcher", "employer", "referrer", "admin", "coordinator_b"]
)
def test_nobody_else_reaches_her_scores_or_the_form(client, personas, who):
    client.force_login(personas.user(who))
    for url in (_page(personas.participant), _answer_url(personas.participant)):
        assert client.get(url).status_code == 404
    assert client.post(_answer_url(personas.participant), _post({"b01": 4})).status_code == 404
    assert not Response.objects.exists()


def test_another_organisations_participant_is_a_404(client, personas):
    client.force_login(personas.coordinator)
    assert client.get(_page(personas.participant_b)).status_code == 404
    assert client.get(_answer_url(personas.participant_b)).status_code == 404


def test_the_participant_answers_with_her_own_login(client, personas):
    client.force_login(personas.participant_user)
    page = client.get(_answer_url(personas.participant))
    assert page.status_code == 200
    assert "Stort sett er jeg fornøyd med livet mitt." in page.content.decode()
    assert b'name="mode"' not in page.content
    response = client.post(_answer_url(personas.participant), _post(all_items("barc10", 5)))
    assert response.status_code == 302
    stored = Response.objects.get()
    assert (stored.mode, stored.total, stored.answered_by) == (
        Mode.OWN_LOGIN,
        50,
        personas.participant_user,
    )


def test_the_peer_goes_through_it_on_her_phone(client, personas):
    client.force_login(personas.peer_user)
    data = _post(all_items("barc10", 3), mode=Mode.PEER_PHONE)
    assert client.post(_answer_url(personas.participant), data).status_code == 302
    assert Response.objects.get().mode == Mode.PEER_PHONE


def test_out_of_range_in_the_form_is_a_norwegian_error_and_nothing_is_saved(client, personas):
    client.force_login(personas.participant_user)
    data = _post(all_items("barc10", 4) | {"b02": 9})
    with translation.override("nb"):
        response = client.post(_answer_url(personas.participant), data, HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 400
    assert "Svaret på spørsmål 2 må være mellom 1 og 6." in response.content.decode()
    assert not Response.objects.exists()


def test_a_half_answered_form_is_saved_as_incomplete(client, personas):
    client.force_login(personas.participant_user)
    data = _post({"b01": 4, "b02": 5})
    response = client.post(_answer_url(personas.participant), data, follow=True)
    assert "Lagret som ufullstendig: 2 av 10" in response.content.decode()
    stored = Response.objects.get()
    assert not stored.complete and stored.total is None


def test_an_unknown_questionnaire_is_a_404(client, personas):
    client.force_login(personas.participant_user)
    assert client.get(_answer_url(personas.participant, "nope")).status_code == 404
    assert client.get(f"/sporreskjema/{personas.participant.pk}/svar/").status_code == 404


def test_her_change_is_shown_in_words_and_as_a_chart_on_the_participant_page(client, personas):
    with time_machine.travel(timezone.now() - dt.timedelta(days=90), tick=False):
        answer(
            personas.participant_user,
            personas.participant,
            "barc10",
            all_items("barc10", 3) | {"b01": 1},
        )
    answer(personas.participant_user, personas.participant, "barc10", 4)
    client.force_login(personas.coordinator)
    page = client.get(f"/deltakere/{personas.participant.pk}/").content.decode()
    assert "BARC-10 steg fra 28 til 40" in page
    assert 'role="img"' in page and "<table" in page


def test_the_coordinator_sets_the_schedule_and_a_peer_cannot(client, personas):
    client.force_login(personas.coordinator)
    assert client.get("/sporreskjema/tidsplan/").status_code == 200
    data = {"programme": personas.programme_a.pk, "instrument": "barc10", "points": ["m6"]}
    assert client.post("/sporreskjema/tidsplan/lagre/", data).status_code == 302
    assert Schedule.objects.get(programme=personas.programme_a).points == ["m6"]
    other = {**data, "programme": personas.programme_b.pk}
    client.post("/sporreskjema/tidsplan/lagre/", other)
    assert not Schedule.objects.filter(programme=personas.programme_b).exists()
    client.force_login(personas.peer_user)
    assert client.get("/sporreskjema/tidsplan/").status_code == 404
    assert client.post("/sporreskjema/tidsplan/lagre/", data).status_code == 404


def test_outcome_change_counts_those_with_two_measurements(personas):
    first_day = dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)
    with time_machine.travel(first_day, tick=False):
        answer(personas.participant_user, personas.participant, "barc10", 3)  # 30
        answer(personas.peer_user, personas.participant, "trust", 3, mode=Mode.PEER_PHONE)
    with time_machine.travel(first_day + dt.timedelta(days=90), tick=False):
        answer(personas.participant_user, personas.participant, "barc10", 4)  # 40
        answer(personas.peer_user, personas.participant, "trust", 5, mode=Mode.PEER_PHONE)
        # Incomplete: never counted.
        answer(personas.participant_user, personas.participant, "barc10", {"b01": 6})
    rows = outcome_change(
        programme=personas.programme_a, start=dt.date(2026, 5, 1), end=dt.date(2026, 6, 30)
    )
    by = {(r.instrument_code, r.subscale): r for r in rows}
    assert (
        by[("barc10", "")].n,
        by[("barc10", "")].mean_first,
        by[("barc10", "")].mean_latest,
    ) == (
        1,
        30,
        40,
    )
    assert by[("barc10", "")].mean_change == 10
    assert by[("trust", "integrity")].mean_change == 6
    assert set(by) == {
        ("barc10", ""),
        ("trust", ""),
        ("trust", "ability"),
        ("trust", "benevolence"),
        ("trust", "integrity"),
    }
    # Latest measurement outside the period: not counted.
    assert (
        outcome_change(
            programme=personas.programme_a, start=dt.date(2026, 7, 1), end=dt.date(2026, 7, 31)
        )
        == []
    )
    assert (
        outcome_change(
            programme=personas.programme_b, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
        )
        == []
    )
    scores = scores_by_participant(
        participant_ids=[personas.participant.pk, personas.participant_b.pk],
        instrument_code="barc10",
    )
    assert [s.total for s in scores[personas.participant.pk]] == [30, 40]
    assert personas.participant_b.pk not in scores
