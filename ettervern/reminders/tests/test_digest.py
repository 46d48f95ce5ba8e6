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
    # Two contacts (not next week's), "no contact lately" and the questionnaire due at start.
    assert text.count("H.H.") == 4
    assert "Ingen kontakt på en stund" in text
    assert "Spørreskjemaer som skal fylles ut\n- H.H.: BARC-10 er forsinket" in text
    link = f"http://testserver/deltakere/{story.hanne.pk}/"
    assert link in text and f'href="{link}"' in html
    _assert_no_names_or_notes(message, "Hanne Hemmelig", "Dag Deltaker")
    row = DigestSent.objects.get(user=personas.other_peer_user)
    assert (row.day, row.lines) == (dt.date(2027, 3, 10), 4)
    sent = AuditEvent.objects.get(data__event="digest_sent")
    assert sent.data == {"event": "digest_sent", "day": "2027-03-10", "lines": 4}


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
    hanne_late = f"attention_new:no_contact:{story.hanne.pk}"
    siv_late = f"attention_new:no_contact:{siv.pk}"
    with time_machine.travel(MORNING, tick=False):
        first = build_digest(user=coordinator, day=MORNING.date())
        assert send_due_digests() == 1
    keys = {line.key for s in first.sections for line in s.lines}
    assert hanne_late in keys and siv_late not in keys
    with time_machine.travel(MORNING + dt.timedelta(days=1), tick=False):
        second = build_digest(
            user=coordinator,
            day=MORNING.date() + dt.timedelta(days=1),
            previously_seen=DigestSent.objects.get(user=coordinator, day=first.day).seen,
        )
        assert send_due_digests() == 1
    keys = {line.key for s in second.sections for line in s.lines}
    assert siv_late in keys
    assert hanne_late not in keys  # already in yesterday's digest
    assert "S.S.: Ingen kontakt på en stund" in mail.outbox[-1].body
    _assert_no_names_or_notes(
        mail.outbox[-1], "Siv Sivertsen", "Hanne Hemmelig", "Dag Deltaker", "Vera Venter"
    )
    with time_machine.travel(MORNING + dt.timedelta(days=2), tick=False):
        third = build_digest(
            user=coordinator,
            day=MORNING.date() + dt.timedelta(days=2),
            previously_seen=DigestSent.objects.get(user=coordinator, day=second.day).seen,
        )
        send_due_digests()
    keys = {line.key for s in third.sections for line in s.lines}
    assert not {hanne_late, siv_late} & keys  # nothing new about them; the day counts
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
    """A section is one entry whose items have participant_id, participant_name and text (as
    the outcomes app's ``Due``)."""
    from ettervern.accounts.models import Role
    from ettervern.reminders import digest

    @dataclass
    class Due:
        participant_id: int
        participant_name: str
        text: str

    due = Due(story.hanne.pk, story.hanne.name, "BARC-10 due")
    extra = digest.Section(
        "example",
        "Example",
        roles=frozenset({Role.PEER_WORKER}),
        items=lambda user, day: [due],
    )
    monkeypatch.setattr(digest, "SECTIONS", [*digest.SECTIONS, extra])
    with time_machine.travel(MORNING, tick=False):
        built = build_digest(user=personas.other_peer_user, day=MORNING.date())
    [section] = [s for s in built.sections if s.code == "example"]
    assert [(line.initials, line.text) for line in section.lines] == [("H.H.", "BARC-10 due")]
