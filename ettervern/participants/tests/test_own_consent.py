"""The participant gives and withdraws their own consents with their own login."""

import pytest

from ettervern.audit.models import AuditEvent
from ettervern.participants.models import Consent
from ettervern.web.tests.home import home_page

GIVE, WITHDRAW = "/deltakere/meg/samtykke/gi/", "/deltakere/meg/samtykke/trekk/"


def active(personas, purpose):
    return Consent.objects.filter(
        participant=personas.participant, purpose=purpose, withdrawn_at__isnull=True
    )


def test_home_shows_own_consents_with_withdraw_and_give(client, personas):
    client.force_login(personas.participant_user)
    body = home_page(client).content.decode()
    assert "Mine samtykker" in body
    assert f"{WITHDRAW}?purpose=follow_up" in body
    assert f"{GIVE}?purpose=research" in body and f"{WITHDRAW}?purpose=research" not in body


def test_participant_withdraws_follow_up_after_confirming_and_a_resend_is_harmless(
    client, personas
):
    client.force_login(personas.participant_user)
    page = client.get(WITHDRAW, {"purpose": "follow_up"})
    assert page.status_code == 200 and "Ja, trekk samtykket mitt" in page.content.decode()
    assert active(personas, "follow_up").exists()  # the confirm page changes nothing
    response = client.post(WITHDRAW, {"purpose": "follow_up"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert not active(personas, "follow_up").exists()
    again = client.post(WITHDRAW, {"purpose": "follow_up"}, follow=True)
    assert "Du har allerede trukket dette samtykket" in again.content.decode()
    event = AuditEvent.objects.get(data__event="consent_withdrawn")
    assert event.actor == personas.participant_user
    assert event.participant_id == personas.participant.pk
    body = home_page(client).content.decode()
    assert f"{GIVE}?purpose=follow_up" in body


def test_participant_gives_consent_digitally_with_the_current_text_version(client, personas):
    client.force_login(personas.participant_user)
    assert "Ja, jeg gir samtykke" in client.get(GIVE, {"purpose": "research"}).content.decode()
    assert client.post(GIVE, {"purpose": "research"}).status_code == 302
    assert client.post(GIVE, {"purpose": "research"}).status_code == 302
    consent = active(personas, "research").get()
    assert (consent.method, consent.text_version) == ("digital", "2026-1")
    assert consent.recorded_by == personas.participant_user
    assert AuditEvent.objects.filter(data__event="consent_given", actor__isnull=False).count() == 1


@pytest.mark.parametrize(
    "persona", ["coordinator", "peer_user", "other_peer_user", "referrer", "coordinator_b"]
)
def test_only_the_participant_themself_may_use_it(client, personas, persona):
    client.force_login(personas.user(persona))
    for url in (GIVE, WITHDRAW):
        assert client.get(url, {"purpose": "follow_up"}).status_code == 404
        assert client.post(url, {"purpose": "follow_up"}).status_code == 404
    assert active(personas, "follow_up").exists()
    assert not AuditEvent.objects.filter(
        data__event__startswith="consent_", actor__isnull=False
    ).exists()


def test_a_participant_login_without_a_record_gets_404(client, personas):
    personas.participant.user = None
    personas.participant.save()
    client.force_login(personas.participant_user)
    assert client.post(WITHDRAW, {"purpose": "follow_up"}).status_code == 404
    assert active(personas, "follow_up").exists()


def test_unknown_purpose_and_wrong_method(client, personas):
    client.force_login(personas.participant_user)
    assert client.post(WITHDRAW, {"purpose": "everything"}).status_code == 404
    assert client.put(WITHDRAW).status_code == 405
    assert client.delete(GIVE).status_code == 405
