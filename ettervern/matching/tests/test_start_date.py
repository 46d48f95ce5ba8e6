"""A match registered late: it starts on the day the pair began, and contacts since count."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import make_participant
from ettervern.followup.services import contact_log
from ettervern.matching import services
from ettervern.matching.models import Match

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
REFERRED = dt.datetime(2026, 11, 24, 10, 0, tzinfo=OSLO)
TODAY = dt.datetime(2026, 12, 1, 14, 0, tzinfo=OSLO)


@pytest.fixture
def late(personas, time_machine):
    """Siri was referred on 24 November; today (1 December) the coordinator registers the
    match that began on 26 November."""
    time_machine.move_to(REFERRED, tick=False)
    siri = make_participant(personas.programme_a, "Siri Sen", gender="female")
    time_machine.move_to(TODAY, tick=False)
    return siri


def _at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=OSLO)


def test_a_match_registered_late_lets_the_peer_log_the_contacts_already_held(personas, late):
    match = services.match_create(
        actor=personas.coordinator,
        participant=late,
        peer=personas.other_peer,
        started_on=dt.date(2026, 11, 26),
    )
    assert match.started_on == dt.date(2026, 11, 26)
    contact, created = contact_log(
        actor=personas.other_peer_user, match=match, kind="phone", occurred_at=_at(27)
    )
    assert created and timezone.localdate(contact.occurred_at) == dt.date(2026, 11, 27)
    with pytest.raises(ValidationError) as refused:
        contact_log(actor=personas.other_peer_user, match=match, kind="phone", occurred_at=_at(25))
    assert refused.value.messages == [
        "Oppfølgingen startet 26.11.2026. En kontakt kan ikke dateres tidligere."
    ]


def test_a_start_in_the_future_is_refused(personas, late):
    with pytest.raises(ValidationError) as refused:
        services.match_create(
            actor=personas.coordinator,
            participant=late,
            peer=personas.other_peer,
            started_on=dt.date(2026, 12, 2),
        )
    assert refused.value.messages == ["Startdatoen kan ikke være fram i tid."]
    assert not Match.objects.filter(participant=late).exists()


@pytest.mark.parametrize("day", [dt.date(2026, 11, 23), dt.date(1, 1, 1)])
def test_a_start_before_the_referral_is_refused(personas, late, day):
    with pytest.raises(ValidationError) as refused:
        services.match_create(
            actor=personas.coordinator, participant=late, peer=personas.other_peer, started_on=day
        )
    assert refused.value.messages == [
        "Koblingen kan ikke starte før deltakeren ble henvist (24.11.2026)."
    ]
    late.refresh_from_db()
    assert late.status == "waiting"


def test_the_referral_day_itself_is_a_valid_start(personas, late):
    match = services.match_create(
        actor=personas.coordinator,
        participant=late,
        peer=personas.other_peer,
        started_on=dt.date(2026, 11, 24),
    )
    assert match.started_on == dt.date(2026, 11, 24)


def test_without_a_start_date_the_match_starts_today(personas, late):
    match = services.match_create(
        actor=personas.coordinator, participant=late, peer=personas.other_peer
    )
    assert match.started_on == dt.date(2026, 12, 1)


def test_the_manual_match_form_takes_the_start_date(client, personas, late):
    client.force_login(personas.coordinator)
    url = f"/deltakere/{late.pk}/kobling/"
    assert 'type="date"' in client.get(url).content.decode()
    response = client.post(url, {"peer": personas.other_peer.pk, "started_on": "2026-11-20"})
    assert response.status_code == 200
    assert "Koblingen kan ikke starte før deltakeren ble henvist (24.11.2026)." in (
        response.content.decode()
    )
    response = client.post(url, {"peer": personas.other_peer.pk, "started_on": "2026-11-26"})
    assert response.status_code == 302
    assert Match.objects.get(participant=late).started_on == dt.date(2026, 11, 26)


def test_confirming_a_proposal_takes_the_start_date(client, personas, late):
    proposal = services.match_propose(
        actor=personas.coordinator, participant=late, peer=personas.other_peer
    )
    client.force_login(personas.coordinator)
    page = client.get(f"/deltakere/{late.pk}/").content.decode()
    assert 'name="started_on"' in page
    url = f"/matching/forslag/{proposal.pk}/bekreft/"
    response = client.post(url, {"started_on": "2026-12-05"}, follow=True)
    assert "Startdatoen kan ikke være fram i tid." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
    client.post(url, {"started_on": "2026-11-28"})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.started_on) == ("active", dt.date(2026, 11, 28))
