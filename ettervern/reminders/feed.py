"""The personal calendar feed (iCalendar, RFC 5545), built with the ``icalendar`` library.

Events carry initials, a time, a place where one is recorded and a link: never a name, a
note, a contact's kind (it may say "went along to the therapist") or a meeting's content."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from ettervern.accounts.models import Role, User
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.employment.models import Meeting
from ettervern.followup.models import Contact
from ettervern.matching.access import Need, participants_for
from ettervern.peers.models import GroupSupervision
from ettervern.reminders.digest import initials, participant_url

# How far back the feed keeps events (a calendar keeps what it has already shown).
PAST_DAYS = 30


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    summary: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    location: str = ""
    url: str = ""


def feed_events(user: User, *, now: dt.datetime | None = None) -> list[FeedEvent]:
    """The user's planned contacts (as the peer worker), the triangle meetings of the
    participants they follow, and the group supervisions of their programmes."""
    now = now or timezone.now()
    since = timezone.localdate(now) - dt.timedelta(days=PAST_DAYS)
    events: list[FeedEvent] = []
    contacts = (
        Contact.objects.filter(
            peer__user=user,
            outcome=Contact.Outcome.PLANNED,
            occurred_at__gte=now - dt.timedelta(days=PAST_DAYS),
            participant__in=participants_for(user, Need.READ),
        )
        .select_related("participant")
        .only("occurred_at", "duration_minutes", "participant__name")
        .order_by("occurred_at")
    )
    for c in contacts:
        events.append(
            FeedEvent(
                uid=f"contact-{c.pk}@ettervern",
                summary=_("Contact with %(initials)s") % {"initials": initials(c.participant.name)},
                start=c.occurred_at,
                end=c.occurred_at + dt.timedelta(minutes=c.duration_minutes or 60),
                url=participant_url(c.participant_id),
            )
        )
    meetings = (
        Meeting.objects.filter(
            status=Meeting.Status.PLANNED,
            scheduled_for__gte=since,
            placement__participant__in=participants_for(user, Need.FOLLOW),
        )
        .select_related("placement__participant", "placement__company")
        .order_by("scheduled_for", "pk")
    )
    for m in meetings:
        participant = m.placement.participant
        events.append(
            FeedEvent(
                uid=f"meeting-{m.pk}@ettervern",
                summary=_("Triangle meeting, %(initials)s")
                % {"initials": initials(participant.name)},
                start=m.scheduled_for,
                end=m.scheduled_for + dt.timedelta(days=1),
                location=m.placement.company.name,
                url=participant_url(participant.pk),
            )
        )
    programme_ids = programme_ids_for_role(user, Role.PEER_WORKER, Role.COORDINATOR)
    for g in GroupSupervision.objects.filter(
        programme_id__in=programme_ids, held_on__gte=since
    ).order_by("held_on", "pk"):
        events.append(
            FeedEvent(
                uid=f"group-supervision-{g.pk}@ettervern",
                summary=_("Group supervision"),
                start=g.held_on,
                end=g.held_on + dt.timedelta(days=1),
            )
        )
    return events


def to_ical(events: list[FeedEvent], *, name: str, now: dt.datetime | None = None) -> bytes:
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//Ettervern//Kalender//NB")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for e in events:
        event = Event()
        event.add("uid", e.uid)
        event.add("dtstamp", now)
        event.add("dtstart", e.start)
        event.add("dtend", e.end)
        event.add("summary", e.summary)
        if e.location:
            event.add("location", e.location)
        if e.url:
            event.add("url", e.url)
        calendar.add_component(event)
    return calendar.to_ical()
