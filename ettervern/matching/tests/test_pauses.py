"""A peer worker's pause: covers who may read and log contacts during it and not after, bad input
in Norwegian, and the one-status rule (her participants stay matched with her)."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import make_match, make_participant, make_peer, make_user, member
from ettervern.accounts.models import Role
from ettervern.followup.models import Contact
from ettervern.followup.services import contact_log
from ettervern.matching import access, pauses
from ettervern.matching.access import Need
from ettervern.matching.models import PauseCover, PeerPause
from ettervern.participants.models import Participant
from ettervern.peers.models import PeerWorker

# Wednesday 10 February 2027, 11:00 in Oslo.
WEDNESDAY = dt.datetime(2027, 2, 10, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2027, 2, 10)


@pytest.fixture
def at_wednesday(db, request):
    with time_machine.travel(WEDNESDAY, tick=False) as traveller:
        personas = request.getfixturevalue("personas")
        personas.traveller = traveller
        yield personas


def start(personas, *, covers=None, **kw):
    fields = {
        "reason": PeerPause.Reason.ILLNESS,
        "starts_on": TODAY,
        "expected_return_on": TODAY + dt.timedelta(days=21),
    }
    fields.update(kw)
    return pauses.pause_start(
        actor=personas.coordinator, peer=personas.peer, covers=covers or {}, **fields
    )


def test_cover_peer_reads_and_logs_during_the_pause_and_not_after(at_wednesday, client):
    personas = at_wednesday
    dag, olga = personas.participant, personas.other_peer_user
    assert not access.access_for(olga, dag).read
    pause = start(personas, covers={dag.pk: personas.other_peer})

    answer = access.access_for(olga, dag)
    assert answer.read and answer.log_contacts and answer.cover_peer
    assert not answer.follow and not answer.edit_agreement and not answer.coordinate
    assert list(access.participants_for(olga, Need.COVER)) == [dag]
    assert dag in access.participants_for(olga, Need.READ)
    assert dag not in access.participants_for(olga, Need.FOLLOW)
    contact, _ = contact_log(actor=olga, match=personas.match, kind="phone", duration_minutes=30)
    # Her hours, the paused peer's match.
    assert contact.peer == personas.other_peer and contact.match == personas.match
    # The participant stays matched with the paused peer: one status.
    dag.refresh_from_db()
    assert dag.status == Participant.Status.MATCHED
    personas.peer.refresh_from_db()
    assert personas.peer.resource_status == PeerWorker.ResourceStatus.PAUSED

    client.force_login(olga)
    page = reverse("participants:detail", kwargs={"participant_id": dag.pk})
    text = client.get(page).content.decode()
    assert "Olga Likeperson dekker til ca. 03.03.2027" in text
    assert "Sykdom" not in text  # the reason is the coordinator's
    form = reverse("followup:contact_new", kwargs={"participant_id": dag.pk})
    data = {
        "occurred_at": "2027-02-10T09:00",
        "duration_minutes": "45",
        "kind": "conversation",
        "outcome": "held",
        "initiative": "peer",
        "note": "",
        "submission_key": str(uuid.uuid4()),
    }
    assert client.post(form, data).status_code == 302
    assert Contact.objects.filter(peer=personas.other_peer).count() == 2
    # Another organisation's participant stays a 404 for the cover.
    other = reverse("participants:detail", kwargs={"participant_id": personas.participant_b.pk})
    assert client.get(other).status_code == 404

    pauses.pause_end(actor=personas.coordinator, pause=pause)
    assert not access.access_for(olga, dag).read
    assert client.get(page).status_code == 404
    assert client.post(form, {**data, "submission_key": str(uuid.uuid4())}).status_code == 404
    with pytest.raises(PermissionDenied):  # the service checks for itself
        contact_log(actor=olga, match=personas.match, kind="phone")
    personas.peer.refresh_from_db()
    assert personas.peer.resource_status == PeerWorker.ResourceStatus.ACTIVE


def test_cover_of_a_future_pause_gives_no_access_before_it_starts(at_wednesday):
    personas = at_wednesday
    start(
        personas,
        starts_on=TODAY + dt.timedelta(days=7),
        covers={personas.participant.pk: personas.other_peer},
    )
    assert not access.access_for(personas.other_peer_user, personas.participant).read
    personas.traveller.shift(dt.timedelta(days=7))
    assert access.access_for(personas.other_peer_user, personas.participant).log_contacts


def test_a_pause_that_ends_before_it_starts_is_refused_in_norwegian(at_wednesday):
    personas = at_wednesday
    with pytest.raises(ValidationError, match="Pausen kan ikke slutte før den begynner"):
        start(personas, expected_return_on=TODAY - dt.timedelta(days=1))
    assert not PeerPause.objects.exists()
    personas.peer.refresh_from_db()
    assert personas.peer.resource_status == PeerWorker.ResourceStatus.ACTIVE


def test_reactivating_through_the_status_form_ends_the_pause_and_the_covers(at_wednesday, client):
    personas = at_wednesday
    pause = start(personas, covers={personas.participant.pk: personas.other_peer})
    client.force_login(personas.coordinator)
    url = reverse("peers:status", kwargs={"peer_id": personas.peer.pk})
    assert client.post(url, {"status": "active"}).status_code == 302
    pause.refresh_from_db()
    assert pause.status == PeerPause.Status.ENDED
    assert not access.access_for(personas.other_peer_user, personas.participant).read


def test_a_paused_cover_is_refused_and_nothing_is_half_written(at_wednesday):
    personas = at_wednesday
    personas.other_peer.resource_status = PeerWorker.ResourceStatus.PAUSED
    personas.other_peer.save(update_fields=["resource_status"])
    with pytest.raises(ValidationError, match="ikke aktiv i ressursbasen"):
        start(personas, covers={personas.participant.pk: personas.other_peer})
    assert not PeerPause.objects.exists() and not PauseCover.objects.exists()
    personas.peer.refresh_from_db()
    assert personas.peer.resource_status == PeerWorker.ResourceStatus.ACTIVE


def test_a_full_cover_is_refused(at_wednesday):
    personas = at_wednesday
    personas.other_peer.max_participants = 1
    personas.other_peer.save(update_fields=["max_participants"])
    make_match(make_participant(personas.programme_a, "Siv Sør"), personas.other_peer)
    with pytest.raises(ValidationError, match="så mange deltakere som mulig"):
        start(personas, covers={personas.participant.pk: personas.other_peer})


def test_covers_count_against_capacity(at_wednesday):
    personas = at_wednesday
    siv = make_participant(personas.programme_a, "Siv Sør")
    make_match(siv, personas.peer)
    personas.other_peer.max_participants = 1
    personas.other_peer.save(update_fields=["max_participants"])
    with pytest.raises(ValidationError, match="så mange deltakere som mulig"):
        start(
            personas,
            covers={personas.participant.pk: personas.other_peer, siv.pk: personas.other_peer},
        )


def test_a_cover_without_the_course_or_from_another_organisation_is_refused(at_wednesday):
    personas = at_wednesday
    novice_user = make_user("ny@a.test", "Nina Ny")
    member(novice_user, personas.programme_a, Role.PEER_WORKER)
    novice = make_peer(novice_user, personas.programme_a, course_completed_on=None)
    with pytest.raises(ValidationError, match="ikke fullført likepersonkurset"):
        start(personas, covers={personas.participant.pk: novice})
    with pytest.raises(ValidationError):
        start(personas, covers={personas.participant.pk: personas.peer_b})


def test_the_peer_asks_and_the_coordinator_approves(at_wednesday):
    personas = at_wednesday
    pause = pauses.pause_request(
        actor=personas.peer_user,
        peer=personas.peer,
        reason=PeerPause.Reason.OWN_RECOVERY,
        starts_on=TODAY,
        expected_return_on=TODAY + dt.timedelta(days=14),
    )
    assert pause.status == PeerPause.Status.REQUESTED
    with pytest.raises(ValidationError):  # one open pause at a time
        pauses.pause_request(
            actor=personas.peer_user,
            peer=personas.peer,
            reason=PeerPause.Reason.HOLIDAY,
            starts_on=TODAY,
            expected_return_on=TODAY + dt.timedelta(days=3),
        )
    with pytest.raises(ValidationError):  # someone else cannot ask for her
        pauses.pause_request(
            actor=personas.other_peer_user,
            peer=personas.peer,
            reason=PeerPause.Reason.HOLIDAY,
            starts_on=TODAY,
            expected_return_on=TODAY,
        )
    pauses.pause_approve(
        actor=personas.coordinator,
        pause=pause,
        covers={personas.participant.pk: personas.other_peer},
    )
    assert access.access_for(personas.other_peer_user, personas.participant).log_contacts


def test_views_for_the_pause(at_wednesday, client):
    personas = at_wednesday
    client.force_login(personas.peer_user)
    peer_page = reverse("peers:detail", kwargs={"peer_id": personas.peer.pk})
    assert "Be om pause" in client.get(peer_page).content.decode()
    ask = reverse("matching:pause_request", kwargs={"peer_id": personas.peer.pk})
    bad = {"reason": "holiday", "starts_on": "2027-02-20", "expected_return_on": "2027-02-10"}
    client.post(ask, bad)
    assert "Pausen kan ikke slutte før den begynner" in client.get(peer_page).content.decode()
    assert not PeerPause.objects.exists()
    good = {**bad, "expected_return_on": "2027-03-01", "submission_key": str(uuid.uuid4())}
    assert client.post(ask, good).status_code == 302
    pause = PeerPause.objects.get()
    # The reason is for the coordinator: the peer's page does not show it.
    assert "Ferie" not in client.get(peer_page).content.decode()
    # The peer cannot decide her own request; another organisation's coordinator gets a 404.
    decide = reverse("matching:pause", kwargs={"pause_id": pause.pk})
    assert client.get(decide).status_code == 404
    client.force_login(personas.coordinator_b)
    assert client.get(decide).status_code == 404

    client.force_login(personas.coordinator)
    assert "Ferie" in client.get(peer_page).content.decode()
    field = f"cover_{personas.participant.pk}"
    response = client.post(decide, {"action": "approve", field: "9223372036854775808"})
    assert response.status_code == 400
    response = client.post(decide, {"action": "approve", field: str(personas.other_peer.pk)})
    assert response.status_code == 302
    pause.refresh_from_db()
    assert pause.status == PeerPause.Status.APPROVED
    assert pause.covers.get().cover == personas.other_peer


def test_coordinator_start_form_refuses_bad_dates_with_400(at_wednesday, client):
    personas = at_wednesday
    client.force_login(personas.coordinator)
    url = reverse("matching:pause_start", kwargs={"peer_id": personas.peer.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"reason": "other", "starts_on": "2027-02-10", "expected_return_on": "2027-02-01"}
    )
    assert response.status_code == 400
    assert "Pausen kan ikke slutte før den begynner" in response.content.decode()
    assert not PeerPause.objects.exists()
    assert timezone.localdate() == TODAY
