"""Defects found in review: each of these tests failed before its fix."""

import datetime as dt

from django.utils import timezone

from ettervern.followup.models import Agreement, Contact
from ettervern.followup.services import agreement_confirm, agreement_save
from ettervern.followup.tests.test_views import contact_data, contact_url
from ettervern.matching.services import match_end


def _agreement(personas, rhythm="Hver uke"):
    return agreement_save(
        actor=personas.peer_user,
        match=personas.match,
        goals=[],
        contact_kinds=["in_person", "phone"],
        rhythm=rhythm,
        availability="",
        joins_responsibility_group=False,
        review_on=timezone.localdate() + dt.timedelta(days=90),
    )


def test_saving_an_unchanged_agreement_keeps_the_version_and_its_confirmations(personas):
    first = _agreement(personas)
    agreement_confirm(actor=personas.peer_user, agreement=first, party="peer", version=1)
    again = _agreement(personas)
    assert again.pk == first.pk and Agreement.objects.count() == 1
    assert Agreement.objects.get().peer_confirmed_at is not None
    changed = _agreement(personas, rhythm="Hver dag")
    assert changed.version == 2 and changed.peer_confirmed_at is None


def test_double_submitted_agreement_form_makes_one_version(client, personas):
    client.force_login(personas.peer_user)
    url = f"/oppfolging/{personas.participant.pk}/avtale/"
    data = {
        "contact_kinds": ["phone"],
        "rhythm": "Hver uke",
        "review_on": (timezone.localdate() + dt.timedelta(days=60)).isoformat(),
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Agreement.objects.count() == 1


def test_contact_for_a_match_ended_meanwhile_gets_a_clear_message(client, personas):
    client.force_login(personas.peer_user)
    client.get(contact_url(personas.participant))  # the form is open on the phone
    match_end(actor=personas.coordinator, match=personas.match, end_reason="moved")
    response = client.post(contact_url(personas.participant), contact_data(note="Mitt notat"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Oppfølgingen med denne likepersonen er avsluttet" in body
    assert "Mitt notat" in body  # nothing typed is lost
    assert not Contact.objects.exists()
    # The coordinator gets the same message, not a 404.
    client.force_login(personas.coordinator)
    response = client.post(contact_url(personas.participant), contact_data())
    assert response.status_code == 400 and "er avsluttet" in response.content.decode()
    assert not Contact.objects.exists()
