import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import make_participant
from ettervern.arenas import selectors, services
from ettervern.arenas.models import Audience, Event, Kind, Series, SignUp
from ettervern.arenas.tests.factories import film_night, make_volunteer
from ettervern.audit.models import AuditEvent
from ettervern.participants import services as participant_services
from ettervern.participants.models import Consent
from ettervern.participants.selectors import timeline

OSLO = dt.timezone(dt.timedelta(hours=1))  # December: no summer time


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=OSLO)


# --- events and series ---------------------------------------------------------------------------


def test_coordinator_creates_a_film_night(personas):
    event = film_night(personas.coordinator, personas.programme_a)
    assert event.organisation_id == personas.org_a.pk
    row = AuditEvent.objects.get(data__event="arena_event_created", object_id=str(event.pk))
    assert row.data["kind"] == "film" and row.data["starts_on"] == "2026-12-10"


def test_an_event_in_the_past_is_refused_and_nothing_is_stored(personas):
    with pytest.raises(ValidationError, match="kan ikke starte i fortiden"):
        film_night(personas.coordinator, personas.programme_a, days=-1)
    assert not Event.objects.exists()


def test_an_event_starting_now_is_refused(personas):
    now = timezone.now()
    with pytest.raises(ValidationError):
        services.event_create(
            actor=personas.coordinator,
            programme=personas.programme_a,
            title="Kafé",
            kind=Kind.CAFE,
            place="Kafeen",
            starts_at=now,
            ends_at=now + dt.timedelta(hours=2),
            capacity=10,
            audience=Audience.EVERYONE,
        )


@pytest.mark.parametrize("capacity", [0, -3])
def test_a_capacity_below_one_is_refused(personas, capacity):
    with pytest.raises(ValidationError, match="minst 1"):
        film_night(personas.coordinator, personas.programme_a, capacity=capacity)
    assert not Event.objects.exists()


def test_only_the_programmes_coordinator_creates_events(personas):
    for actor in (personas.peer_user, personas.coordinator_b):
        with pytest.raises(PermissionDenied):
            film_night(actor, personas.programme_a)


def test_weekly_cafe_makes_every_thursday_within_the_horizon(personas):
    series = services.series_create(
        actor=personas.coordinator,
        programme=personas.programme_a,
        title="Torsdagskafé",
        kind=Kind.CAFE,
        place="Kafeen",
        weekday=3,
        start_time=dt.time(12, 0),
        duration_minutes=120,
        capacity=25,
        audience=Audience.EVERYONE,
        starts_on=timezone.localdate(),
        ends_on=dt.date(2027, 1, 31),
    )
    days = [timezone.localdate(e.starts_at) for e in series.events.order_by("starts_at")]
    # Today is Thursday 3 December at 10:00: today's café at noon is still to come.
    assert days[0] == dt.date(2026, 12, 3)
    assert days[-1] == dt.date(2027, 1, 28)
    assert len(days) == 9 and all(d.weekday() == 3 for d in days)
    assert series.events.first().ends_at - series.events.first().starts_at == dt.timedelta(hours=2)


def test_extending_a_series_again_adds_no_second_occurrence(personas, clock):
    series = services.series_create(
        actor=personas.coordinator,
        programme=personas.programme_a,
        title="Torsdagskafé",
        kind=Kind.CAFE,
        place="Kafeen",
        weekday=3,
        start_time=dt.time(12, 0),
        duration_minutes=120,
        capacity=25,
        audience=Audience.EVERYONE,
        starts_on=timezone.localdate(),
    )
    count = series.events.count()
    assert services.series_extend(actor=None, series=series) == 0
    clock.shift(dt.timedelta(days=7))
    assert services.series_extend(actor=None, series=series) == 1
    assert series.events.count() == count + 1


def test_one_occurrence_changes_alone(personas):
    series = services.series_create(
        actor=personas.coordinator,
        programme=personas.programme_a,
        title="Torsdagskafé",
        kind=Kind.CAFE,
        place="Kafeen",
        weekday=3,
        start_time=dt.time(12, 0),
        duration_minutes=120,
        capacity=25,
        audience=Audience.EVERYONE,
        starts_on=timezone.localdate(),
    )
    second = series.events.order_by("starts_at")[1]
    services.event_update(
        actor=personas.coordinator, event=second, place="Ute i parken", capacity=40
    )
    places = list(series.events.order_by("starts_at").values_list("place", "capacity"))
    assert places[1] == ("Ute i parken", 40)
    assert all(p == ("Kafeen", 25) for i, p in enumerate(places) if i != 1)
    # Making the series' dates again leaves the changed one as it is.
    services.series_extend(actor=None, series=series)
    assert Series.objects.get().events.filter(place="Ute i parken").count() == 1


def test_capacity_cannot_go_below_those_signed_up(personas, arena):
    services.signup_create(actor=personas.peer_user, event=arena.film)
    with pytest.raises(ValidationError, match="2 personer er påmeldt"):
        services.event_update(actor=personas.coordinator, event=arena.film, capacity=1)
    arena.film.refresh_from_db()
    assert arena.film.capacity == 20
    services.event_update(actor=personas.coordinator, event=arena.film, capacity=2)
    arena.film.refresh_from_db()
    assert arena.film.capacity == 2


def test_an_event_cannot_be_moved_into_the_past(personas, arena):
    past = timezone.now() - dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="fortiden"):
        services.event_update(
            actor=personas.coordinator,
            event=arena.film,
            starts_at=past,
            ends_at=past + dt.timedelta(hours=2),
        )
    arena.film.refresh_from_db()
    assert arena.film.starts_at > timezone.now()


# --- sign-ups ------------------------------------------------------------------------------------


def test_participant_signs_herself_up_and_a_peer_signs_up_with_her(personas, arena):
    own = services.signup_create(
        actor=personas.participant_user, event=arena.other_event, participant=personas.participant
    )
    assert own.participant == personas.participant and own.user is None
    assert own.signed_up_by == personas.participant_user and not own.visible
    other = film_night(personas.coordinator, personas.programme_a, days=3)
    signup = services.signup_create(
        actor=personas.peer_user, event=other, participant=personas.participant, visible=True
    )
    assert signup.person_kind == "participant" and signup.visible


def test_a_peer_cannot_sign_up_someone_elses_participant(personas, arena):
    with pytest.raises(PermissionDenied):
        services.signup_create(
            actor=personas.other_peer_user,
            event=arena.other_event,
            participant=personas.participant,
        )
    with pytest.raises(PermissionDenied):
        services.signup_create(
            actor=arena.volunteer, event=arena.film, participant=personas.waiting
        )


def test_a_double_sign_up_is_refused_in_norwegian(personas, arena):
    with pytest.raises(ValidationError) as exc:
        services.signup_create(
            actor=personas.peer_user, event=arena.film, participant=personas.participant
        )
    assert "er allerede påmeldt" in exc.value.messages[0]
    assert SignUp.objects.filter(event=arena.film).count() == 1


def test_the_same_form_sent_twice_signs_up_once(personas, arena):
    import uuid

    key = uuid.uuid4()
    first = services.signup_create(actor=personas.peer_user, event=arena.film, submission_key=key)
    again = services.signup_create(actor=personas.peer_user, event=arena.film, submission_key=key)
    assert first == again
    assert SignUp.objects.filter(event=arena.film, user=personas.peer_user).count() == 1


def test_the_last_place_goes_to_one_and_the_next_is_refused(personas):
    event = film_night(personas.coordinator, personas.programme_a, capacity=2)
    services.signup_create(actor=personas.peer_user, event=event)
    services.signup_create(actor=personas.other_peer_user, event=event)
    with pytest.raises(ValidationError, match="fullt"):
        services.signup_create(actor=personas.coordinator, event=event)
    assert event.signups.count() == 2


def test_an_event_for_peers_refuses_a_participant(personas):
    event = film_night(personas.coordinator, personas.programme_a, audience=Audience.PEERS)
    with pytest.raises(ValidationError, match="Dette arrangementet er for"):
        services.signup_create(
            actor=personas.participant_user, event=event, participant=personas.participant
        )


def test_sign_up_closes_when_the_event_starts(personas, arena, clock):
    clock.move_to(arena.film.starts_at)
    with pytest.raises(ValidationError, match="allerede startet"):
        services.signup_create(actor=personas.peer_user, event=arena.film)


# --- visibility ----------------------------------------------------------------------------------


def test_participants_see_only_who_chose_to_be_visible(personas, arena):
    waiting_user = make_volunteer("x@a.test", "X", personas.programme_b)  # a stranger login
    visible_peer = services.signup_create(actor=personas.peer_user, event=arena.film, visible=True)
    hidden_peer = services.signup_create(actor=personas.other_peer_user, event=arena.film)
    services.signup_create(
        actor=personas.coordinator, event=arena.film, participant=personas.waiting
    )
    seen_by_dag = selectors.signups_for(personas.participant_user, arena.film)
    assert set(seen_by_dag) == {arena.signup, visible_peer}
    assert hidden_peer not in seen_by_dag
    # Those who run the event see everyone.
    assert len(selectors.signups_for(arena.volunteer, arena.film)) == 4
    assert len(selectors.signups_for(personas.coordinator, arena.film)) == 4
    assert waiting_user not in {s.user for s in seen_by_dag}


# --- attendance ---------------------------------------------------------------------------------


def test_volunteer_records_attendance_and_it_is_on_the_consenting_participants_timeline(
    personas, arena, clock
):
    clock.move_to(arena.film.starts_at + dt.timedelta(minutes=10))
    services.attendance_set(actor=arena.volunteer, signup=arena.signup, attended=True)
    arena.signup.refresh_from_db()
    assert arena.signup.attended and arena.signup.attendance_recorded_by == arena.volunteer
    texts = [row["text"] for row in timeline(personas.participant)]
    assert any(t.startswith("Sosial aktivitet: deltok på Filmkveld") for t in texts)


def test_without_consent_attendance_is_only_counted(personas, arena, clock):
    participant_services.consent_withdraw(
        actor=personas.coordinator,
        participant=personas.waiting,
        purpose=Consent.Purpose.FOLLOW_UP,
    )
    signup = services.signup_create(
        actor=personas.coordinator, event=arena.film, participant=personas.waiting
    )
    clock.move_to(arena.film.starts_at)
    services.attendance_set(actor=arena.volunteer, signup=signup, attended=True)
    assert not any("Filmkveld" in row["text"] for row in timeline(personas.waiting))
    row = AuditEvent.objects.get(data__event="arena_attendance", object_id=str(signup.pk))
    assert row.participant_id is None
    summary = selectors.attendance_summary(
        programme=personas.programme_a, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31)
    )
    assert summary["distinct_participants"] == 1


def test_a_volunteer_not_helping_cannot_record_attendance(personas, arena, clock):
    other_volunteer = make_volunteer("frivillig2@a.test", "Frank Frivillig", personas.programme_a)
    clock.move_to(arena.film.starts_at)
    for actor in (other_volunteer, personas.peer_user, arena.volunteer_b):
        with pytest.raises(PermissionDenied):
            services.attendance_set(actor=actor, signup=arena.signup, attended=True)


def test_attendance_waits_until_an_hour_before_the_event(personas, arena):
    with pytest.raises(ValidationError, match="en time før"):
        services.attendance_set(actor=arena.volunteer, signup=arena.signup, attended=True)


def test_a_helper_must_belong_to_the_programme(personas, arena):
    with pytest.raises(ValidationError):
        services.helper_add(actor=personas.coordinator, event=arena.film, user=arena.volunteer_b)


# --- the figures for the monthly report ----------------------------------------------------------


def test_attendance_summary_counts_the_month(personas, arena, clock):
    services.signup_create(actor=personas.peer_user, event=arena.film)
    late = make_participant(personas.programme_a, "Lise Lateral")
    late_signup = services.signup_create(
        actor=personas.coordinator, event=arena.film, participant=late
    )
    empty = film_night(personas.coordinator, personas.programme_a, days=2)
    cancelled = film_night(personas.coordinator, personas.programme_a, days=4)
    services.event_cancel(actor=personas.coordinator, event=cancelled)
    # January's event is outside December.
    film_night(personas.coordinator, personas.programme_a, days=40)
    clock.move_to(arena.film.starts_at)
    for s in arena.film.signups.all():
        services.attendance_set(actor=arena.volunteer, signup=s, attended=True)
    services.attendance_set(actor=arena.volunteer, signup=late_signup, attended=False)
    summary = selectors.attendance_summary(
        programme=personas.programme_a, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31)
    )
    assert summary["events_planned"] == 3  # film, concert, the empty one (not the cancelled)
    assert summary["events_held"] == 1
    assert summary["attendances"] == {
        "participant": 1,
        "peer": 1,
        "staff": 0,
        "volunteer": 0,
        "total": 2,
    }
    assert summary["distinct_participants"] == 1
    assert (
        empty.pk
        and selectors.attendance_summary(
            programme=personas.programme_b, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31)
        )["attendances"]["total"]
        == 0
    )


def test_the_monthly_report_counts_the_attendance(personas, arena, clock):
    from ettervern.lib.periods import Period
    from ettervern.reports.selectors import build_report

    clock.move_to(arena.film.starts_at)
    services.attendance_set(actor=arena.volunteer, signup=arena.signup, attended=True)
    report = build_report(
        programme=personas.programme_a, period=Period(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    )
    section = next(s for s in report["sections"] if s["key"] == "arenas")
    cells = {r["label"]: r["cells"][0]["v"] for t in section["tables"] for r in t["rows"]}
    assert cells["Arrangementer holdt"] == 1
    assert cells["Ulike deltakere som kom"] == 1
    assert cells["Deltaker"] == 1
