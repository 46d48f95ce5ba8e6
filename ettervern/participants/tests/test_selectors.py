import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from ettervern.audit.models import AuditEvent
from ettervern.participants.selectors import get_participant_for_user, participants_visible_to


def names(qs):
    return sorted(p.name for p in qs)


def test_coordinator_sees_all_participants_of_their_programme_only(personas):
    assert names(participants_visible_to(personas.coordinator)) == ["Dag Deltaker", "Vera Venter"]


def test_peer_sees_only_matched_participants(personas):
    assert names(participants_visible_to(personas.peer_user)) == ["Dag Deltaker"]


def test_unmatched_peer_sees_nobody(personas):
    assert names(participants_visible_to(personas.other_peer_user)) == []


@pytest.mark.parametrize("persona", ["employer", "referrer", "researcher", "admin"])
def test_roles_without_case_access_see_nobody(personas, persona):
    assert not participants_visible_to(personas.user(persona)).exists()


def test_participant_login_sees_only_own_record(personas):
    assert names(participants_visible_to(personas.participant_user)) == ["Dag Deltaker"]


def test_coordinator_of_other_organisation_cannot_open_participant(personas):
    with pytest.raises(Http404):
        get_participant_for_user(personas.coordinator_b, personas.participant.pk)
    assert AuditEvent.objects.filter(actor=personas.coordinator_b, action="denied").count() == 1


def test_read_is_audited_with_role_and_organisation(personas):
    get_participant_for_user(personas.peer_user, personas.participant.pk)
    event = AuditEvent.objects.get(action="read")
    assert event.actor == personas.peer_user
    assert event.actor_role == "peer_worker"
    assert event.organisation_id == personas.org_a.pk
    assert event.participant_id == personas.participant.pk


def test_peer_reads_for_a_grace_period_after_match_ended_but_cannot_write(personas):
    match = personas.match
    match.status = "ended"
    match.ended_on = timezone.localdate() - dt.timedelta(days=3)
    match.save()
    assert get_participant_for_user(personas.peer_user, personas.participant.pk)
    with pytest.raises(Http404):
        get_participant_for_user(personas.peer_user, personas.participant.pk, for_write=True)
    assert not participants_visible_to(personas.peer_user).exists()


def test_peer_loses_read_access_after_grace_period(personas):
    match = personas.match
    match.status = "ended"
    match.ended_on = timezone.localdate() - dt.timedelta(days=30)
    match.save()
    with pytest.raises(Http404):
        get_participant_for_user(personas.peer_user, personas.participant.pk)
