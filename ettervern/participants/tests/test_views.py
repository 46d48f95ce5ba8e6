import pytest
from django.utils import timezone

from conftest import make_participant
from ettervern.audit.models import AuditEvent
from ettervern.participants import services
from ettervern.participants.models import Participant, Referral
from ettervern.web.tests.home import home_page


def detail(p):
    return f"/deltakere/{p.pk}/"


REFERRAL = {
    "name": "Nina Ny",
    "birth_year": "1990",
    "phone": "",
    "source": "prison",
    "referrer_organisation": "Bergen fengsel",
    "referrer_phone": "55 55 55 55",
    "transition": "release",
    "transition_date": "",
    "housing_stage": "prison",
    "wants_help_with": "Bolig etter løslatelse",
}


def test_coordinator_registers_a_referral(client, personas):
    client.force_login(personas.coordinator)
    data = {**REFERRAL, "transition_date": timezone.localdate().isoformat()}
    response = client.post("/deltakere/henvisninger/ny/", data)
    participant = Participant.objects.get(name="Nina Ny")
    assert response.status_code == 302 and response["Location"] == detail(participant)
    assert participant.status == "referred" and participant.housing_stage == "prison"


def test_referral_with_bad_input_gets_norwegian_messages_and_writes_nothing(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(
        "/deltakere/henvisninger/ny/", {**REFERRAL, "birth_year": "3000", "phone": "12ab"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Skriv et fødselsår mellom" in body
    assert "Oppgi både overgangen og datoen" in body
    assert not Participant.objects.filter(name="Nina Ny").exists()


def test_referrer_submits_and_sees_status_only_with_consent(client, personas):
    client.force_login(personas.referrer)
    data = {**REFERRAL, "source": "nav", "transition": "", "housing_stage": ""}
    response = client.post("/deltakere/henvisninger/send/", data)
    assert response.status_code == 302
    referral = Referral.objects.get(participant__name="Nina Ny")
    assert referral.submitted_by == personas.referrer
    body = client.get("/deltakere/henvisninger/").content.decode()
    assert "Nina Ny" in body and "Henvist" not in body and "ikke delt" in body
    participant = referral.participant
    services.consent_give(
        actor=personas.coordinator,
        participant=participant,
        purpose="share_referrer",
        method="written",
        text_version="2026-1",
    )
    body = client.get("/deltakere/henvisninger/").content.decode()
    assert "Henvist" in body
    # Still no access to the record itself.
    assert client.get(detail(participant)).status_code == 404


def test_referrer_sees_only_own_referrals(client, personas):
    from conftest import make_user, member

    other = make_user("henviser2@a.test", "Annen Henviser")
    member(other, personas.programme_a, "referrer")
    services.referral_create(
        actor=other,
        programme=personas.programme_a,
        name="Hemmelig Person",
        source="nav",
        wants_help_with="x",
    )
    client.force_login(personas.referrer)
    assert "Hemmelig Person" not in home_page(client).content.decode()
    assert "Hemmelig Person" not in client.get("/deltakere/henvisninger/").content.decode()


@pytest.mark.parametrize("persona", ["peer_user", "participant_user", "employer", "researcher"])
def test_roles_that_may_not_use_referral_pages_get_404(client, personas, persona):
    client.force_login(personas.user(persona))
    for url in ("/deltakere/henvisninger/", "/deltakere/henvisninger/ny/"):
        assert client.get(url).status_code == 404
    assert client.get("/deltakere/venteliste/").status_code == 404


def test_wrong_methods_are_refused(client, personas):
    client.force_login(personas.coordinator)
    assert client.get(f"/deltakere/{personas.waiting.pk}/status/").status_code == 405
    assert client.post(detail(personas.waiting)).status_code == 405
    assert client.get(f"/deltakere/{personas.waiting.pk}/gjenoppta/").status_code == 405
    assert client.post("/deltakere/venteliste/").status_code == 405


def test_coordinator_of_other_organisation_gets_404_and_it_is_audited(client, personas):
    client.force_login(personas.coordinator_b)
    for url in ("status/", "samtykke/", "kobling/", "avslutt/", "mal/"):
        response = client.post(f"/deltakere/{personas.waiting.pk}/{url}", {"to": "intake"})
        assert response.status_code == 404
    assert AuditEvent.objects.filter(actor=personas.coordinator_b, action="denied").count() == 5
    personas.waiting.refresh_from_db()
    assert personas.waiting.status == "waiting"


def test_peer_may_not_change_status_or_match(client, personas):
    client.force_login(personas.peer_user)
    response = client.post(f"/deltakere/{personas.participant.pk}/pause/", {"reason": "relapse"})
    assert response.status_code == 404
    personas.participant.refresh_from_db()
    assert personas.participant.status == "matched"


def test_status_change_through_the_page(client, personas):
    participant = services.referral_create(
        actor=personas.coordinator,
        programme=personas.programme_a,
        name="Nina Ny",
        source="nav",
        wants_help_with="x",
    ).participant
    client.force_login(personas.coordinator)
    client.post(f"/deltakere/{participant.pk}/status/", {"to": "waiting"}, follow=True)
    participant.refresh_from_db()
    assert participant.status == "referred"
    response = client.post(f"/deltakere/{participant.pk}/status/", {"to": "intake"}, follow=True)
    participant.refresh_from_db()
    assert participant.status == "intake"
    assert "Henvist → Inntak" in response.content.decode()  # the timeline


def test_manual_match_from_the_waiting_list(client, personas):
    client.force_login(personas.coordinator)
    page = client.get("/deltakere/venteliste/").content.decode()
    assert "Vera Venter" in page
    response = client.post(
        f"/deltakere/{personas.waiting.pk}/kobling/", {"peer": personas.other_peer.pk}
    )
    assert response.status_code == 302
    personas.waiting.refresh_from_db()
    assert personas.waiting.status == "matched"
    client.force_login(personas.other_peer_user)
    assert "Vera Venter" in home_page(client).content.decode()


def test_pause_resume_and_end_through_the_pages(client, personas):
    client.force_login(personas.coordinator)
    url = f"/deltakere/{personas.participant.pk}/"
    assert client.post(url + "pause/", {"reason": "relapse"}).status_code == 302
    assert client.post(url + "gjenoppta/").status_code == 302
    response = client.post(url + "avslutt/", {"end_reason": "", "summary": "x"})
    assert response.status_code == 200 and "Feltet er påkrevet" in response.content.decode()
    response = client.post(
        url + "avslutt/",
        {"end_reason": "goals_reached", "summary": "Bor i egen leilighet", "can_come_back": "on"},
    )
    assert response.status_code == 302
    personas.participant.refresh_from_db()
    assert personas.participant.status == "ended"
    statuses = list(personas.participant.status_changes.values_list("to_status", flat=True))
    assert statuses[-3:] == ["paused", "matched", "ended"]


def test_consent_page_gives_and_withdraws(client, personas):
    client.force_login(personas.coordinator)
    url = f"/deltakere/{personas.waiting.pk}/samtykke/"
    future = {
        "purpose": "research",
        "method": "oral",
        "given_on": "2099-01-01",
        "text_version": "2026-1",
    }
    response = client.post(url, future)
    assert response.status_code == 200 and "fremtiden" in response.content.decode()
    assert (
        client.post(url, {**future, "given_on": timezone.localdate().isoformat()}).status_code
        == 302
    )
    assert personas.waiting.consents.filter(purpose="research", withdrawn_at=None).exists()
    client.post(url + "trekk/", {"purpose": "research"})
    assert not personas.waiting.consents.filter(purpose="research", withdrawn_at=None).exists()


def test_peer_adds_goal_and_progress_but_participant_login_cannot(client, personas):
    client.force_login(personas.peer_user)
    url = f"/deltakere/{personas.participant.pk}/mal/"
    assert (
        client.post(url, {"life_area": "housing", "description": "Egen bolig"}).status_code == 302
    )
    goal = personas.participant.goals.get()
    response = client.post(f"{url}{goal.pk}/", {"status": "reached", "note": "Nøkler i dag"})
    assert response.status_code == 302
    client.force_login(personas.participant_user)
    assert client.post(url, {"life_area": "health", "description": "x"}).status_code == 404
    assert client.get(f"{url}{goal.pk}/").status_code == 404
    body = client.get(detail(personas.participant)).content.decode()
    assert "Egen bolig" in body and "Nøkler i dag" not in body


def test_duplicate_is_flagged_to_coordinator_only(client, personas):
    make_participant(personas.programme_a, "Dag Deltaker", phone="")
    client.force_login(personas.coordinator)
    assert "Mulig duplikat" in client.get(detail(personas.participant)).content.decode()
    client.force_login(personas.peer_user)
    assert "Mulig duplikat" not in client.get(detail(personas.participant)).content.decode()


def test_wish_form_accepts_list_choice_or_age_range(client, personas):
    client.force_login(personas.coordinator)
    url = f"/deltakere/{personas.waiting.pk}/onsker/"
    assert client.post(url, {"wish": "gender:female", "must": "on"}).status_code == 302
    assert client.post(url, {"age_from": "30", "age_to": "50"}).status_code == 302
    response = client.post(url, {"age_from": "60", "age_to": "30"})
    assert response.status_code == 200
    values = sorted(personas.waiting.wishes.values_list("kind", "value", "must"))
    assert values == [("age_range", "30-50", False), ("gender", "female", True)]


@pytest.mark.parametrize("url", ["/deltakere/venteliste/", "/deltakere/henvisninger/"])
def test_list_pages_have_a_fixed_query_count(client, personas, django_assert_max_num_queries, url):
    client.force_login(personas.coordinator)
    client.get(url)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    for i in range(15):
        services.referral_create(
            actor=personas.coordinator,
            programme=personas.programme_a,
            name=f"Ekstra {i}",
            source="nav",
            wants_help_with="x",
        )
        make_participant(personas.programme_a, f"Venter {i}")
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert "Ekstra 14" in response.content.decode() or "Venter 14" in response.content.decode()


def test_ended_follow_up_shows_reason_summary_and_next_steps(client, personas):
    client.force_login(personas.coordinator)
    url = detail(personas.participant)
    client.post(url + "pause/", {"reason": "prison"})
    client.post(
        url + "avslutt/",
        {"end_reason": "moved", "summary": "Flyttet til Oslo", "next_steps": "NAV Oslo"},
    )
    body = client.get(url).content.decode()
    assert "Flyttet til Oslo" in body and "NAV Oslo" in body and "Flyttet" in body
    assert "Oppfølgingen satt på pause (Soning)" in body


def test_coordinator_of_two_programmes_chooses_where_a_referral_goes(client, personas):
    from conftest import make_org, member

    _, other = make_org("org-c", "Organisasjon C", "Annet tiltak")
    member(personas.coordinator, other, "coordinator")
    client.force_login(personas.coordinator)
    data = {**REFERRAL, "transition": "", "programme": str(other.pk)}
    assert client.post("/deltakere/henvisninger/ny/", data).status_code == 302
    assert Participant.objects.get(name="Nina Ny").programme == other


def test_details_form_saves_situation_and_interests(client, personas):
    client.force_login(personas.peer_user)
    url = f"/deltakere/{personas.participant.pk}/kontaktinfo/"
    assert client.get(url).status_code == 200
    data = {
        "phone": "91234567",
        "email": "",
        "address": "",
        "area": "",
        "housing_stage": "pilot_flat",
        "transition": "release",
        "transition_date": "",
        "interests": "Fiske,  fotball, ,fiske",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "Oppgi både overgangen" in response.content.decode()
    data["transition_date"] = timezone.localdate().isoformat()
    assert client.post(url, data).status_code == 302
    personas.participant.refresh_from_db()
    assert personas.participant.interests == ["fiske", "fotball"]
    assert personas.participant.housing_stage == "pilot_flat"
    event = AuditEvent.objects.get(data__event="details_changed")
    assert "fiske" not in str(event.data)
