"""Audit event types of the social arenas.

Attendance is social activity on the participant's timeline, but only for a participant who has
consented to follow-up: otherwise the rows carry no participant and she is only counted, without
a name, in the figures.
"""

from django.utils.translation import gettext as _

from ettervern.arenas.models import Kind
from ettervern.audit.events import declare, event
from ettervern.participants.events import day, label

EVENT_CREATED = declare(
    "arena_event_created",
    keys={"kind", "series_id", "starts_on", "capacity", "audience"},
    says="A social-arena event (or one occurrence of a recurring one) was created",
)
SERIES_CREATED = declare(
    "arena_series_created",
    keys={"kind", "weekday", "starts_on", "ends_on", "capacity", "audience"},
    says="A recurring social-arena event was created",
)
EVENT_CHANGED = declare(
    "arena_event_changed", keys={"fields"}, says="An event's details changed (field names)"
)
EVENT_CANCELLED = declare(
    "arena_event_cancelled", keys={"starts_on"}, says="An event was cancelled"
)
HELPER_ADDED = declare(
    "arena_helper_added",
    keys={"event_id", "user_id"},
    says="A volunteer or staff member was set to help at an event",
)
HELPER_REMOVED = declare(
    "arena_helper_removed",
    keys={"event_id", "user_id"},
    says="A volunteer or staff member no longer helps at an event",
)


@event(
    "arena_signed_up",
    keys={"event_id", "kind", "starts_on", "person_kind", "visible"},
    says="Someone was signed up for a social-arena event",
)
def arena_signed_up(d: dict) -> str:
    return _("Signed up: %(kind)s %(date)s") % {
        "kind": label(Kind.choices, d["kind"]),
        "date": day(d["starts_on"]),
    }


@event(
    "arena_signup_cancelled",
    keys={"event_id", "kind", "starts_on", "person_kind"},
    says="A sign-up for a social-arena event was withdrawn",
)
def arena_signup_cancelled(d: dict) -> str:
    return _("Sign-up withdrawn: %(kind)s %(date)s") % {
        "kind": label(Kind.choices, d["kind"]),
        "date": day(d["starts_on"]),
    }


@event(
    "arena_attendance",
    keys={"event_id", "kind", "starts_on", "person_kind", "attended"},
    says="Attendance at a social-arena event was recorded (or corrected)",
)
def arena_attendance(d: dict) -> str:
    values = {"kind": label(Kind.choices, d["kind"]), "date": day(d["starts_on"])}
    if d["attended"]:
        return _("Social activity: took part in %(kind)s %(date)s") % values
    return _("Attendance corrected: not at %(kind)s %(date)s") % values
