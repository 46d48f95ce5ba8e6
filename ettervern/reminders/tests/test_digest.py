"""The daily digest: what is due, initials and links only, once a day in the chosen hour."""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from conftest import make_match, make_participant
from ettervern.audit.models import AuditEvent
from ettervern.reminders.digest import build_digest, initials
from ettervern.reminders.models import DigestSent
from ettervern.reminders.services import reminder_settings_update, send_due_digests
from ettervern.reminders.tests.conftest import MORNING, NOTE

pytestmark = pytest.mark.django_db


def _bodies(message) -> list[str]:
    return [message.body, *(content for content, _mime in message.alternatives)]


def _assert_no_names_or_notes(message, *names):
    for body in [message.subject, *_bodies(message)]:
        for name in names:
            for part in name.split():
                assert not re.search(rf"\b{re.escape(part)}\b", body), (part, body)
        assert NOTE not in body
        assert "terapeut" not in body.lower()  # the contact's kind may be a health detail


def test_initials_keep_only_first_letters():
    assert initials("Hanne Hemmelig") == "H.H."
    assert initials("  dag ola   deltaker ") == "D.O.D."
    assert initials("") == "–"


def test_peer_digest_lists_todays_and_tomorrows_contacts_and_who_lacks_contact(personas, story):
    reminder_settings_update(actor=personas.other_peer_user, digest_enabled=True, digest_hour=7)
    with time_machine.travel(MORNING, tick=False):
        assert send_due_digests() == 1
    [message] = mail.outbox
    assert message.to == [personas.other_peer_user.email]
    text, html = message.body, message.alternatives[0][0]
    assert "Planlagt kontakt i dag kl. 14:00" in text
    assert "Planlagt kontakt i morgen kl. 10:30" in text
    assert text.count("H.H.") == 3  # two contacts (not next week's) and "no contact lately"
    assert "Ingen kontakt på en stund" in text
    link = f"http://testserver/deltakere/{story.hanne.pk}/"
    assert link in text and f'href="{link}"' in html
    _assert_no_names_or_notes(message, "Hanne Hemmelig", "Dag Deltaker")
    row = DigestSent.objects.get(user=personas.other_peer_user)
    assert (row.day, row.lines) == (dt.date(2027, 3, 10), 3)
    sent = AuditEvent.objects.get(data__event="digest_sent")
    assert sent.data == {"event": "digest_sent", "day": "2027-03-10", "lines": 3}


def test_two_runs_in_the_same_hour_send_once_and_other_hours_send_nothing(personas, story):
    reminder_settings_update(actor=personas.other_peer_user, digest_enabled=True, digest_hour=7)
    with time_machine.travel(MORNING - dt.timedelta(hours=1), tick=False):
        call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []
    for minutes in (0, 30):
        with time_machine.travel(MORNING + dt.timedelta(minutes=minutes), tick=False):
            call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    with time_machine.travel(MORNING + dt.timedelta(days=1), tick=False):
        assert send_due_digests() == 1
    assert len(mail.outbox) == 2


def test_digest_off_sends_nothing(personas, story):
    reminder_settings_update(actor=personas.other_peer_user, digest_enabled=False, digest_hour=7)
    with time_machine.travel(MORNING, tick=False):
        assert send_due_digests() == 0
    assert mail.outbox == []


def test_a_failed_mail_is_tried_again_in_the_next_run(personas, story, monkeypatch):
    reminder_settings_update(actor=personas.other_peer_user, digest_enabled=True, digest_hour=7)

    def refuse(self, *args, **kwargs):
        raise OSError("mail server down")

    with time_machine.travel(MORNING, tick=False):
        monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
        assert send_due_digests() == 0
        monkeypatch.undo()
        assert not DigestSent.objects.exists()
        assert send_due_digests() == 1
    assert len(mail.outbox) == 1


def test_coordinator_digest_names_only_what_is_new_since_the_last(personas, story):
    coordinator = personas.coordinator
    reminder_settings_update(actor=coordinator, digest_enabled=True, digest_hour=7)
    # Siv is matched 13 days before MORNING: "no contact" from tomorrow (the alert is 14 days).
    with time_machine.travel(MORNING - dt.timedelta(days=13), tick=False):
        siv = make_participant(personas.programme_a, "Siv Sivertsen", gender="female")
        make_match(siv, personas.other_peer)
    with time_machine.travel(MORNING, tick=False):
        first = build_digest(user=coordinator, day=MORNING.date())
        assert send_due_digests() == 1
    lines = [line for s in first.sections for line in s.lines]
    assert "H.H." in {line.initials for line in lines}
    assert "S.S." not in {line.initials for line in lines}
    with time_machine.travel(MORNING + dt.timedelta(days=1), tick=False):
        assert send_due_digests() == 1
    second = mail.outbox[-1]
    assert "S.S." in second.body
    assert "H.H." not in second.body  # already in yesterday's digest
    _assert_no_names_or_notes(second, "Siv Sivertsen", "Hanne Hemmelig", "Dag Deltaker")
    with time_machine.travel(MORNING + dt.timedelta(days=2), tick=False):
        send_due_digests()  # nothing new about Hanne or Siv; the day counts
    for later in mail.outbox[2:]:  # (Dag's items depend on the day the personas were made)
        assert "H.H." not in later.body and "S.S." not in later.body
    assert DigestSent.objects.filter(user=coordinator).count() == 3


def test_users_without_a_staff_role_get_no_digest(personas, story):
    reminder_settings_update(actor=personas.participant_user, digest_enabled=True, digest_hour=7)
    with time_machine.travel(MORNING, tick=False):
        assert send_due_digests() == 0


def test_the_command_needs_the_sites_address_for_its_links(settings, personas):
    settings.ETTERVERN_SITE_URL = ""
    with pytest.raises(CommandError, match="ETTERVERN_SITE_URL"):
        call_command("send_digests")


def test_a_registered_section_adds_its_items_with_initials_only(personas, story, monkeypatch):
    """How the lead adds "questionnaires due": one entry whose items have participant_id,
    participant_name and text (the outcomes app's ``Due`` has them)."""
    from ettervern.accounts.models import Role
    from ettervern.reminders import digest

    @dataclass
    class Due:
        participant_id: int
        participant_name: str
        text: str

    due = Due(story.hanne.pk, story.hanne.name, "BARC-10 due")
    extra = digest.Section(
        "questionnaires_due",
        "Questionnaires due",
        roles=frozenset({Role.PEER_WORKER}),
        items=lambda user, day: [due],
    )
    monkeypatch.setattr(digest, "SECTIONS", [*digest.SECTIONS, extra])
    with time_machine.travel(MORNING, tick=False):
        built = build_digest(user=personas.other_peer_user, day=MORNING.date())
    [section] = [s for s in built.sections if s.code == "questionnaires_due"]
    assert [(line.initials, line.text) for line in section.lines] == [("H.H.", "BARC-10 due")]
