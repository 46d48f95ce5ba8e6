"""Defects found in review: each of these tests failed before its fix."""

import datetime as dt
import uuid
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import make_participant, member
from ettervern.accounts.models import Programme, Role
from ettervern.audit.models import AuditEvent
from ettervern.matching.access import current_match_of
from ettervern.matching.models import Match
from ettervern.participants import services
from ettervern.participants.models import (
    Consent,
    Goal,
    GoalNote,
    OtherService,
    Participant,
    PeerWish,
    Referral,
)
from ettervern.participants.selectors import duplicate_ids, possible_duplicates
from ettervern.participants.tests.test_views import REFERRAL


def detail(p):
    return f"/deltakere/{p.pk}/"


# --- duplicates stay inside what the coordinator may see ------------------------------------


def _second_programme(personas):
    """A second programme of organisation A with its own coordinator."""
    from conftest import make_user

    other = Programme.objects.create(organisation=personas.org_a, name="Ut i jobb A", slug="a2")
    boss = make_user("koordinator2@a.test", "Kåre Koordinator")
    member(boss, other, Role.COORDINATOR)
    return other, boss


def test_duplicates_never_show_participants_of_a_programme_the_coordinator_does_not_run(
    client, personas
):
    other, boss = _second_programme(personas)
    hidden = make_participant(other, "Hemmelig Person", birth_year=1970, phone="40000000")
    mine = make_participant(personas.programme_a, "Hemmelig Person", birth_year=1970)
    assert possible_duplicates(mine, user=personas.coordinator) == []
    assert duplicate_ids([mine], user=personas.coordinator) == set()
    client.force_login(personas.coordinator)
    assert "Mulig duplikat" not in client.get(detail(mine)).content.decode()
    # The coordinator of both programmes still sees them flagged.
    member(personas.coordinator, other, Role.COORDINATOR)
    personas.coordinator._ettervern_memberships = None
    assert possible_duplicates(mine, user=personas.coordinator) == [hidden]
    assert duplicate_ids([mine], user=personas.coordinator) == {mine.pk}
    assert boss  # the other programme's own coordinator exists


# --- state machine: back to the waiting list ---------------------------------------------------


@pytest.mark.parametrize("paused", [False, True])
def test_back_to_waiting_list_ends_the_current_match(personas, paused):
    if paused:
        from ettervern.matching.services import match_pause

        match_pause(actor=personas.coordinator, match=personas.match, reason="relapse")
    from ettervern.matching.services import follow_up_set_status

    follow_up_set_status(actor=personas.coordinator, participant=personas.participant, to="waiting")
    personas.participant.refresh_from_db()
    personas.match.refresh_from_db()
    assert personas.participant.status == "waiting"
    assert personas.match.status == Match.Status.ENDED and personas.match.ended_on
    assert current_match_of(personas.participant) is None
    assert AuditEvent.objects.filter(
        object_type="matching.match", data__event="match_ended"
    ).exists()
    # The peer no longer writes for the participant; a new peer can be matched.
    from ettervern.matching.services import match_create

    match_create(actor=personas.coordinator, participant=personas.participant, peer=personas.peer)


# --- consent: two identical submissions at once ----------------------------------------------


def test_consent_given_twice_at_the_same_moment_is_a_clear_refusal_not_a_500(personas):
    # The second request passed the "already given?" check before the first one committed.
    race = mock.patch.object(services, "_has_consent", return_value=False)
    with race, pytest.raises(ValidationError, match="allerede gitt"):
        services.consent_give(
            actor=personas.coordinator,
            participant=personas.participant,
            purpose=Consent.Purpose.FOLLOW_UP,
            method="written",
            text_version="2026-1",
        )
    assert Consent.objects.filter(participant=personas.participant).count() == 1


# --- double-submitted forms ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "url"),
    [("coordinator", "/deltakere/henvisninger/ny/"), ("referrer", "/deltakere/henvisninger/send/")],
)
def test_double_submitted_referral_registers_one_person(client, personas, persona, url):
    client.force_login(personas.user(persona))
    form = client.get(url).content.decode()
    assert 'name="submission_key"' in form
    data = {**REFERRAL, "source": "nav", "transition": "", "submission_key": str(uuid.uuid4())}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Participant.objects.filter(name="Nina Ny").count() == 1
    assert Referral.objects.count() == 1
    assert AuditEvent.objects.filter(data__event="referral_received").count() == 1


def test_double_submitted_goal_wish_and_service_are_stored_once(client, personas):
    client.force_login(personas.peer_user)
    url = detail(personas.participant)
    for _ in range(2):
        client.post(url + "mal/", {"life_area": "housing", "description": "Egen leilighet"})
        client.post(url + "tjenester/", {"kind": "gp", "contact": "Dr. Lege"})
    # Wishes are the coordinator's to change (a matched peer only reads them).
    client.force_login(personas.coordinator)
    for _ in range(2):
        client.post(url + "onsker/", {"wish": "gender:female", "must": "on"})
    client.force_login(personas.peer_user)
    assert Goal.objects.filter(participant=personas.participant).count() == 1
    assert PeerWish.objects.filter(participant=personas.participant).count() == 1
    assert OtherService.objects.filter(participant=personas.participant).count() == 1
    goal = Goal.objects.get(participant=personas.participant)
    for _ in range(2):
        client.post(url + f"mal/{goal.pk}/", {"status": "active", "note": "Har søkt bolig"})
    assert GoalNote.objects.filter(goal=goal).count() == 1
    assert AuditEvent.objects.filter(data__event="goal_progress").count() == 1


# --- bad input --------------------------------------------------------------------------------


def test_details_form_refuses_a_transition_date_far_from_today(client, personas):
    client.force_login(personas.coordinator)
    far = (timezone.localdate() + dt.timedelta(days=20 * 365)).isoformat()
    response = client.post(
        detail(personas.participant) + "kontaktinfo/",
        {"transition": "release", "transition_date": far, "phone": "", "email": ""},
    )
    assert response.status_code == 200
    assert "Datoen er for langt fra i dag" in response.content.decode()
    personas.participant.refresh_from_db()
    assert personas.participant.transition_date is None


def test_same_wish_with_other_must_gets_a_clear_message_not_a_second_row(client, personas):
    client.force_login(personas.coordinator)
    url = detail(personas.participant) + "onsker/"
    client.post(url, {"wish": "gender:female", "must": "on"})
    response = client.post(url, {"wish": "gender:female"})
    assert response.status_code == 200
    assert "Dette ønsket er allerede registrert" in response.content.decode()
    assert PeerWish.objects.filter(participant=personas.participant).count() == 1
