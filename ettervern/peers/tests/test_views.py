import datetime as dt

import pytest
from django.utils import timezone

from conftest import make_peer, make_user, member
from ettervern.accounts.models import Role
from ettervern.peers import services
from ettervern.peers.models import Candidate, CheckIn, GroupSupervision, PeerWorker, Supervision
from ettervern.peers.tests.conftest import attended
from ettervern.web.tests.home import home_page

TODAY = timezone.localdate


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def course(personas):
    return services.course_create(
        actor=personas.coordinator,
        programme=personas.programme_a,
        name="Vårkurset",
        starts_on=TODAY() - dt.timedelta(days=30),
        ends_on=None,
    )


def test_overview_shows_the_resource_base_with_hours(client, personas):
    client.force_login(personas.coordinator)
    response = client.get("/likepersoner/?sort=-capacity")
    assert response.status_code == 200
    text = body(response)
    assert text.index("Per Likeperson") < text.index("Olga Likeperson")
    assert "Berit Likeperson" not in text
    assert "Timer denne måneden" in text


def test_overview_filters_by_status(client, personas):
    PeerWorker.objects.filter(pk=personas.other_peer.pk).update(resource_status="paused")
    client.force_login(personas.coordinator)
    text = body(client.get("/likepersoner/?status=paused&sort=bogus"))
    assert "Olga Likeperson" in text and "Per Likeperson" not in text


def test_overview_search_ignores_a_nul_character(client, personas):
    # PostgreSQL refuses NUL in text: it must not turn a search into a server error.
    client.force_login(personas.coordinator)
    response = client.get("/likepersoner/", {"q": "Olga\x00"})
    assert response.status_code == 200
    assert "Olga Likeperson" in body(response) and "Per Likeperson" not in body(response)


@pytest.mark.parametrize("persona", ["peer_user", "participant_user", "admin", "researcher"])
def test_overview_is_for_coordinators_only(client, personas, persona):
    client.force_login(personas.user(persona))
    assert client.get("/likepersoner/").status_code == 404


def test_overview_query_count_does_not_grow(client, personas, django_assert_max_num_queries):
    client.force_login(personas.coordinator)
    client.get("/likepersoner/")
    # 9, and one per kind of signal for the badges (ettervern.followup.peer_signals.KINDS).
    with django_assert_max_num_queries(16):
        assert client.get("/likepersoner/").status_code == 200
    for i in range(15):
        peer = make_peer(make_user(f"mange{i}@a.test", f"Mange {i}"), personas.programme_a)
        services.checkin_submit(
            actor=peer.user, peer=peer, workload="right", boundaries=3, own_recovery=3
        )
    with django_assert_max_num_queries(16):
        assert "Mange 14" in body(client.get("/likepersoner/"))


def test_overview_refuses_post(client, personas):
    client.force_login(personas.coordinator)
    assert client.post("/likepersoner/").status_code == 405


def test_peer_sees_own_page_with_time_budget_and_profile(client, personas):
    client.force_login(personas.peer_user)
    text = body(client.get(f"/likepersoner/{personas.peer.pk}/"))
    assert "Timebudsjett" in text and "Vei inn i arbeidslivet" in text
    assert client.get(f"/likepersoner/{personas.peer.pk}/timer/").status_code == 200


def test_coordinator_of_other_organisation_gets_404(client, personas):
    client.force_login(personas.coordinator_b)
    for suffix in ("", "timer/", "veiledning/", "innsjekk/", "attest/", "profil/"):
        assert client.get(f"/likepersoner/{personas.peer.pk}/{suffix}").status_code == 404


def test_profile_edit_refuses_capacity_below_load_in_norwegian(client, personas):
    client.force_login(personas.peer_user)
    url = f"/likepersoner/{personas.peer.pk}/profil/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"max_participants": "0", "gender": "female"})
    assert response.status_code == 400
    assert "Kapasiteten kan ikke være lavere enn antallet deltakere som følges nå" in body(response)
    response = client.post(
        url, {"max_participants": "3", "gender": "male", "treatment_paths": ["lar"]}
    )
    assert response.status_code == 302
    personas.peer.refresh_from_db()
    assert (personas.peer.max_participants, personas.peer.treatment_paths) == (3, ["lar"])


def test_status_change_is_post_only_and_for_coordinators(client, personas):
    url = f"/likepersoner/{personas.other_peer.pk}/status/"
    client.force_login(personas.coordinator)
    assert client.get(url).status_code == 405
    assert client.post(url, {"status": "paused"}).status_code == 302
    personas.other_peer.refresh_from_db()
    assert personas.other_peer.resource_status == "paused"
    client.force_login(personas.other_peer_user)
    assert client.post(url, {"status": "active"}).status_code == 404


def test_coordinator_records_supervision_peer_reads_it(client, personas):
    url = f"/likepersoner/{personas.peer.pk}/veiledning/"
    client.force_login(personas.coordinator)
    response = client.post(
        url,
        {"held_on": TODAY().isoformat(), "topics": ["boundaries"], "notes": "Snakket om grenser"},
    )
    assert response.status_code == 302
    client.force_login(personas.peer_user)
    text = body(client.get(url))
    assert "Snakket om grenser" in text and "Grenser" in text
    assert client.post(url, {"held_on": TODAY().isoformat()}).status_code == 404


def test_supervision_in_the_future_is_refused(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(
        f"/likepersoner/{personas.peer.pk}/veiledning/",
        {"held_on": (TODAY() + dt.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400
    assert "etter at den er holdt" in body(response)
    assert not Supervision.objects.exists()


def test_peer_checks_in_coordinator_reads_cannot_check_in(client, personas):
    url = f"/likepersoner/{personas.peer.pk}/innsjekk/"
    client.force_login(personas.peer_user)
    response = client.post(
        url, {"workload": "too_much", "boundaries": "1", "own_recovery": "2", "text": "Tungt"}
    )
    assert response.status_code == 302
    client.force_login(personas.coordinator)
    assert "Tungt" in body(client.get(url))
    assert (
        client.post(url, {"workload": "right", "boundaries": "3", "own_recovery": "3"}).status_code
        == 404
    )
    assert CheckIn.objects.count() == 1


def test_checkin_with_missing_answers_is_a_form_error(client, personas):
    client.force_login(personas.peer_user)
    response = client.post(f"/likepersoner/{personas.peer.pk}/innsjekk/", {"workload": "x"})
    assert response.status_code == 400
    assert not CheckIn.objects.exists()


def test_one_tap_conversation_request_reaches_the_coordinator(client, personas):
    client.force_login(personas.peer_user)
    url = f"/likepersoner/{personas.peer.pk}/samtale/"
    assert client.get(url).status_code == 405
    assert client.post(url, {"next": "home"})["Location"] == "/"
    client.force_login(personas.coordinator)
    assert "ønsker en samtale" in body(home_page(client))
    client.post(url)
    assert "ønsker en samtale" not in body(home_page(client))


def test_certificate_prints_hours_and_course(client, personas, log_contact):
    log_contact(timezone.now() - dt.timedelta(days=2), 90)
    log_contact(timezone.now() - dt.timedelta(days=1), 60, "cancelled")
    client.force_login(personas.peer_user)
    text = body(client.get(f"/likepersoner/{personas.peer.pk}/attest/"))
    assert "Attest" in text and "Utkast" in text and "1,5" in text
    assert "peers/certificate.css" in text


def test_candidate_flow_through_views(client, personas, course):
    client.force_login(personas.coordinator)
    response = client.post(
        "/likepersoner/kandidater/",
        {
            "programme": personas.programme_a.pk,
            "name": "Nina Ny",
            "heard_via": "treatment",
            "lived_experience": ["relative"],
            "course": course.pk,
        },
    )
    candidate = Candidate.objects.get(name="Nina Ny")
    assert response["Location"] == f"/likepersoner/kandidater/{candidate.pk}/"
    response = client.post(
        f"/likepersoner/kandidater/{candidate.pk}/fullfort/",
        {"completed_on": (course.starts_on - dt.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400
    assert "Kurset kan ikke være fullført før det startet" in body(response)
    attended(personas.coordinator, candidate, TODAY() - dt.timedelta(days=1))
    client.post(
        f"/likepersoner/kandidater/{candidate.pk}/fullfort/", {"completed_on": TODAY().isoformat()}
    )
    response = client.post(
        f"/likepersoner/kandidater/{candidate.pk}/opptak/",
        {"email": "nina@ny.test", "max_participants": "2"},
    )
    peer = PeerWorker.objects.get(user__email="nina@ny.test")
    assert response["Location"] == f"/likepersoner/{peer.pk}/"


def test_candidate_pages_are_post_only_where_they_write(client, personas, course):
    client.force_login(personas.coordinator)
    candidate = services.candidate_create(
        actor=personas.coordinator,
        programme=personas.programme_a,
        name="Ole",
        heard_via="nav",
        lived_experience=[],
        course=course,
    )
    for action in ("kurs", "fullfort", "opptak", "trukket"):
        assert client.get(f"/likepersoner/kandidater/{candidate.pk}/{action}/").status_code == 405
    assert client.get(f"/likepersoner/kandidater/{candidate.pk}/").status_code == 200
    client.force_login(personas.coordinator_b)
    assert client.get(f"/likepersoner/kandidater/{candidate.pk}/").status_code == 404


def test_course_sessions_and_attendance(client, personas, course):
    candidate = services.candidate_create(
        actor=personas.coordinator,
        programme=personas.programme_a,
        name="Siv",
        heard_via="peer",
        lived_experience=[],
        course=course,
    )
    client.force_login(personas.coordinator)
    url = f"/likepersoner/kurs/{course.pk}/"
    bad = client.post(
        url + "samling/",
        {"held_on": TODAY().isoformat(), "starts_at": "18:00", "ends_at": "17:00", "topic": "x"},
    )
    assert bad.status_code == 400 and "Timene går ikke opp" in body(bad)
    client.post(
        url + "samling/",
        {
            "held_on": TODAY().isoformat(),
            "starts_at": "17:00",
            "ends_at": "20:00",
            "topic": "Grenser",
        },
    )
    session = course.sessions.get()
    client.post(url + "oppmote/", {"attended": [f"{session.pk}-{candidate.pk}"]})
    assert list(session.attendees.all()) == [candidate]
    assert "Grenser" in body(client.get(url))


def test_group_supervision_page_warns_until_one_is_planned(client, personas):
    client.force_login(personas.coordinator)
    text = body(client.get("/likepersoner/fellesveiledning/"))
    assert "Ingen fellesveiledning er holdt eller planlagt denne måneden" in text
    response = client.post(
        "/likepersoner/fellesveiledning/",
        {"programme": personas.programme_a.pk, "held_on": TODAY().isoformat(), "theme": "Grenser"},
    )
    session = GroupSupervision.objects.get()
    assert response["Location"] == f"/likepersoner/fellesveiledning/{session.pk}/"
    client.post(response["Location"], {"attendees": [personas.peer.pk]})
    assert list(session.attendees.all()) == [personas.peer]
    assert "Ingen fellesveiledning er holdt" not in body(home_page(client))


def test_group_supervision_for_other_programme_is_refused(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(
        "/likepersoner/fellesveiledning/",
        {"programme": personas.programme_b.pk, "held_on": TODAY().isoformat(), "theme": "x"},
    )
    assert response.status_code == 400
    assert not GroupSupervision.objects.exists()


def test_peer_home_shows_hours_and_checkin_prompt(client, personas):
    PeerWorker.objects.filter(pk=personas.peer.pk).update(
        created_at=timezone.now() - dt.timedelta(days=40)
    )
    client.force_login(personas.peer_user)
    text = body(home_page(client))
    assert "Mitt arbeid" in text and "Sjekk inn" in text


def test_peer_with_two_programmes_sees_one_nav_entry(client, personas):
    member(personas.peer_user, personas.programme_b, Role.PEER_WORKER)
    make_peer(personas.peer_user, personas.programme_b)
    client.force_login(personas.peer_user)
    text = body(home_page(client))
    nav = text[text.index('class="main-nav"') : text.index("</nav>")]
    assert nav.count("Min side") == 1


def test_coordinator_home_names_a_peer_far_over_budget_for_weeks(client, personas, log_contact):
    from ettervern.followup.budget import last_full_weeks
    from ettervern.peers.tests.conftest import oslo

    personas.match.started_on = TODAY() - dt.timedelta(days=60)
    personas.match.save()
    client.force_login(personas.coordinator)
    assert "langt over timebudsjettet" not in body(home_page(client))
    for week in last_full_weeks(TODAY()):
        log_contact(oslo(week.start.year, week.start.month, week.start.day, 10), 8 * 60)
    text = body(home_page(client))
    assert "langt over timebudsjettet i flere uker" in text
    assert text.count("langt over timebudsjettet") == 1


def test_far_under_budget_is_a_note_for_the_coordinator_not_the_peer(client, personas):
    personas.match.started_on = TODAY() - dt.timedelta(days=60)
    personas.match.save()
    url = f"/likepersoner/{personas.peer.pk}/timer/"
    client.force_login(personas.coordinator)
    assert "langt under budsjettet" in body(client.get(url))
    client.force_login(personas.peer_user)
    assert "langt under budsjettet" not in body(client.get(url))
