"""The one access answer: who may do what for a participant."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from ettervern.accounts.models import Membership, Role
from ettervern.audit.models import AuditEvent
from ettervern.matching import access
from ettervern.matching.access import Need, access_for, get_participant_for_user, participants_for
from ettervern.matching.services import follow_up_end


def names(qs):
    return sorted(p.name for p in qs)


def _end_match_days_ago(personas, days: int) -> None:
    with time_machine.travel(timezone.now() - dt.timedelta(days=days)):
        follow_up_end(
            actor=personas.coordinator, participant=personas.participant, end_reason="moved"
        )


def test_coordinator_sees_all_participants_of_their_programme_only(personas):
    assert names(participants_for(personas.coordinator)) == ["Dag Deltaker", "Vera Venter"]


def test_peer_sees_only_matched_participants(personas):
    assert names(participants_for(personas.peer_user)) == ["Dag Deltaker"]


def test_unmatched_peer_sees_nobody(personas):
    assert names(participants_for(personas.other_peer_user)) == []


@pytest.mark.parametrize("persona", ["employer", "referrer", "researcher", "admin"])
def test_roles_without_case_access_see_nobody(personas, persona):
    for need in Need:
        assert not participants_for(personas.user(persona), need).exists()


def test_participant_login_reads_own_record_but_never_follows_or_coordinates(personas):
    user = personas.participant_user
    assert names(participants_for(user, Need.READ)) == ["Dag Deltaker"]
    assert not participants_for(user, Need.FOLLOW).exists()
    assert not participants_for(user, Need.COORDINATE).exists()
    answer = access_for(user, personas.participant)
    assert answer.own_record and answer.read
    assert not (answer.follow or answer.see_notes or answer.log_contacts or answer.coordinate)
    assert answer.confirms_as == "participant"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("coordinator", {"read", "follow", "coordinate", "log_contacts", "see_notes"}),
        ("peer_user", {"read", "follow", "log_contacts", "see_notes", "edit_agreement"}),
        ("other_peer_user", set()),
        ("coordinator_b", set()),
        ("employer", set()),
        ("referrer", set()),
        ("researcher", set()),
        ("admin", set()),
    ],
)
def test_one_answer_per_role(personas, persona, expected):
    answer = access_for(personas.user(persona), personas.participant)
    for right in ("read", "follow", "coordinate", "log_contacts", "see_notes"):
        assert getattr(answer, right) == (right in expected), right
    if "edit_agreement" in expected:
        assert answer.edit_agreement


def test_employer_contact_and_referrer_are_named_but_may_not_read(personas):
    from ettervern.participants.services import referral_create

    referral = referral_create(
        actor=personas.referrer,
        programme=personas.programme_a,
        name="Rita Henvist",
        source="nav",
        wants_help_with="Bolig",
    )
    answer = access_for(personas.referrer, referral.participant)
    assert answer.referrer and not answer.read


def test_coordinator_of_other_organisation_cannot_open_participant(personas):
    with pytest.raises(Http404):
        get_participant_for_user(personas.coordinator_b, personas.participant.pk)
    assert AuditEvent.objects.filter(actor=personas.coordinator_b, action="denied").count() == 1


def test_read_is_audited_with_role_and_organisation_and_carries_the_answer(personas):
    participant = get_participant_for_user(personas.peer_user, personas.participant.pk)
    assert participant.access.current_peer and participant.access.match == personas.match
    event = AuditEvent.objects.get(action="read")
    assert event.actor == personas.peer_user
    assert event.actor_role == "peer_worker"
    assert event.organisation_id == personas.org_a.pk
    assert event.participant_id == personas.participant.pk


def test_peer_reads_for_a_grace_period_after_match_ended_but_cannot_write(personas):
    _end_match_days_ago(personas, 3)
    participant = get_participant_for_user(personas.peer_user, personas.participant.pk)
    assert participant.access.grace_peer
    assert participant.access.see_notes and not participant.access.log_contacts
    with pytest.raises(Http404):
        get_participant_for_user(personas.peer_user, personas.participant.pk, need=Need.FOLLOW)
    assert not participants_for(personas.peer_user, Need.CURRENT).exists()


def test_peer_loses_read_access_after_grace_period(personas):
    _end_match_days_ago(personas, personas.programme_a.peer_read_grace_days + 1)
    with pytest.raises(Http404):
        get_participant_for_user(personas.peer_user, personas.participant.pk)


def test_peer_whose_role_was_deactivated_loses_the_participant(personas):
    Membership.objects.filter(user=personas.peer_user, role=Role.PEER_WORKER).update(
        is_active=False
    )
    personas.peer_user._ettervern_memberships = None
    assert not participants_for(personas.peer_user).exists()
    assert not access_for(personas.peer_user, personas.participant).read


def test_services_check_the_answer_themselves(personas):
    from ettervern.followup.services import contact_log

    with pytest.raises(PermissionDenied):
        contact_log(actor=personas.other_peer_user, match=personas.match, kind="phone")
    with pytest.raises(PermissionDenied):
        contact_log(actor=personas.participant_user, match=personas.match, kind="phone")


def test_only_the_access_module_reads_the_grace_period_or_lists_current_states():
    """Nobody else decides access: the grace-period setting and the current match states are
    read in ``ettervern/matching/access.py`` only (the model declares them)."""
    from pathlib import Path

    root = Path(access.__file__).resolve().parents[1]
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if "/tests/" in rel or "/migrations/" in rel:
            continue
        if rel in ("matching/access.py", "matching/models.py", "accounts/models.py"):
            continue
        text = path.read_text()
        for needle in (r"peer_read_grace_days", r"Match\.CURRENT", r"[\[(]\"active\", \"paused\""):
            if re.search(needle, text):
                offenders.append(f"{rel}: {needle}")
    assert offenders == []


def test_attention_list_of_a_peer_whose_role_was_deactivated_names_nobody(personas):
    from ettervern.followup.selectors import attention_items

    personas.match.started_on = timezone.localdate() - dt.timedelta(days=60)
    personas.match.save(update_fields=["started_on"])  # no contact for 60 days: an item
    assert {i.participant_name for i in attention_items(personas.peer_user)} == {"Dag Deltaker"}
    Membership.objects.filter(user=personas.peer_user, role=Role.PEER_WORKER).update(
        is_active=False
    )
    personas.peer_user._ettervern_memberships = None
    assert attention_items(personas.peer_user) == []
