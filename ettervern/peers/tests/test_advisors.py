"""Advisors without lived experience (the "Ut i jobb" model), and a candidate's basics carried
into the peer profile at admission."""

import datetime as dt
from html import unescape

import pytest
from django.urls import reverse

from ettervern.accounts.models import Membership, Programme, Role
from ettervern.audit.models import AuditEvent
from ettervern.matching import engine
from ettervern.matching.services import match_create
from ettervern.peers import services
from ettervern.peers.models import Candidate, Course, PeerWorker
from ettervern.peers.tests.conftest import attended

pytestmark = pytest.mark.django_db


def _register_advisor(client, personas, email="veileder@a.test") -> PeerWorker:
    client.force_login(personas.coordinator)
    response = client.post(
        reverse("peers:advisor_new"),
        {
            "programme": personas.programme_a.pk,
            "name": "Vilde Veileder",
            "email": email,
            "gender": "female",
            "birth_year": "1975",
            "max_participants": "3",
        },
    )
    assert response.status_code == 302, response.content.decode()
    return PeerWorker.objects.get(user__email=email)


def test_coordinator_registers_an_advisor_straight_into_the_resource_base(
    client, personas, mailoutbox
):
    advisor = _register_advisor(client, personas)
    [invitation] = mailoutbox  # the new login is invited to choose a password
    assert invitation.to == [advisor.user.email] and "/invitasjon/" in invitation.body
    assert advisor.kind == PeerWorker.Kind.ADVISOR
    assert advisor.resource_status == PeerWorker.ResourceStatus.ACTIVE
    assert advisor.course_completed_on is None
    assert (advisor.gender, advisor.birth_year, advisor.max_participants) == ("female", 1975, 3)
    assert Membership.objects.filter(user=advisor.user, role=Role.PEER_WORKER).exists()
    row = AuditEvent.objects.get(data__event="advisor_registered")
    assert row.data == {"event": "advisor_registered", "user_id": advisor.user_id}


def test_advisor_is_suggested_and_matched_without_the_peer_course(client, personas):
    advisor = _register_advisor(client, personas)
    names = [s.peer.pk for s in engine.suggestions_for(personas.waiting)]
    assert advisor.pk in names
    assert engine.eligibility_problems(personas.waiting, advisor) == []
    match = match_create(actor=personas.coordinator, participant=personas.waiting, peer=advisor)
    assert match.peer_id == advisor.pk


def test_a_peer_without_the_course_is_still_not_matched(personas):
    personas.other_peer.course_completed_on = None
    personas.other_peer.save(update_fields=["course_completed_on"])
    problems = engine.eligibility_problems(personas.waiting, personas.other_peer)
    assert "Har ikke fullført likepersonkurset" in problems


def test_advisor_pages_name_the_role_veileder(client, personas):
    advisor = _register_advisor(client, personas)
    personas.programme_a.kind = Programme.Kind.JOB
    personas.programme_a.save(update_fields=["kind"])
    client.force_login(advisor.user)
    page = unescape(client.get(reverse("peers:detail", kwargs={"peer_id": advisor.pk})).text)
    assert 'id="peer-role">Veileder<' in page
    budget = client.get(reverse("peers:time_budget", kwargs={"peer_id": advisor.pk})).text
    assert 'id="peer-role">Veileder<' in budget
    client.force_login(personas.coordinator)
    certificate = unescape(
        client.get(reverse("peers:certificate", kwargs={"peer_id": advisor.pk})).text
    )
    assert "har arbeidet som veileder" in certificate
    assert "En veileder følger opp mennesker på vei inn i arbeid" in certificate
    assert "En likeperson bruker sin egen erfaring" not in certificate
    peer_page = client.get(reverse("peers:certificate", kwargs={"peer_id": personas.peer.pk}))
    assert "har arbeidet som likeperson" in unescape(peer_page.text)


def test_peer_cannot_register_an_advisor(client, personas):
    client.force_login(personas.peer_user)
    response = client.post(
        reverse("peers:advisor_new"), {"name": "X", "email": "x@a.test", "max_participants": "2"}
    )
    assert response.status_code == 404
    assert not PeerWorker.objects.filter(user__email="x@a.test").exists()


def test_advisor_email_of_another_organisation_is_refused(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(
        reverse("peers:advisor_new"),
        {
            "programme": personas.programme_a.pk,
            "name": "Berit",
            "email": personas.peer_b_user.email,
            "max_participants": "2",
        },
    )
    assert response.status_code == 400
    assert not PeerWorker.objects.filter(
        user=personas.peer_b_user, programme=personas.programme_a
    ).exists()


def test_candidate_gender_and_birth_year_are_carried_into_the_profile(client, personas):
    client.force_login(personas.coordinator)
    course = Course.objects.create(
        organisation=personas.org_a,
        programme=personas.programme_a,
        name="Kurs vår",
        starts_on=dt.date(2026, 1, 5),
    )
    response = client.post(
        reverse("peers:candidates"),
        {
            "programme": personas.programme_a.pk,
            "name": "Kåre Kandidat",
            "heard_via": "nav",
            "gender": "male",
            "birth_year": "1979",
            "lived_experience": ["own_substance_use"],
            "course": course.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()
    candidate = Candidate.objects.get(name="Kåre Kandidat")
    assert (candidate.gender, candidate.birth_year) == ("male", 1979)
    attended(personas.coordinator, candidate, course.starts_on)
    services.candidate_complete_course(
        actor=personas.coordinator, candidate=candidate, completed_on=course.starts_on
    )
    peer = services.candidate_admit(
        actor=personas.coordinator, candidate=candidate, email="kare@a.test"
    )
    assert (peer.gender, peer.birth_year, peer.kind) == ("male", 1979, PeerWorker.Kind.PEER)
    assert peer.lived_experience == ["own_substance_use"]
