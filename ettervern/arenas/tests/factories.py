"""Social-arena objects for the personas: built once per test and cached on ``personas``.

A volunteer login in organisation A helping at a film night next week that the participant
(Dag, with his own login) is signed up for; a second event in A the volunteer does not help
at; and a film night in organisation B with its own volunteer and sign-up.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from conftest import make_user, member
from ettervern.accounts.models import Role
from ettervern.arenas import services
from ettervern.arenas.models import Audience, Event, Helper, Kind, PersonKind, SignUp


@dataclass
class Arenas:
    volunteer: object
    film: Event
    other_event: Event
    signup: SignUp
    helper: Helper
    volunteer_b: object
    film_b: Event
    signup_b: SignUp
    helper_b: Helper


def film_night(coordinator, programme, *, days: int = 7, capacity: int = 20, **fields) -> Event:
    starts = timezone.localtime() + dt.timedelta(days=days)
    starts = starts.replace(hour=18, minute=0, second=0, microsecond=0)
    values = {
        "title": "Filmkveld",
        "kind": Kind.FILM,
        "place": "Kafeen, Nygårdsgaten 3",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=3),
        "capacity": capacity,
        "audience": Audience.EVERYONE,
    }
    values.update(fields)
    return services.event_create(actor=coordinator, programme=programme, **values)


def make_volunteer(email: str, name: str, programme):
    user = make_user(email, name)
    member(user, programme, Role.VOLUNTEER)
    return user


def _event(programme, coordinator, **fields) -> Event:
    starts = timezone.localtime() + dt.timedelta(days=fields.pop("days", 7))
    starts = starts.replace(hour=18, minute=0, second=0, microsecond=0)
    values = {
        "title": "Filmkveld",
        "kind": Kind.FILM,
        "place": "Kafeen",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=3),
        "capacity": 20,
        "audience": Audience.EVERYONE,
        "created_by": coordinator,
    }
    values.update(fields)
    return Event.objects.create(organisation=programme.organisation, programme=programme, **values)


def _signup(event, participant, by) -> SignUp:
    return SignUp.objects.create(
        organisation=event.organisation,
        programme=event.programme,
        event=event,
        person_kind=PersonKind.PARTICIPANT,
        participant=participant,
        signed_up_by=by,
    )


def _helper(event, user, by) -> Helper:
    return Helper.objects.create(
        organisation=event.organisation,
        programme=event.programme,
        event=event,
        user=user,
        added_by=by,
    )


def arenas(p) -> Arenas:
    """Stored directly, not through the services: the URL walkers build these lazily, after
    other routes may have changed the personas' roles (the services are tested on their own)."""
    cached = getattr(p, "_arenas", None)
    if cached is not None:
        return cached
    volunteer = make_volunteer("frivillig@a.test", "Frida Frivillig", p.programme_a)
    film = _event(p.programme_a, p.coordinator)
    other = _event(p.programme_a, p.coordinator, days=9, title="Konsert", kind=Kind.CONCERT)
    signup = _signup(film, p.participant, p.participant_user)
    helper = _helper(film, volunteer, p.coordinator)
    volunteer_b = make_volunteer("frivillig@b.test", "Bodil Frivillig", p.programme_b)
    film_b = _event(p.programme_b, p.coordinator_b)
    signup_b = _signup(film_b, p.participant_b, p.coordinator_b)
    helper_b = _helper(film_b, volunteer_b, p.coordinator_b)
    p._arenas = Arenas(
        volunteer=volunteer,
        film=film,
        other_event=other,
        signup=signup,
        helper=helper,
        volunteer_b=volunteer_b,
        film_b=film_b,
        signup_b=signup_b,
        helper_b=helper_b,
    )
    return p._arenas
