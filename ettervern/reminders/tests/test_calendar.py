"""The calendar feed: a secret address per user, read by an independent iCalendar parser;
a wrong or revoked address is a 404, audited; no names or health details in the events."""

import datetime as dt
import re

import pytest
import time_machine
import vobject

from ettervern.audit.models import AuditEvent
from ettervern.employment.services import meeting_schedule
from ettervern.employment.tests.factories import jobs
from ettervern.peers.services import group_supervision_create
from ettervern.reminders.models import CalendarToken
from ettervern.reminders.tests.conftest import MORNING, NOTE

pytestmark = pytest.mark.django_db


def _new_link(client) -> str:
    client.post("/varsler/kalender/ny/")
    page = client.get("/varsler/").content.decode()
    [link] = re.findall(r'value="(http://testserver/varsler/kalender/[^"]+\.ics)"', page)
    # Shown once: the next visit does not show it again.
    assert link not in client.get("/varsler/").content.decode()
    return link.removeprefix("http://testserver")


def test_the_feed_opens_in_a_calendar_client_with_initials_only(client, personas, story):
    job = jobs(personas)
    with time_machine.travel(MORNING, tick=False):
        group_supervision_create(
            actor=personas.coordinator,
            programme=personas.programme_a,
            held_on=MORNING.date() + dt.timedelta(days=3),
            theme="Grenser",
        )
        client.force_login(personas.other_peer_user)
        url = _new_link(client)
        client.logout()
        response = client.get(url)  # a calendar client has no session
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    calendar = vobject.readOne(body)
    events = {e.uid.value: e for e in calendar.vevent_list}
    contact = events[f"contact-{story.today.pk}@ettervern"]
    assert contact.summary.value == "Kontakt med H.H."
    assert contact.dtstart.value == MORNING.replace(hour=14, minute=0)
    assert contact.dtend.value - contact.dtstart.value == dt.timedelta(hours=1)
    assert contact.url.value == f"http://testserver/deltakere/{story.hanne.pk}/"
    assert f"contact-{story.later.pk}@ettervern" in events
    group = [e for e in events.values() if e.summary.value == "Fellesveiledning"]
    assert [g.dtstart.value for g in group] == [MORNING.date() + dt.timedelta(days=3)]
    # Olga follows Hanne only: Dag's triangle meeting (Per is his advisor) is not hers.
    assert not any(uid.startswith("meeting-") for uid in events)
    for secret in ("Hanne", "Hemmelig", "Dag", "Deltaker", NOTE, "terapeut"):
        assert secret not in body
    read = AuditEvent.objects.get(data__event="calendar_feed_read")
    assert read.actor == personas.other_peer_user
    assert read.data["events"] == len(events)
    # Per is Dag's advisor: his feed has the triangle meeting, at the workplace.
    with time_machine.travel(MORNING, tick=False):
        meeting = meeting_schedule(
            actor=personas.coordinator,
            placement=job.placement,
            # Within the placement, which the personas started relative to the real today.
            scheduled_for=max(
                MORNING.date() + dt.timedelta(days=5),
                job.placement.started_on + dt.timedelta(days=1),
            ),
        )
        client.force_login(personas.peer_user)
        url = _new_link(client)
        body = client.get(url).content.decode()
    [found] = [
        e
        for e in vobject.readOne(body).vevent_list
        if e.uid.value == f"meeting-{meeting.pk}@ettervern"
    ]
    assert found.summary.value == "Trekantmøte, D.D."
    assert found.dtstart.value == meeting.scheduled_for
    assert found.location.value == job.placement.company.name
    assert "Dag" not in body and "Deltaker" not in body


def test_a_wrong_address_is_a_404_and_audited(client, personas):
    response = client.get("/varsler/kalender/not-a-real-secret.ics")
    assert response.status_code == 404
    denied = AuditEvent.objects.get(action=AuditEvent.Action.DENIED)
    assert denied.object_type == "reminders.calendar_feed"
    assert denied.object_id == "unknown"


def test_a_revoked_or_replaced_address_stops_working_and_is_audited(client, personas):
    client.force_login(personas.peer_user)
    first = _new_link(client)
    second = _new_link(client)  # a new address replaces the old
    assert CalendarToken.objects.filter(user=personas.peer_user).count() == 2
    client.logout()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    client.force_login(personas.peer_user)
    client.post("/varsler/kalender/stopp/")
    client.logout()
    assert client.get(second).status_code == 404
    denied = AuditEvent.objects.filter(
        action=AuditEvent.Action.DENIED, object_type="reminders.calendar_feed"
    )
    assert [d.object_id.split(":")[0] for d in denied] == ["revoked", "revoked"]
    events = AuditEvent.objects.filter(actor=personas.peer_user).values_list(
        "data__event", flat=True
    )
    assert list(events).count("calendar_link_created") == 2
    assert "calendar_link_revoked" in events


def test_only_the_hash_of_the_secret_is_stored(client, personas):
    client.force_login(personas.peer_user)
    url = _new_link(client)
    secret = url.rsplit("/", 1)[1].removesuffix(".ics")
    row = CalendarToken.objects.get(user=personas.peer_user)
    assert secret not in row.token_hash and len(row.token_hash) == 64
    assert not AuditEvent.objects.filter(data__icontains=secret).exists()


def test_only_staff_have_the_page(client, personas):
    client.force_login(personas.participant_user)
    assert client.get("/varsler/").status_code == 404
    assert client.post("/varsler/kalender/ny/").status_code == 404
    assert not CalendarToken.objects.exists()
