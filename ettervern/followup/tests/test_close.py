"""Closing a planned contact: held, cancelled or no-show, by its peer worker or the coordinator."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from ettervern.audit.models import AuditEvent
from ettervern.followup.selectors import time_budget
from ettervern.followup.services import contact_close, contact_log
from ettervern.matching.models import Match
from ettervern.matching.services import match_end
from ettervern.participants.selectors import timeline
from ettervern.web.tests.home import home_page


def plan(personas, *, hours_from_now=-2, match=None, actor=None, **fields):
    contact, _ = contact_log(
        actor=actor or personas.peer_user,
        match=match or personas.match,
        kind="phone",
        outcome="planned",
        occurred_at=timezone.now() + dt.timedelta(hours=hours_from_now),
        duration_minutes=30,
        **fields,
    )
    return contact


def close_url(contact):
    return f"/oppfolging/kontakt/{contact.pk}/avslutt/"


def closed_events():
    return AuditEvent.objects.filter(data__event="contact_closed")


# --- service ---------------------------------------------------------------------------------


def test_closing_as_held_adjusts_duration_and_note_and_audits_without_the_note(personas):
    contact = plan(personas, note="Avtalt kaffe")
    closed, changed = contact_close(
        actor=personas.peer_user,
        contact=contact,
        outcome="held",
        duration_minutes=90,
        note_addition="Hemmelig tillegg",
    )
    assert changed
    contact.refresh_from_db()
    assert (contact.outcome, contact.duration_minutes) == ("held", 90)
    assert contact.note == "Avtalt kaffe\n\nHemmelig tillegg"
    event = closed_events().get()
    assert event.actor == personas.peer_user and event.participant_id == personas.participant.pk
    assert event.data["outcome"] == "held" and event.data["minutes"] == 90
    assert "Hemmelig" not in str(event.data) + event.summary


# Monday 1 March 2027, 00:30 in Oslo, is still Sunday in UTC: weeks and months are Oslo's.
OSLO_MONDAY_0030 = dt.datetime(2027, 2, 28, 23, 30, tzinfo=dt.UTC)
OSLO_WEDNESDAY_NOON = dt.datetime(2027, 3, 3, 11, 0, tzinfo=dt.UTC)


@pytest.fixture
def personas_at(request, db):
    """The personas, built and used with the clock stopped at ``request.param``."""
    with time_machine.travel(request.param, tick=False):
        yield request.getfixturevalue("personas")


def counts(budget):
    return (budget.held, budget.planned, budget.logged_minutes)


@pytest.mark.parametrize(
    "personas_at", [OSLO_WEDNESDAY_NOON, OSLO_MONDAY_0030], ids=["midweek", "monday"], indirect=True
)
def test_closing_as_held_makes_the_contact_count_in_the_time_budget(personas_at):
    personas = personas_at
    contact = plan(personas, hours_from_now=-0.25)  # this week in Oslo on either instant
    assert counts(time_budget(personas.peer).weeks[0]) == (0, 1, 0)
    contact_close(actor=personas.peer_user, contact=contact, outcome="held", duration_minutes=45)
    budget = time_budget(personas.peer)
    assert counts(budget.weeks[0]) == (1, 0, 45)
    assert counts(budget.months[0]) == (1, 0, 45)


@pytest.mark.parametrize("personas_at", [OSLO_MONDAY_0030], indirect=True)
def test_a_contact_held_late_on_sunday_counts_in_that_week_not_the_next(personas_at):
    """At 00:30 on a Monday in Oslo, a contact two hours earlier belongs to the week (and here
    the month) that just ended. This test once assumed "two hours ago" was always this week."""
    personas = personas_at
    contact = plan(personas, hours_from_now=-2)  # Sunday 28 February, 22:30 in Oslo
    contact_close(actor=personas.peer_user, contact=contact, outcome="held", duration_minutes=45)
    budget = time_budget(personas.peer)
    assert [w.period.start for w in budget.weeks[:2]] == [dt.date(2027, 3, 1), dt.date(2027, 2, 22)]
    assert (counts(budget.weeks[0]), counts(budget.weeks[1])) == ((0, 0, 0), (1, 0, 45))
    assert (counts(budget.months[0]), counts(budget.months[1])) == ((0, 0, 0), (1, 0, 45))


def test_closing_twice_the_same_way_is_harmless(personas):
    contact = plan(personas)
    contact_close(actor=personas.peer_user, contact=contact, outcome="no_show")
    again, changed = contact_close(actor=personas.peer_user, contact=contact, outcome="no_show")
    assert not changed and again.outcome == "no_show"
    assert closed_events().count() == 1


@pytest.mark.parametrize("outcome", ["held", "no_show"])
def test_a_contact_whose_time_has_not_come_can_only_be_cancelled(personas, outcome):
    contact = plan(personas, hours_from_now=24)
    with pytest.raises(ValidationError):
        contact_close(actor=personas.peer_user, contact=contact, outcome=outcome)
    contact.refresh_from_db()
    assert contact.outcome == "planned"
    contact_close(actor=personas.peer_user, contact=contact, outcome="cancelled")
    contact.refresh_from_db()
    assert contact.outcome == "cancelled"


def test_only_planned_contacts_can_be_closed(personas):
    held, _ = contact_log(actor=personas.peer_user, match=personas.match, kind="phone")
    with pytest.raises(ValidationError):
        contact_close(actor=personas.peer_user, contact=held, outcome="cancelled")
    contact = plan(personas)
    contact_close(actor=personas.peer_user, contact=contact, outcome="cancelled")
    with pytest.raises(ValidationError):  # closed once: not again another way
        contact_close(actor=personas.peer_user, contact=contact, outcome="held")
    with pytest.raises(ValidationError):
        contact_close(actor=personas.peer_user, contact=plan(personas), outcome="planned")
    assert closed_events().count() == 1


@pytest.mark.parametrize("minutes", [0, 24 * 60 + 1])
def test_closing_keeps_the_duration_within_a_day(personas, minutes):
    contact = plan(personas)
    with pytest.raises(ValidationError):
        contact_close(
            actor=personas.peer_user, contact=contact, outcome="held", duration_minutes=minutes
        )
    contact.refresh_from_db()
    assert (contact.outcome, contact.duration_minutes) == ("planned", 30)


@pytest.mark.parametrize("persona", ["other_peer_user", "participant_user", "coordinator_b"])
def test_only_the_peer_worker_or_coordinator_may_close(personas, persona):
    contact = plan(personas)
    with pytest.raises(ValidationError):
        contact_close(actor=personas.user(persona), contact=contact, outcome="held")
    contact_close(actor=personas.coordinator, contact=contact, outcome="held")
    assert closed_events().get().actor == personas.coordinator


def test_ended_match_may_be_closed_within_the_grace_period_only(personas):
    first, second = plan(personas), plan(personas, hours_from_now=-3)
    match_end(actor=personas.coordinator, match=personas.match, end_reason="moved")
    contact_close(actor=personas.peer_user, contact=first, outcome="held")
    Match.objects.filter(pk=personas.match.pk).update(
        ended_on=timezone.localdate() - dt.timedelta(days=15)
    )
    with pytest.raises(ValidationError) as exc:
        contact_close(actor=personas.coordinator, contact=second, outcome="held")
    assert "for lenge siden" in exc.value.messages[0]
    second.refresh_from_db()
    assert second.outcome == "planned"


def test_timeline_shows_the_closed_contact(personas):
    contact = plan(personas)
    contact_close(actor=personas.peer_user, contact=contact, outcome="no_show")
    texts = [row["text"] for row in timeline(personas.participant)]
    assert texts[0].startswith("Planlagt kontakt ") and texts[0].endswith("nå møtte ikke")


# --- views -----------------------------------------------------------------------------------


def test_peer_closes_from_the_participant_page(client, personas):
    contact = plan(personas)
    client.force_login(personas.peer_user)
    page = client.get(f"/deltakere/{personas.participant.pk}/").content.decode()
    assert close_url(contact) in page and 'value="held"' in page
    data = {"outcome": "held", "back": "participant"}
    response = client.post(close_url(contact), data)
    assert response.status_code == 302
    assert response["Location"] == f"/deltakere/{personas.participant.pk}/"
    assert client.post(close_url(contact), data).status_code == 302  # double submit
    contact.refresh_from_db()
    assert contact.outcome == "held" and closed_events().count() == 1


def test_peer_home_lists_planned_contacts_and_closes_them_there(client, personas):
    past, future = plan(personas), plan(personas, hours_from_now=48)
    other = plan(personas, match=personas.match_b, actor=personas.peer_b_user)
    client.force_login(personas.peer_user)
    body = home_page(client).content.decode()
    assert "Planlagte kontakter" in body
    assert close_url(past) in body and close_url(future) in body and close_url(other) not in body
    # The future contact only offers "cancelled".
    future_item = body.split(close_url(future))[1].split("</form>")[0]
    assert 'value="held"' not in future_item and 'value="cancelled"' in future_item
    response = client.post(close_url(past), {"outcome": "cancelled", "back": "home"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert close_url(past) not in home_page(client).content.decode()


def test_close_page_with_more_details(client, personas):
    contact = plan(personas)
    client.force_login(personas.coordinator)
    form = client.get(close_url(contact)).content.decode()
    assert 'name="note_addition"' in form and 'value="30"' in form
    data = {"outcome": "held", "duration_minutes": "75", "note_addition": "Gikk fint"}
    assert client.post(close_url(contact), data).status_code == 302
    contact.refresh_from_db()
    assert (contact.duration_minutes, contact.note) == (75, "Gikk fint")


@pytest.mark.parametrize(
    ("hours", "data", "message"),
    [
        (-2, {"outcome": "held", "duration_minutes": "1500"}, "mer enn 24 timer"),
        (-2, {}, "Velg hvordan det gikk"),
        (24, {"outcome": "held"}, "kan foreløpig bare avlyses"),
    ],
)
def test_bad_close_input_gets_a_norwegian_message(client, personas, hours, data, message):
    contact = plan(personas, hours_from_now=hours)
    client.force_login(personas.peer_user)
    response = client.post(close_url(contact), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    contact.refresh_from_db()
    assert contact.outcome == "planned"


def test_closing_after_the_grace_period_is_a_clear_message_or_gone(client, personas):
    contact = plan(personas)
    match_end(actor=personas.coordinator, match=personas.match, end_reason="moved")
    Match.objects.filter(pk=personas.match.pk).update(
        ended_on=timezone.localdate() - dt.timedelta(days=15)
    )
    client.force_login(personas.coordinator)
    response = client.post(close_url(contact), {"outcome": "held"})
    assert response.status_code == 400
    assert "avsluttet for lenge siden" in response.content.decode()
    client.force_login(personas.peer_user)  # no longer reads the participant at all
    assert client.post(close_url(contact), {"outcome": "held"}).status_code == 404


@pytest.mark.parametrize(
    "persona", ["other_peer_user", "participant_user", "coordinator_b", "peer_b_user"]
)
def test_others_cannot_close_a_contact(client, personas, persona):
    contact = plan(personas)
    client.force_login(personas.user(persona))
    assert client.get(close_url(contact)).status_code == 404
    assert client.post(close_url(contact), {"outcome": "held"}).status_code == 404
    contact.refresh_from_db()
    assert contact.outcome == "planned"


def test_wrong_method_on_close(client, personas):
    client.force_login(personas.peer_user)
    assert client.put(close_url(plan(personas))).status_code == 405
