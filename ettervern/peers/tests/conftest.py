import datetime as dt

import pytest
from django.utils import timezone

from conftest import make_user, member


@pytest.fixture
def second_coordinator(personas):
    """Another coordinator of programme A: sees that supervisions happened, not their notes."""
    from ettervern.accounts.models import Role

    user = make_user("koordinator2@a.test", "Kjell Koordinator")
    member(user, personas.programme_a, Role.COORDINATOR)
    return user


def oslo(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def log_contact(personas):
    """Log a contact on the persona match (the followup app owns the UI for this)."""
    from ettervern.followup.models import Contact

    def log(at: dt.datetime, minutes: int = 60, outcome: str = "held", match=None):
        match = match or personas.match
        return Contact.objects.create(
            organisation_id=match.organisation_id,
            programme_id=match.programme_id,
            match=match,
            participant_id=match.participant_id,
            peer_id=match.peer_id,
            occurred_at=at,
            duration_minutes=minutes,
            kind="conversation",
            outcome=outcome,
        )

    return log


def attended(coordinator, candidate, held_on: dt.date, *, sessions: int = 1, present: int = 1):
    """Add ``sessions`` course sessions on ``held_on`` and mark the candidate at ``present``."""
    from ettervern.peers import services

    course = candidate.course
    made = [
        services.course_session_create(
            actor=coordinator,
            course=course,
            held_on=held_on,
            starts_at=dt.time(10 + n),
            ends_at=dt.time(11 + n),
            topic=f"Samling {n + 1}",
        )
        for n in range(sessions)
    ]
    pairs = {(s.pk, candidate.pk) for s in made[:present]}
    existing = set(candidate.course_sessions.filter(course=course).values_list("pk", flat=True))
    pairs |= {(pk, candidate.pk) for pk in existing}
    services.course_attendance_set(actor=coordinator, course=course, attended=pairs)
    return made
