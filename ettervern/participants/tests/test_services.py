import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import make_participant
from ettervern.audit.models import AuditEvent
from ettervern.matching.models import Match
from ettervern.participants import services
from ettervern.participants.models import Consent, Participant, StatusChange
from ettervern.participants.selectors import (
    duplicate_ids,
    possible_duplicates,
    research_participants,
    time_in_states,
    timeline,
)


def refer(personas, name="Nina Ny", **extra):
    fields = {"source": "nav", "wants_help_with": "Bolig og nettverk", "birth_year": 1990}
    fields.update(extra)
    return services.referral_create(
        actor=personas.coordinator, programme=personas.programme_a, name=name, **fields
    )


def test_referral_creates_referred_participant_with_history_and_audit(personas):
    referral = refer(personas, transition="release", transition_date=timezone.localdate())
    participant = referral.participant
    assert participant.status == "referred"
    assert participant.transition == "release"
    assert list(participant.status_changes.values_list("to_status", flat=True)) == ["referred"]
    events = set(
        AuditEvent.objects.filter(participant=participant).values_list("data__event", flat=True)
    )
    assert "referral_received" in events


def test_legal_transitions_walk_the_state_machine(personas):
    participant = refer(personas).participant
    services.participant_set_status(
        actor=personas.coordinator, participant=participant, to="intake"
    )
    services.consent_give(
        actor=personas.coordinator,
        participant=participant,
        purpose="follow_up",
        method="written",
        text_version="2026-1",
    )
    services.participant_set_status(
        actor=personas.coordinator, participant=participant, to="waiting"
    )
    participant.refresh_from_db()
    assert participant.status == "waiting"
    steps = list(participant.status_changes.values_list("from_status", "to_status"))
    assert steps == [("", "referred"), ("referred", "intake"), ("intake", "waiting")]
    expected = [Participant.Status(s).label for s in ("referred", "intake", "waiting")]
    assert [label for label, _ in time_in_states(participant)] == expected


def test_illegal_transition_is_refused_with_a_clear_message_and_nothing_written(personas):
    participant = refer(personas).participant
    with pytest.raises(ValidationError) as exc:
        services.participant_set_status(
            actor=personas.coordinator, participant=participant, to="waiting"
        )
    assert "kan ikke gå fra" in exc.value.messages[0] or "cannot go from" in exc.value.messages[0]
    assert participant.status_changes.count() == 1
    participant.refresh_from_db()
    assert participant.status == "referred"


def test_matched_is_not_a_manual_step(personas):
    with pytest.raises(ValidationError):
        services.participant_set_status(
            actor=personas.coordinator, participant=personas.waiting, to="matched"
        )


def test_waiting_list_requires_consent_to_follow_up(personas):
    participant = refer(personas).participant
    services.participant_set_status(
        actor=personas.coordinator, participant=participant, to="intake"
    )
    with pytest.raises(ValidationError):
        services.participant_set_status(
            actor=personas.coordinator, participant=participant, to="waiting"
        )


def test_consent_cannot_be_given_twice_or_in_the_future(personas):
    with pytest.raises(ValidationError):
        services.consent_give(
            actor=personas.coordinator,
            participant=personas.waiting,
            purpose="follow_up",
            method="oral",
            text_version="2026-1",
        )
    with pytest.raises(ValidationError):
        services.consent_give(
            actor=personas.coordinator,
            participant=personas.waiting,
            purpose="research",
            method="oral",
            text_version="2026-1",
            given_at=timezone.now() + dt.timedelta(days=2),
        )


def test_withdrawn_research_consent_removes_person_from_research_exports(personas):
    services.consent_give(
        actor=personas.coordinator,
        participant=personas.waiting,
        purpose="research",
        method="written",
        text_version="2026-1",
    )
    assert list(research_participants(personas.programme_a.pk)) == [personas.waiting]
    services.consent_withdraw(
        actor=personas.coordinator, participant=personas.waiting, purpose="research"
    )
    assert not research_participants(personas.programme_a.pk).exists()
    consent = Consent.objects.get(participant=personas.waiting, purpose="research")
    assert consent.withdrawn_at is not None
    # Giving it again is as easy as the first time.
    services.consent_give(
        actor=personas.coordinator,
        participant=personas.waiting,
        purpose="research",
        method="digital",
        text_version="2026-2",
    )
    assert research_participants(personas.programme_a.pk).exists()


def test_without_follow_up_consent_a_participant_cannot_be_matched(personas):
    from ettervern.matching.services import match_create

    services.consent_withdraw(
        actor=personas.coordinator, participant=personas.waiting, purpose="follow_up"
    )
    with pytest.raises(ValidationError):
        match_create(
            actor=personas.coordinator, participant=personas.waiting, peer=personas.other_peer
        )
    assert not Match.objects.filter(participant=personas.waiting).exists()


def test_possible_duplicates_are_flagged_never_merged(personas):
    first = refer(personas, name="Ola Nordmann", birth_year=1980).participant
    second = refer(personas, name="ola  nordmann", birth_year=1980).participant
    by_phone = refer(personas, name="Helt Annen", phone="+47 912 34 567").participant
    other = refer(personas, name="Ola Nordmann", birth_year=1981).participant
    assert possible_duplicates(second, user=personas.coordinator) == [first]
    assert possible_duplicates(by_phone, user=personas.coordinator) == [
        personas.participant
    ]  # same phone, 91234567
    assert possible_duplicates(other, user=personas.coordinator) == []
    assert duplicate_ids([first, second, by_phone, other], user=personas.coordinator) == {
        first.pk,
        second.pk,
        by_phone.pk,
    }
    assert Participant.objects.filter(name__iexact="ola nordmann").count() == 3


def test_goal_progress_is_audited_without_the_note_text(personas):
    goal = services.goal_create(
        actor=personas.peer_user,
        participant=personas.participant,
        life_area="housing",
        description="Egen leilighet",
    )
    services.goal_update(
        actor=personas.peer_user, goal=goal, status="reached", note="Fikk nøkkelen i dag"
    )
    goal.refresh_from_db()
    assert goal.status == "reached" and goal.notes.count() == 1
    event = AuditEvent.objects.get(data__event="goal_progress")
    assert "nøkkelen" not in str(event.data) + event.summary
    texts = [row["text"] for row in timeline(personas.participant)]
    assert any("Housing" in t or "Bolig" in t for t in texts)


def test_end_without_match_needs_a_reason(personas):
    participant = refer(personas).participant
    with pytest.raises(ValidationError):
        services.participant_end(actor=personas.coordinator, participant=participant, end_reason="")
    change = services.participant_end(
        actor=personas.coordinator,
        participant=participant,
        end_reason="declined",
        summary="Ønsket ikke oppfølging nå",
        next_steps="NAV følger opp",
        can_come_back=True,
    )
    assert change.to_status == "ended" and change.can_come_back
    assert StatusChange.objects.filter(participant=participant, to_status="ended").count() == 1


def test_end_with_current_match_ends_the_match_too(personas):
    from ettervern.matching.services import follow_up_end

    with pytest.raises(ValidationError):  # the match's state is changed by the match only
        services.participant_end(
            actor=personas.coordinator, participant=personas.participant, end_reason="moved"
        )
    follow_up_end(
        actor=personas.coordinator, participant=personas.participant, end_reason="goals_reached"
    )
    personas.match.refresh_from_db()
    assert personas.match.status == "ended" and personas.match.ended_on is not None
    personas.participant.refresh_from_db()
    assert personas.participant.status == "ended"


def test_wish_and_other_service_add_remove(personas):
    wish = services.wish_add(
        actor=personas.coordinator,
        participant=personas.waiting,
        kind="gender",
        value="female",
        must=True,
    )
    assert wish.value_label in ("Woman", "Kvinne")
    services.wish_remove(actor=personas.coordinator, participant=personas.waiting, wish_id=wish.pk)
    with pytest.raises(ValidationError):
        services.wish_remove(
            actor=personas.coordinator, participant=personas.waiting, wish_id=wish.pk
        )
    service = services.other_service_add(
        actor=personas.coordinator, participant=personas.waiting, kind="gp", contact="Dr. Berg"
    )
    # Another participant's row cannot be removed through this one.
    with pytest.raises(ValidationError):
        services.other_service_remove(
            actor=personas.coordinator, participant=personas.participant, service_id=service.pk
        )


def test_make_participant_fixture_still_works(personas):
    assert make_participant(personas.programme_a, "X").status == "waiting"
