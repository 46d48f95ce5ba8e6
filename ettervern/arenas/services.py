"""Writes of the social arenas: events, recurring series, sign-ups, helpers and attendance.

Each write is one transaction with its audit row. A sign-up locks its event row first
(``select_for_update``), so the capacity and the one-sign-up-per-person rule hold when two people
take the last place at the same moment (on SQLite the write lock is taken when the transaction
begins, see ``config.settings.SQLITE_OPTIONS``).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ettervern.accounts.models import Programme, Role, User
from ettervern.accounts.selectors import programme_ids_for_role, role_in_programme
from ettervern.arenas import events
from ettervern.arenas.models import (
    AUDIENCE_ADMITS,
    Audience,
    Event,
    Helper,
    Kind,
    PersonKind,
    Series,
    SignUp,
)
from ettervern.arenas.selectors import (
    PERSON_KIND_OF_ROLE,
    has_followup_consent,
    may_record_attendance,
)
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.audit.submissions import once_per_submission
from ettervern.matching import access
from ettervern.participants.models import Participant

Action = AuditEvent.Action

# How far ahead a recurring event's occurrences are made (the rest when the time comes, by
# ``manage.py arenas_extend_series``).
SERIES_HORIZON_DAYS = 12 * 7
EDITABLE_FIELDS = ("title", "kind", "place", "starts_at", "ends_at", "capacity", "audience")


def _require_coordinator(actor: User, programme: Programme) -> None:
    if programme.pk not in programme_ids_for_role(actor, Role.COORDINATOR):
        raise PermissionDenied


def _check_details(*, kind: str, audience: str, capacity: int, title: str, place: str) -> None:
    if kind not in Kind.values:
        raise ValidationError(_("Choose what kind of event it is."))
    if audience not in Audience.values:
        raise ValidationError(_("Choose who the event is for."))
    if capacity is None or capacity < 1:
        raise ValidationError(_("The capacity must be at least 1."))
    if not title.strip():
        raise ValidationError(_("Give the event a title."))
    if not place.strip():
        raise ValidationError(_("Say where the event is."))


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if starts_at <= timezone.now():
        raise ValidationError(_("The event cannot start in the past."))
    if ends_at <= starts_at:
        raise ValidationError(_("The event must end after it starts."))


@once_per_submission(Event)
@transaction.atomic
def event_create(
    *,
    actor: User,
    programme: Programme,
    title: str,
    kind: str,
    place: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    audience: str,
) -> Event:
    """A one-off event (a film night, a concert, a hike), in the future."""
    _require_coordinator(actor, programme)
    _check_details(kind=kind, audience=audience, capacity=capacity, title=title, place=place)
    _check_times(starts_at, ends_at)
    event = Event.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        title=title.strip(),
        kind=kind,
        place=place.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        audience=audience,
        created_by=actor,
    )
    _audit_created(actor, event)
    return event


def _audit_created(actor: User | None, event: Event) -> None:
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=event,
        event=events.EVENT_CREATED,
        data={
            "kind": event.kind,
            "series_id": event.series_id,
            "starts_on": timezone.localdate(event.starts_at).isoformat(),
            "capacity": event.capacity,
            "audience": event.audience,
        },
    )


@once_per_submission(Series)
@transaction.atomic
def series_create(
    *,
    actor: User,
    programme: Programme,
    title: str,
    kind: str,
    place: str,
    weekday: int,
    start_time: dt.time,
    duration_minutes: int,
    capacity: int,
    audience: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
) -> Series:
    """A recurring event (the café every Thursday) and its occurrences for the coming weeks."""
    _require_coordinator(actor, programme)
    _check_details(kind=kind, audience=audience, capacity=capacity, title=title, place=place)
    if weekday not in range(7):
        raise ValidationError(_("Choose a weekday."))
    if not duration_minutes or duration_minutes < 1:
        raise ValidationError(_("The event must end after it starts."))
    if starts_on < timezone.localdate():
        raise ValidationError(_("The event cannot start in the past."))
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("The last date cannot be before the first."))
    series = Series.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        title=title.strip(),
        kind=kind,
        place=place.strip(),
        weekday=weekday,
        start_time=start_time,
        duration_minutes=duration_minutes,
        capacity=capacity,
        audience=audience,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=series,
        event=events.SERIES_CREATED,
        data={
            "kind": kind,
            "weekday": weekday,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
            "capacity": capacity,
            "audience": audience,
        },
    )
    if not series_extend(actor=actor, series=series):
        raise ValidationError(_("No date between the first and the last falls on that weekday."))
    return series


def _occurrence_days(series: Series, until: dt.date) -> list[dt.date]:
    first = max(series.starts_on, timezone.localdate())
    first += dt.timedelta(days=(series.weekday - first.weekday()) % 7)
    last = min(until, series.ends_on) if series.ends_on else until
    days = []
    while first <= last:
        days.append(first)
        first += dt.timedelta(days=7)
    return days


@transaction.atomic
def series_extend(*, actor: User | None, series: Series, until: dt.date | None = None) -> int:
    """Make the series' missing future occurrences up to ``until`` (default: the horizon).
    Idempotent: a day that has its occurrence (moved, changed or cancelled) gets no second one.
    Returns how many were made."""
    series = Series.objects.select_for_update().get(pk=series.pk)
    until = until or timezone.localdate() + dt.timedelta(days=SERIES_HORIZON_DAYS)
    have = set(series.events.values_list("series_day", flat=True))
    tz = timezone.get_current_timezone()
    made = 0
    for day in _occurrence_days(series, until):
        if day in have:
            continue
        starts_at = dt.datetime.combine(day, series.start_time, tzinfo=tz)
        if starts_at <= timezone.now():
            continue
        event = Event.objects.create(
            organisation_id=series.organisation_id,
            programme_id=series.programme_id,
            series=series,
            series_day=day,
            title=series.title,
            kind=series.kind,
            place=series.place,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=series.duration_minutes),
            capacity=series.capacity,
            audience=series.audience,
            created_by=actor,
        )
        _audit_created(actor, event)
        made += 1
    return made


@transaction.atomic
def event_update(*, actor: User, event: Event, **fields) -> Event:
    """Change one event (one occurrence of a series only). The capacity cannot go below the
    people signed up; a new time cannot be in the past."""
    _require_coordinator(actor, event.programme)
    event = Event.objects.select_for_update().get(pk=event.pk)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if event.is_cancelled:
        raise ValidationError(_("The event is cancelled."))
    changed = [f for f, v in fields.items() if getattr(event, f) != v]
    if not changed:
        return event
    for name in changed:
        setattr(event, name, fields[name])
    _check_details(
        kind=event.kind,
        audience=event.audience,
        capacity=event.capacity,
        title=event.title,
        place=event.place,
    )
    if "starts_at" in changed or "ends_at" in changed:
        _check_times(event.starts_at, event.ends_at)
    signed_up = event.signups.count()
    if event.capacity < signed_up:
        raise ValidationError(
            _("%(count)s people are signed up: the capacity cannot be lower than that.")
            % {"count": signed_up}
        )
    event.title, event.place = event.title.strip(), event.place.strip()
    event.save(update_fields=changed)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=event,
        event=events.EVENT_CHANGED,
        data={"fields": sorted(changed)},
    )
    return event


@transaction.atomic
def event_cancel(*, actor: User, event: Event) -> Event:
    _require_coordinator(actor, event.programme)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        return event
    if event.starts_at <= timezone.now():
        raise ValidationError(_("The event has already started: it cannot be cancelled."))
    event.cancelled_at = timezone.now()
    event.save(update_fields=["cancelled_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=event,
        event=events.EVENT_CANCELLED,
        data={"starts_on": timezone.localdate(event.starts_at).isoformat()},
    )
    return event


# --- sign-ups ----------------------------------------------------------------------------------


def _signup_data(event: Event, signup: SignUp) -> dict:
    return {
        "event_id": event.pk,
        "kind": event.kind,
        "starts_on": timezone.localdate(event.starts_at).isoformat(),
        "person_kind": signup.person_kind,
    }


def _timeline_participant(signup: SignUp) -> int | None:
    """The participant whose timeline shows the row: only with consent to follow-up."""
    if signup.participant_id and has_followup_consent(signup.participant):
        return signup.participant_id
    return None


def _audit_signup(actor, signup: SignUp, event_type, data: dict, action: str) -> None:
    # obj=None: audit_record would otherwise take the participant from the sign-up.
    audit_record(
        actor=actor,
        action=action,
        object_type="arenas.signup",
        object_id=signup.pk,
        organisation_id=signup.organisation_id,
        programme_id=signup.programme_id,
        participant_id=_timeline_participant(signup),
        event=event_type,
        data=data,
    )


@once_per_submission(SignUp)
@transaction.atomic
def signup_create(
    *,
    actor: User,
    event: Event,
    participant: Participant | None = None,
    visible: bool = False,
) -> SignUp:
    """Sign ``participant`` up (her own login, her current peer with her, or the coordinator),
    or, without a participant, the actor themselves as peer, staff or volunteer."""
    event = Event.objects.select_for_update().select_related("programme").get(pk=event.pk)
    if participant is not None:
        access.require(user=actor, participant=participant, need=access.Need.ARENAS)
        if participant.programme_id != event.programme_id:
            raise ValidationError(_("The participant is not in this event's programme."))
        person_kind = PersonKind.PARTICIPANT
        duplicate = event.signups.filter(participant=participant)
        name = participant.name
    else:
        role = role_in_programme(actor, event.programme_id)
        person_kind = PERSON_KIND_OF_ROLE.get(role)
        if person_kind is None or person_kind == PersonKind.PARTICIPANT:
            raise PermissionDenied
        duplicate = event.signups.filter(user=actor)
        name = actor.name
    if event.is_cancelled:
        raise ValidationError(_("The event is cancelled."))
    if event.starts_at <= timezone.now():
        raise ValidationError(_("The event has already started: sign-up is closed."))
    if person_kind not in AUDIENCE_ADMITS[event.audience]:
        raise ValidationError(
            _("This event is for: %(audience)s.") % {"audience": Audience(event.audience).label}
        )
    if duplicate.exists():
        raise ValidationError(_("%(name)s is already signed up for this event.") % {"name": name})
    if event.signups.count() >= event.capacity:
        raise ValidationError(
            _("The event is full: all %(n)s places are taken.") % {"n": event.capacity}
        )
    signup = SignUp.objects.create(
        organisation_id=event.organisation_id,
        programme_id=event.programme_id,
        event=event,
        person_kind=person_kind,
        participant=participant,
        user=None if participant is not None else actor,
        visible=bool(visible),
        signed_up_by=actor,
    )
    _audit_signup(
        actor,
        signup,
        events.arena_signed_up,
        {**_signup_data(event, signup), "visible": signup.visible},
        Action.CREATE,
    )
    return signup


def may_cancel_signup(user: User, signup: SignUp) -> bool:
    if signup.user_id is not None:
        return signup.user_id == user.pk or signup.event.programme_id in programme_ids_for_role(
            user, Role.COORDINATOR
        )
    return access.access_for(user, signup.participant).sign_up


@transaction.atomic
def signup_cancel(*, actor: User, signup: SignUp) -> None:
    """Withdraw a sign-up before the event starts (the place is free again)."""
    event = Event.objects.select_for_update().get(pk=signup.event_id)
    signup = SignUp.objects.select_related("participant", "event").get(pk=signup.pk)
    if not may_cancel_signup(actor, signup):
        raise PermissionDenied
    if event.starts_at <= timezone.now():
        raise ValidationError(_("The event has already started: sign-up is closed."))
    _audit_signup(
        actor, signup, events.arena_signup_cancelled, _signup_data(event, signup), Action.DELETE
    )
    signup.delete()


@transaction.atomic
def attendance_set(*, actor: User, signup: SignUp, attended: bool) -> SignUp:
    """Mark that someone came (or correct it). The event's coordinators and helpers only; from
    one hour before the event starts."""
    # Lock the row alone (PostgreSQL refuses FOR UPDATE across the nullable participant join).
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    event = Event.objects.select_related("programme").get(pk=signup.event_id)
    signup.event = event
    if not may_record_attendance(actor, event):
        raise PermissionDenied
    if event.is_cancelled:
        raise ValidationError(_("The event is cancelled."))
    if timezone.now() < event.starts_at - dt.timedelta(hours=1):
        raise ValidationError(_("Attendance can be recorded from an hour before the event starts."))
    if signup.attended == attended:
        return signup
    signup.attended = attended
    signup.attendance_recorded_at = timezone.now()
    signup.attendance_recorded_by = actor
    signup.save(update_fields=["attended", "attendance_recorded_at", "attendance_recorded_by"])
    _audit_signup(
        actor,
        signup,
        events.arena_attendance,
        {**_signup_data(event, signup), "attended": attended},
        Action.UPDATE,
    )
    return signup


# --- helpers -------------------------------------------------------------------------------------


@transaction.atomic
def helper_add(*, actor: User, event: Event, user: User) -> Helper:
    _require_coordinator(actor, event.programme)
    if role_in_programme(user, event.programme_id) not in (
        Role.VOLUNTEER,
        Role.COORDINATOR,
        Role.PEER_WORKER,
    ):
        raise ValidationError(_("Only volunteers and staff of the programme can help at an event."))
    helper, created = Helper.objects.get_or_create(
        event=event,
        user=user,
        defaults={
            "organisation_id": event.organisation_id,
            "programme_id": event.programme_id,
            "added_by": actor,
        },
    )
    if created:
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=helper,
            event=events.HELPER_ADDED,
            data={"event_id": event.pk, "user_id": user.pk},
        )
    return helper


@transaction.atomic
def helper_remove(*, actor: User, helper: Helper) -> None:
    _require_coordinator(actor, helper.event.programme)
    audit_record(
        actor=actor,
        action=Action.DELETE,
        obj=helper,
        event=events.HELPER_REMOVED,
        data={"event_id": helper.event_id, "user_id": helper.user_id},
    )
    helper.delete()
