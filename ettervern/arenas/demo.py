"""Demo data for the social arenas, relative to today: a weekly café on Thursdays, a film night
next week with sign-ups and a volunteer helping, and a concert last month that was held (its
attendance counts in the figures). The demo volunteer login is ``frivillig@…``."""

import datetime as dt

from django.utils import timezone

from ettervern.arenas import services
from ettervern.arenas.models import Audience, Event, Kind, PersonKind, SignUp
from ettervern.matching.models import Match

PLACES = {
    "Bergen": ("Kafé Ettervern, Nygårdsgaten 3", "Kulturhuset USF, Georgernes verft"),
    "Oslo": ("Kafé Ny Start, Storgata 10", "Cinemateket, Dronningens gate 16"),
}


def seed(ctx) -> None:
    coordinator = ctx.users["koordinator"]
    volunteer = ctx.users["frivillig"]
    cafe_place, culture_place = PLACES.get(ctx.spec.city, PLACES["Oslo"])
    tz = timezone.get_current_timezone()

    cafe = services.series_create(
        actor=coordinator,
        programme=ctx.programme,
        title="Torsdagskafé",
        kind=Kind.CAFE,
        place=cafe_place,
        weekday=3,
        start_time=dt.time(12, 0),
        duration_minutes=150,
        capacity=30,
        audience=Audience.EVERYONE,
        starts_on=ctx.today,
    )
    film_day = ctx.today + dt.timedelta(days=7)
    film_start = dt.datetime.combine(film_day, dt.time(18, 0), tzinfo=tz)
    film = services.event_create(
        actor=coordinator,
        programme=ctx.programme,
        title="Filmkveld: «Kongen av Bastøy»",
        kind=Kind.FILM,
        place=culture_place,
        starts_at=film_start,
        ends_at=film_start + dt.timedelta(hours=3),
        capacity=25,
        audience=Audience.PARTICIPANTS,
    )
    for event in [film, *cafe.events.order_by("starts_at")[:2]]:
        services.helper_add(actor=coordinator, event=event, user=volunteer)

    # Participants in follow-up, signed up by their peer worker (the demo participant herself).
    matches = [m for m in ctx.shared.get("matches", []) if m.status in (Match.Status.ACTIVE,)]
    for index, match in enumerate(matches[:6]):
        participant = match.participant
        actor = participant.user if participant.user_id else match.peer.user
        services.signup_create(
            actor=actor, event=film, participant=participant, visible=index % 2 == 0
        )
    services.signup_create(actor=ctx.users["likeperson"], event=film, visible=True)
    _held_concert(ctx, coordinator, volunteer, culture_place, matches)


def _held_concert(ctx, coordinator, volunteer, place, matches) -> None:
    """A concert some weeks ago with its attendance: history inserted as it was, since the
    services refuse events in the past (its audit rows as the services write them)."""
    tz = timezone.get_current_timezone()
    day = ctx.today - dt.timedelta(days=24)
    starts = dt.datetime.combine(day, dt.time(19, 0), tzinfo=tz)
    event = Event.objects.create(
        organisation=ctx.organisation,
        programme=ctx.programme,
        title="Konsert med Rusfri Jazz",
        kind=Kind.CONCERT,
        place=place,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        capacity=20,
        audience=Audience.EVERYONE,
        created_by=coordinator,
    )
    rows = []
    for index, match in enumerate(matches[:4]):
        signup = SignUp.objects.create(
            organisation=ctx.organisation,
            programme=ctx.programme,
            event=event,
            person_kind=PersonKind.PARTICIPANT,
            participant=match.participant,
            signed_up_by=match.peer.user,
            attended=index != 3,
            attendance_recorded_at=starts + dt.timedelta(minutes=20),
            attendance_recorded_by=volunteer,
        )
        if signup.attended:
            rows.append(
                {
                    "at": starts + dt.timedelta(minutes=20),
                    "obj_type": "arenas.signup",
                    "obj_id": signup.pk,
                    "participant_id": match.participant_id,
                    "action": "update",
                    "data": {
                        "event": "arena_attendance",
                        "event_id": event.pk,
                        "kind": Kind.CONCERT,
                        "starts_on": day.isoformat(),
                        "person_kind": PersonKind.PARTICIPANT,
                        "attended": True,
                    },
                }
            )
    ctx.history(rows)
