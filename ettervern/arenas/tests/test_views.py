import uuid

from django.core import mail
from django.utils import timezone

from ettervern.accounts.models import Membership, Role
from ettervern.arenas import services
from ettervern.arenas.models import Event, SignUp
from ettervern.arenas.tests.factories import film_night
from ettervern.orgadmin.tests.test_invitations import accept, token_of


def _event_form(personas, **overrides) -> dict:
    data = {
        "programme": personas.programme_a.pk,
        "title": "Filmkveld",
        "kind": "film",
        "place": "Kafeen",
        "day": "2026-12-10",
        "start_time": "18:00",
        "end_time": "21:00",
        "capacity": "20",
        "audience": "everyone",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


# --- the coordinator adds an event -----------------------------------------------------------


def test_coordinator_adds_a_film_night(client, personas):
    client.force_login(personas.coordinator)
    data = _event_form(personas)
    response = client.post("/arrangementer/ny/", data)
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/arrangementer/{event.pk}/"
    assert timezone.localtime(event.starts_at).hour == 18 and event.capacity == 20
    # The same form sent again makes no second event.
    assert client.post("/arrangementer/ny/", data).status_code == 302
    assert Event.objects.count() == 1


def test_an_event_in_the_past_is_refused_in_norwegian(client, personas):
    client.force_login(personas.coordinator)
    response = client.post("/arrangementer/ny/", _event_form(personas, day="2026-12-01"))
    assert response.status_code == 400
    assert "Arrangementet kan ikke starte i fortiden." in response.content.decode()
    assert not Event.objects.exists()


def test_a_capacity_of_zero_is_refused_in_norwegian(client, personas):
    client.force_login(personas.coordinator)
    response = client.post("/arrangementer/ny/", _event_form(personas, capacity="0"))
    assert response.status_code == 400
    assert "Antall plasser må være minst 1." in response.content.decode()
    assert not Event.objects.exists()


def test_capacity_below_the_sign_ups_is_refused_on_the_edit_page(client, personas, arena):
    services.signup_create(actor=personas.peer_user, event=arena.film)
    client.force_login(personas.coordinator)
    data = _event_form(personas, capacity="1")
    response = client.post(f"/arrangementer/{arena.film.pk}/endre/", data)
    assert response.status_code == 400
    assert "2 personer er påmeldt" in response.content.decode()
    arena.film.refresh_from_db()
    assert arena.film.capacity == 20


def test_coordinator_adds_a_weekly_cafe(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(
        "/arrangementer/fast/ny/",
        {
            "programme": personas.programme_a.pk,
            "title": "Torsdagskafé",
            "kind": "cafe",
            "place": "Kafeen",
            "weekday": "3",
            "start_time": "12:00",
            "duration_minutes": "120",
            "capacity": "30",
            "audience": "everyone",
            "starts_on": "2026-12-03",
            "ends_on": "2026-12-31",
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    days = [timezone.localdate(e.starts_at).day for e in Event.objects.order_by("starts_at")]
    assert days == [3, 10, 17, 24, 31]


def test_a_peer_cannot_add_events(client, personas):
    client.force_login(personas.peer_user)
    assert client.post("/arrangementer/ny/", _event_form(personas)).status_code == 404
    assert not Event.objects.exists()


# --- signing up --------------------------------------------------------------------------------


def test_double_sign_up_is_refused_in_norwegian(client, personas, arena):
    client.force_login(personas.participant_user)
    response = client.post(
        f"/arrangementer/{arena.film.pk}/pamelding/",
        {"for": "self", "submission_key": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert "Dag Deltaker er allerede påmeldt dette arrangementet." in response.content.decode()
    assert SignUp.objects.filter(event=arena.film).count() == 1


def test_peer_signs_up_her_participant_with_her(client, personas, arena):
    client.force_login(personas.peer_user)
    page = client.get(f"/arrangementer/{arena.other_event.pk}/").content.decode()
    assert "Meld på en deltaker sammen med hen" in page
    data = {"for": "participant", "participant": personas.participant.pk, "visible": "on"}
    response = client.post(f"/arrangementer/{arena.other_event.pk}/pamelding/", data)
    assert response.status_code == 302
    signup = SignUp.objects.get(event=arena.other_event)
    assert signup.participant == personas.participant and signup.visible
    assert signup.signed_up_by == personas.peer_user


def test_a_peer_cannot_sign_up_an_unmatched_participant(client, personas, arena):
    client.force_login(personas.other_peer_user)
    data = {"for": "participant", "participant": personas.participant.pk}
    response = client.post(f"/arrangementer/{arena.other_event.pk}/pamelding/", data)
    assert response.status_code == 400  # not a choice for this peer
    assert not SignUp.objects.filter(event=arena.other_event).exists()


def test_participant_sees_only_those_who_chose_to_be_visible(client, personas, arena):
    services.signup_create(
        actor=personas.coordinator, event=arena.film, participant=personas.waiting
    )
    services.signup_create(actor=personas.other_peer_user, event=arena.film, visible=True)
    client.force_login(personas.participant_user)
    page = client.get(f"/arrangementer/{arena.film.pk}/").content.decode()
    assert "Vera Venter" not in page
    assert "Olga Likeperson" in page and "Dag Deltaker" in page
    assert "1 person til har meldt seg på." in page
    client.force_login(arena.volunteer)
    assert "Vera Venter" in client.get(f"/arrangementer/{arena.film.pk}/").content.decode()


# --- attendance ------------------------------------------------------------------------------


def test_volunteer_marks_attendance_with_one_tap(client, personas, arena, clock):
    clock.move_to(arena.film.starts_at)
    client.force_login(arena.volunteer)
    page = client.get(f"/arrangementer/{arena.film.pk}/oppmote/").content.decode()
    assert "Dag Deltaker" in page and "Ikke krysset av" in page
    url = f"/arrangementer/{arena.film.pk}/oppmote/{arena.signup.pk}/"
    response = client.post(url, {"attended": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    arena.signup.refresh_from_db()
    assert arena.signup.attended
    # Tap again to undo.
    client.post(url, {"attended": "0"}, headers={"HX-Request": "true"})
    arena.signup.refresh_from_db()
    assert not arena.signup.attended


def test_attendance_before_the_event_is_a_message_not_an_error(client, personas, arena):
    client.force_login(arena.volunteer)
    url = f"/arrangementer/{arena.film.pk}/oppmote/{arena.signup.pk}/"
    response = client.post(url, {"attended": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert "en time før" in response.content.decode()


def test_only_those_running_the_event_open_the_attendance_screen(client, personas, arena):
    for user in (personas.peer_user, personas.participant_user, personas.coordinator_b):
        client.force_login(user)
        assert client.get(f"/arrangementer/{arena.film.pk}/oppmote/").status_code == 404


# --- the calendar --------------------------------------------------------------------------------


def test_month_calendar_lists_the_events_of_the_month(client, personas, arena):
    film_night(personas.coordinator, personas.programme_a, days=40, title="Januarkonsert")
    client.force_login(personas.participant_user)
    page = client.get("/arrangementer/").content.decode()
    assert "Desember 2026" in page and "Filmkveld" in page and "Januarkonsert" not in page
    january = client.get("/arrangementer/?maned=2027-01").content.decode()
    assert "Januarkonsert" in january
    assert client.get("/arrangementer/?maned=99999-77").status_code == 200


def test_calendar_query_count_does_not_grow_with_events(
    client, personas, arena, django_assert_max_num_queries
):
    for days in range(1, 20):
        film_night(personas.coordinator, personas.programme_a, days=days)
    client.force_login(personas.coordinator)
    client.get("/arrangementer/")
    with django_assert_max_num_queries(12):
        assert client.get("/arrangementer/").status_code == 200


# --- volunteers are invited like everybody ----------------------------------------------------


def test_coordinator_invites_a_volunteer_who_gets_a_norwegian_one_time_link(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(
        "/arrangementer/frivillige/inviter/",
        {
            "name": "Frode Frivillig",
            "email": "frode@a.test",
            "programme": personas.programme_a.pk,
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    message = mail.outbox[0]
    assert "frivillig" in message.body.lower() and message.to == ["frode@a.test"]
    client.logout()
    token = token_of(message)
    assert accept(client, token).status_code == 302
    membership = Membership.objects.get(user__email="frode@a.test")
    assert membership.role == Role.VOLUNTEER
    # One time only.
    client.logout()
    second = accept(client, token)
    assert second.status_code != 302 and not second.wsgi_request.user.is_authenticated
    assert Membership.objects.filter(user__email="frode@a.test").count() == 1


def test_participant_withdraws_her_sign_up_and_the_place_is_free(client, personas, arena):
    client.force_login(personas.participant_user)
    response = client.post(f"/arrangementer/pameldinger/{arena.signup.pk}/avmeld/")
    assert response.status_code == 302
    assert not SignUp.objects.filter(event=arena.film).exists()
    # A volunteer helping at the event cannot withdraw anyone else.
    other = services.signup_create(actor=personas.peer_user, event=arena.film)
    client.force_login(arena.volunteer)
    assert client.post(f"/arrangementer/pameldinger/{other.pk}/avmeld/").status_code == 404
    assert SignUp.objects.filter(pk=other.pk).exists()


def test_coordinator_cancels_one_date_and_nobody_can_sign_up(client, personas, arena):
    client.force_login(personas.coordinator)
    client.post(f"/arrangementer/{arena.film.pk}/avlys/")
    arena.film.refresh_from_db()
    assert arena.film.is_cancelled
    client.force_login(personas.peer_user)
    response = client.post(f"/arrangementer/{arena.film.pk}/pamelding/", {"for": "self"})
    assert response.status_code == 400
    assert "Arrangementet er avlyst." in response.content.decode()


def test_participant_signs_herself_up_on_her_phone(client, personas, arena):
    client.force_login(personas.participant_user)
    page = client.get(f"/arrangementer/{arena.other_event.pk}/").content.decode()
    assert "Meld meg på" in page and "Meld på en deltaker" not in page
    data = {"for": "self", "visible": "on", "submission_key": str(uuid.uuid4())}
    response = client.post(f"/arrangementer/{arena.other_event.pk}/pamelding/", data)
    assert response.status_code == 302
    signup = SignUp.objects.get(event=arena.other_event)
    assert signup.participant == personas.participant and signup.visible


def test_the_participant_page_shows_her_coming_events(client, personas, arena):
    client.force_login(personas.peer_user)
    page = client.get(f"/deltakere/{personas.participant.pk}/").content.decode()
    assert "Sosiale arenaer" in page and f"/arrangementer/{arena.film.pk}/" in page
