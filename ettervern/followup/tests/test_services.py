import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ettervern.audit.models import AuditEvent
from ettervern.followup.models import Agreement, Contact
from ettervern.followup.services import agreement_confirm, agreement_save, contact_log
from ettervern.matching.services import match_end, match_pause, match_resume
from ettervern.participants.models import Goal


def save_agreement(personas, actor=None, rhythm="Hver uke"):
    return agreement_save(
        actor=actor or personas.peer_user,
        match=personas.match,
        goals=[],
        contact_kinds=["in_person", "phone"],
        rhythm=rhythm,
        availability="Ikke etter 22:00",
        joins_responsibility_group=True,
        review_on=timezone.localdate() + dt.timedelta(days=90),
    )


def test_agreement_change_makes_new_version_and_confirmations_stay_with_the_old(personas):
    first = save_agreement(personas)
    agreement_confirm(actor=personas.peer_user, agreement=first, party="peer", version=1)
    agreement_confirm(
        actor=personas.participant_user, agreement=first, party="participant", version=1
    )
    first.refresh_from_db()
    assert first.confirmed_by_both
    assert first.participant_confirm_method == "own_login"
    second = save_agreement(personas, rhythm="To ganger i uken")
    assert second.version == 2
    assert second.participant_confirmed_at is None and second.peer_confirmed_at is None
    first.refresh_from_db()
    assert first.confirmed_by_both  # the earlier confirmations apply to version 1 only
    with pytest.raises(ValidationError):  # an old version cannot be confirmed any more
        agreement_confirm(actor=personas.peer_user, agreement=first, party="peer", version=1)


def test_participant_can_confirm_on_the_peers_phone(personas):
    agreement = save_agreement(personas)
    agreement_confirm(actor=personas.peer_user, agreement=agreement, party="participant", version=1)
    agreement.refresh_from_db()
    assert agreement.participant_confirm_method == "peer_device"


def test_only_the_matched_peer_confirms_for_the_peer(personas):
    agreement = save_agreement(personas)
    for user in (personas.coordinator, personas.other_peer_user, personas.participant_user):
        with pytest.raises(ValidationError):
            agreement_confirm(actor=user, agreement=agreement, party="peer", version=1)
    with pytest.raises(ValidationError):
        agreement_confirm(
            actor=personas.coordinator, agreement=agreement, party="participant", version=1
        )


def test_confirming_a_version_changed_meanwhile_is_refused(personas):
    first = save_agreement(personas)
    save_agreement(personas, rhythm="Annenhver uke")
    latest = Agreement.objects.get(match=personas.match, version=2)
    with pytest.raises(ValidationError):
        agreement_confirm(actor=personas.peer_user, agreement=latest, party="peer", version=1)
    assert first.version == 1


def test_agreement_refuses_review_date_in_past_and_foreign_goals(personas):
    with pytest.raises(ValidationError):
        agreement_save(
            actor=personas.peer_user,
            match=personas.match,
            goals=[],
            contact_kinds=["sms"],
            rhythm="x",
            review_on=timezone.localdate() - dt.timedelta(days=1),
        )
    goal = Goal.objects.create(
        organisation=personas.org_a,
        programme=personas.programme_a,
        participant=personas.waiting,
        life_area="health",
        description="Fastlege",
    )
    with pytest.raises(ValidationError):
        agreement_save(
            actor=personas.peer_user,
            match=personas.match,
            goals=[goal],
            contact_kinds=["sms"],
            rhythm="x",
            review_on=timezone.localdate(),
        )
    assert not Agreement.objects.exists()


def log(personas, **fields):
    values = {"actor": personas.peer_user, "match": personas.match, "kind": "phone"}
    values.update(fields)
    return contact_log(**values)


def test_double_submitted_contact_is_stored_once(personas):
    key = uuid.uuid4()
    first, created = log(personas, submission_key=key, note="Hemmelig notat")
    again, created_again = log(personas, submission_key=key, note="Hemmelig notat")
    assert created and not created_again and first.pk == again.pk
    assert Contact.objects.count() == 1
    event = AuditEvent.objects.get(data__event="contact_logged")
    assert "Hemmelig" not in str(event.data) + event.summary


def test_contact_for_ended_match_is_refused(personas):
    match_end(actor=personas.coordinator, match=personas.match, end_reason="moved")
    with pytest.raises(ValidationError) as exc:
        log(personas)
    assert exc.value.messages
    assert not Contact.objects.exists()


@pytest.mark.parametrize("minutes", [0, 24 * 60 + 1, 5000])
def test_contact_duration_must_be_within_a_day(personas, minutes):
    with pytest.raises(ValidationError):
        log(personas, duration_minutes=minutes)
    assert not Contact.objects.exists()


def test_held_contact_cannot_be_in_the_future_but_planned_can(personas):
    tomorrow = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        log(personas, occurred_at=tomorrow)
    contact, created = log(personas, occurred_at=tomorrow, outcome="planned")
    assert created and contact.outcome == "planned"


def test_contact_before_match_start_is_refused(personas):
    with pytest.raises(ValidationError):
        log(personas, occurred_at=timezone.now() - dt.timedelta(days=60))


def test_out_of_hours_is_derived(personas):
    saturday = timezone.make_aware(dt.datetime(2026, 11, 21, 12, 0))
    personas.match.started_on = dt.date(2026, 1, 1)
    personas.match.save()
    contact, _ = log(personas, occurred_at=saturday)
    assert contact.out_of_hours == "weekend"


def test_pause_keeps_the_match_and_resume_restores_it(personas):
    match_pause(actor=personas.coordinator, match=personas.match, reason="prison")
    personas.participant.refresh_from_db()
    personas.match.refresh_from_db()
    assert personas.participant.status == "paused" and personas.match.status == "paused"
    assert personas.match.peer == personas.peer
    # Contacts may still be logged while paused (e.g. a visit in prison).
    assert log(personas)[1]
    with pytest.raises(ValidationError):
        match_pause(actor=personas.coordinator, match=personas.match, reason="prison")
    match_resume(actor=personas.coordinator, match=personas.match)
    personas.participant.refresh_from_db()
    assert personas.participant.status == "matched"
    statuses = list(personas.participant.status_changes.values_list("to_status", flat=True))
    assert statuses[-2:] == ["paused", "matched"]


def test_resume_with_freed_slot_checks_capacity(personas):
    from conftest import make_match, make_participant

    match_pause(
        actor=personas.coordinator, match=personas.match, reason="hospital", frees_slot=True
    )
    for name in ("A", "B"):
        make_match(make_participant(personas.programme_a, name), personas.peer)
    with pytest.raises(ValidationError):
        match_resume(actor=personas.coordinator, match=personas.match)
    personas.participant.refresh_from_db()
    assert personas.participant.status == "paused"
