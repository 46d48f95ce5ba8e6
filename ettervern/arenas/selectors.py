"""Reads of the social arenas, scoped to the asking user.

Who sees which event:
- coordinators: every event of their programmes;
- peer workers: events of their programmes meant for everyone, participants or peers;
- participants (own login): events of their programme meant for everyone or participants;
- volunteers: only the events they help at;
- anyone: the events they help at or are signed up for.
Who sees the sign-ups of an event: coordinators of its programme and its helpers see all of
them; everyone else sees only the people who chose to be visible (and themselves).
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ettervern.accounts.models import Programme, Role, User
from ettervern.accounts.selectors import programme_ids_for_role, role_in_programme
from ettervern.arenas.models import AUDIENCE_ADMITS, Audience, Event, Helper, PersonKind, SignUp
from ettervern.audit.services import audit_denied
from ettervern.matching.access import Need, participants_for
from ettervern.participants.models import Consent, Participant

# The kind of person each role signs up as (participants sign up through their record).
PERSON_KIND_OF_ROLE = {
    Role.COORDINATOR: PersonKind.STAFF,
    Role.PEER_WORKER: PersonKind.PEER,
    Role.VOLUNTEER: PersonKind.VOLUNTEER,
    Role.PARTICIPANT: PersonKind.PARTICIPANT,
}


def audiences_for(person_kind: str) -> list[str]:
    return [a for a, kinds in AUDIENCE_ADMITS.items() if person_kind in kinds]


def events_visible_to(user: User) -> QuerySet[Event]:
    if not user.is_authenticated:
        return Event.objects.none()
    q = Q(helpers__user=user) | Q(signups__user=user)
    staff = programme_ids_for_role(user, Role.COORDINATOR)
    if staff:
        q |= Q(programme_id__in=staff)
    for role in (Role.PEER_WORKER, Role.PARTICIPANT):
        programmes = programme_ids_for_role(user, role)
        if programmes:
            audiences = audiences_for(PERSON_KIND_OF_ROLE[role])
            q |= Q(programme_id__in=programmes, audience__in=audiences)
    return Event.objects.filter(pk__in=Event.objects.filter(q).values("pk"))


def get_event_for_user(user: User, event_id: int) -> Event:
    event = events_visible_to(user).select_related("programme", "series").filter(pk=event_id)
    found = event.first()
    if found is None:
        audit_denied(actor=user, object_type="arenas.event", object_id=event_id)
        raise Http404
    return found


def coordinates(user: User, event: Event) -> bool:
    return event.programme_id in programme_ids_for_role(user, Role.COORDINATOR)


def is_helper(user: User, event: Event) -> bool:
    return Helper.objects.filter(event=event, user=user).exists()


def may_record_attendance(user: User, event: Event) -> bool:
    """The event's coordinators and the people helping at it, with a role in its programme."""
    if coordinates(user, event):
        return True
    return bool(role_in_programme(user, event.programme_id)) and is_helper(user, event)


def signups_for(user: User, event: Event) -> list[SignUp]:
    """The sign-ups ``user`` may see: all of them for those who run the event, otherwise the
    people who chose to be visible, the user's own, and the participants the user may sign up
    (her own record; a peer worker's current participants)."""
    rows = event.signups.select_related("participant", "user").order_by(
        "participant__name", "user__name", "pk"
    )
    if may_record_attendance(user, event):
        return list(rows)
    mine = participants_for(user, Need.ARENAS).values("pk")
    return list(rows.filter(Q(visible=True) | Q(user=user) | Q(participant__in=mine)))


def signup_count(event: Event) -> int:
    return event.signups.count()


def with_signup_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(signed_up=Count("signups", distinct=True))


def helpers_of(event: Event) -> list[Helper]:
    return list(event.helpers.select_related("user").order_by("user__name"))


def possible_helpers(event: Event) -> QuerySet[User]:
    """Logins who may help at an event: volunteers, staff and peer workers of its programme."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__programme_id=event.programme_id,
            memberships__is_active=True,
            memberships__role__in=[Role.VOLUNTEER, Role.COORDINATOR, Role.PEER_WORKER],
        )
        .exclude(arena_helping__event=event)
        .distinct()
        .order_by("name")
    )


def has_followup_consent(participant: Participant) -> bool:
    """Attendance goes on the timeline only of a participant who consented to follow-up."""
    return Consent.objects.filter(
        participant=participant, purpose=Consent.Purpose.FOLLOW_UP, withdrawn_at__isnull=True
    ).exists()


# --- the month calendar ------------------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    date: dt.date
    in_month: bool
    events: list[Event]


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    first = dt.datetime(year, month, 1, tzinfo=tz)
    nxt = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return first, nxt


def month_calendar(user: User, year: int, month: int) -> list[list[Day]]:
    """Weeks (Monday first) of the month, each day with the events the user sees."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(weeks[0][0], dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(weeks[-1][-1] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    events = with_signup_counts(
        events_visible_to(user).filter(starts_at__gte=start, starts_at__lt=end)
    ).order_by("starts_at", "pk")
    by_day: dict[dt.date, list[Event]] = {}
    for event in events:
        by_day.setdefault(timezone.localdate(event.starts_at), []).append(event)
    return [
        [Day(date=d, in_month=d.month == month, events=by_day.get(d, [])) for d in week]
        for week in weeks
    ]


def upcoming_helping(user: User, *, limit: int = 10) -> list[Event]:
    """The next events the user helps at (a volunteer's home page)."""
    since = timezone.now() - dt.timedelta(hours=12)
    return list(
        with_signup_counts(
            Event.objects.filter(helpers__user=user, starts_at__gte=since, cancelled_at=None)
        ).order_by("starts_at")[:limit]
    )


def upcoming_for_participant(participant: Participant, *, limit: int = 10) -> list[SignUp]:
    since = timezone.now() - dt.timedelta(hours=12)
    return list(
        SignUp.objects.filter(participant=participant, event__starts_at__gte=since)
        .select_related("event")
        .order_by("event__starts_at")[:limit]
    )


# --- the figures for the monthly report ----------------------------------------------------------


def attendance_summary(*, programme: Programme, start: dt.date, end: dt.date) -> dict:
    """Social arenas in a programme between ``start`` and ``end`` (both included), as plain data
    for the monthly report: no names, no ids of people.

    ``events_held``: events that took place (not cancelled, with at least one attendance);
    ``events_planned``: events not cancelled; ``attendances``: attendances by kind of person
    (``participant``, ``peer``, ``staff``, ``volunteer``) and ``total``;
    ``distinct_participants``: participants who attended at least once (counted whether or not
    they consented to follow-up: the count is anonymous).
    """
    tz = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    events = Event.objects.filter(
        programme=programme, starts_at__gte=low, starts_at__lt=high, cancelled_at=None
    )
    attended = SignUp.objects.filter(event__in=events, attended=True)
    by_kind = dict.fromkeys(PersonKind.values, 0)
    for row in attended.values("person_kind").annotate(n=Count("pk")):
        by_kind[row["person_kind"]] = row["n"]
    return {
        "start": start,
        "end": end,
        "events_planned": events.count(),
        "events_held": events.filter(signups__attended=True).distinct().count(),
        "attendances": {**by_kind, "total": sum(by_kind.values())},
        "distinct_participants": attended.filter(participant__isnull=False)
        .values("participant")
        .distinct()
        .count(),
    }


def audience_label(audience: str) -> str:
    return str(Audience(audience).label)
