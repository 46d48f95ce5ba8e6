import datetime as dt
import uuid

import pytest
from django.utils import timezone

from ettervern.audit.models import AuditEvent
from ettervern.followup.models import Agreement, Contact
from ettervern.followup.services import contact_log
from ettervern.matching.services import match_end
from ettervern.web.tests.home import home_page


def contact_url(p):
    return f"/oppfolging/{p.pk}/kontakt/"


def contact_data(**extra):
    data = {
        "kind": "phone",
        # Yesterday at noon: in the past, after the match started, and a wall time that exists
        # once (not "now", which on the night daylight saving ends may be ambiguous).
        "occurred_at": f"{timezone.localdate() - dt.timedelta(days=1):%Y-%m-%d}T12:00",
        "duration_minutes": "30",
        "outcome": "held",
        "initiative": "peer",
        "note": "Snakket om boligen",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def test_peer_logs_a_contact_and_a_double_submit_stores_it_once(client, personas):
    client.force_login(personas.peer_user)
    form = client.get(contact_url(personas.participant)).content.decode()
    assert 'type="datetime-local"' in form and 'name="submission_key"' in form
    data = contact_data()
    assert client.post(contact_url(personas.participant), data).status_code == 302
    assert client.post(contact_url(personas.participant), data).status_code == 302
    assert Contact.objects.count() == 1
    assert AuditEvent.objects.filter(data__event="contact_logged").count() == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"duration_minutes": "1500"}, "mer enn 24 timer"),
        ({"duration_minutes": "0"}, "minst ett minutt"),
        ({"occurred_at": "2099-01-01T10:00"}, "eller tidligere"),
        ({"occurred_at": "2001-01-01T10:00"}, "eller senere"),
        ({"occurred_at": "0001-01-01T10:00"}, "eller senere"),
        ({"occurred_at": "i går"}, "Skriv inn dato og klokkeslett"),
    ],
)
def test_bad_contact_input_gets_a_norwegian_message(client, personas, extra, message):
    client.force_login(personas.peer_user)
    response = client.post(contact_url(personas.participant), contact_data(**extra))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contact.objects.exists()


def test_contact_page_for_ended_match_says_so_and_stores_nothing(client, personas):
    match_end(actor=personas.coordinator, match=personas.match, end_reason="moved")
    client.force_login(personas.peer_user)
    response = client.get(contact_url(personas.participant), follow=True)
    assert response.redirect_chain[-1][0] == f"/deltakere/{personas.participant.pk}/"
    assert "Oppfølgingen med denne likepersonen er avsluttet" in response.content.decode()
    assert client.post(contact_url(personas.participant), contact_data()).status_code == 400
    assert not Contact.objects.exists()
    # After the grace period the page is gone altogether.
    personas.programme_a.peer_read_grace_days = 0
    personas.programme_a.save()
    from ettervern.matching.models import Match

    Match.objects.filter(pk=personas.match.pk).update(
        ended_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert client.get(contact_url(personas.participant)).status_code == 404


@pytest.mark.parametrize("persona", ["other_peer_user", "participant_user", "coordinator_b"])
def test_others_cannot_log_contacts(client, personas, persona):
    client.force_login(personas.user(persona))
    assert client.post(contact_url(personas.participant), contact_data()).status_code == 404
    assert not Contact.objects.exists()


def test_wrong_method_on_confirm(client, personas):
    client.force_login(personas.peer_user)
    assert client.get(f"/oppfolging/{personas.participant.pk}/avtale/bekreft/").status_code == 405


def test_notes_are_visible_to_peer_and_coordinator_only(client, personas):
    contact_log(actor=personas.peer_user, match=personas.match, kind="phone", note="Hemmelig notat")
    url = f"/deltakere/{personas.participant.pk}/"
    for persona in ("peer_user", "coordinator"):
        client.force_login(personas.user(persona))
        assert "Hemmelig notat" in client.get(url).content.decode()
    client.force_login(personas.participant_user)
    body = client.get(url).content.decode()
    assert "Telefon" in body and "Hemmelig notat" not in body
    client.force_login(personas.other_peer_user)
    assert client.get(url).status_code == 404
    assert "Hemmelig" not in str(list(AuditEvent.objects.values_list("summary", "data")))


def test_agreement_made_then_confirmed_by_both(client, personas):
    client.force_login(personas.peer_user)
    url = f"/oppfolging/{personas.participant.pk}/avtale/"
    review = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    response = client.post(url, {"contact_kinds": [], "rhythm": "", "review_on": review})
    assert response.status_code == 200 and "Velg minst én kontaktform" in response.content.decode()
    data = {
        "contact_kinds": ["phone", "outdoors"],
        "rhythm": "Hver uke",
        "availability": "Ikke etter 22:00",
        "joins_responsibility_group": "on",
        "review_on": review,
    }
    assert client.post(url, data).status_code == 302
    confirm = url + "bekreft/"
    client.post(confirm, {"party": "peer", "version": "1"})
    client.force_login(personas.participant_user)
    page = client.get(f"/deltakere/{personas.participant.pk}/").content.decode()
    assert "Jeg bekrefter avtalen" in page
    client.post(confirm, {"party": "participant", "version": "1"})
    agreement = Agreement.objects.get()
    assert agreement.confirmed_by_both and agreement.participant_confirm_method == "own_login"
    # The participant's own login cannot change the agreement.
    assert client.post(url, data).status_code == 404
    assert Agreement.objects.count() == 1


def test_home_pages_show_attention_items(client, personas):
    client.force_login(personas.peer_user)
    body = home_page(client).content.decode()
    assert "Trenger oppfølging" in body and "Ingen kontakt på 30 dager" in body
    client.force_login(personas.coordinator)
    assert "Ingen kontakt på 30 dager" in home_page(client).content.decode()
