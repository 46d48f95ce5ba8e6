"""Issue 10: the coordinator invites a participant to an own login tied to her record; she
accepts on her phone, lands on her home and confirms her own agreement."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import make_match, make_participant, make_user
from ettervern.accounts.models import Invitation, Membership, Role
from ettervern.audit.models import AuditEvent
from ettervern.followup.models import Agreement
from ettervern.followup.services import agreement_save
from ettervern.orgadmin import selectors, services
from ettervern.web.tests.home import home_page

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Et-langt-og-godt-passord-77"
LINK = re.compile(r"https?://[^/\s]+(/invitasjon/[\w-]+/)")


def twin(personas, email="vera.tvilling@a.test"):
    """The waiting persona's twin: an email, a match and a follow-up agreement."""
    participant = make_participant(
        personas.programme_a, "Vera Tvilling", gender="female", email=email
    )
    match = make_match(participant, personas.other_peer)
    agreement = agreement_save(
        actor=personas.other_peer_user,
        match=match,
        goals=[],
        contact_kinds=["conversation"],
        rhythm="Hver torsdag",
        review_on=timezone.localdate() + dt.timedelta(days=60),
    )
    participant.refresh_from_db()
    return participant, agreement


def link_of(message) -> str:
    return LINK.search(message.body).group(1)


def invite_url(participant, name="own_login_invite"):
    return reverse(f"participants:{name}", kwargs={"participant_id": participant.pk})


# --- services -----------------------------------------------------------------------------


def test_the_invitation_is_tied_to_the_participant(personas):
    participant, _agreement = twin(personas)
    invitation = services.participant_invitation_create(
        actor=personas.coordinator, participant=participant
    )
    assert invitation.participant == participant
    assert invitation.role == Role.PARTICIPANT
    assert invitation.programme == participant.programme
    assert invitation.email == "vera.tvilling@a.test"
    [message] = mail.outbox
    assert message.to == ["vera.tvilling@a.test"]


def test_accepting_ties_the_login_to_the_record_and_audits_it(client, personas):
    participant, _agreement = twin(personas)
    services.participant_invitation_create(actor=personas.coordinator, participant=participant)
    response = client.post(
        link_of(mail.outbox[0]), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    participant.refresh_from_db()
    assert participant.user is not None
    assert participant.user.email == "vera.tvilling@a.test"
    assert Membership.objects.get(user=participant.user).role == Role.PARTICIPANT
    row = AuditEvent.objects.get(data__event="participant_login_linked")
    assert row.participant_id == participant.pk
    assert row.data["user_id"] == participant.user_id
    home = home_page(client).content.decode()
    assert "Hver torsdag" in home
    assert 'id="own-agreement-confirm"' in home


def test_accepting_refuses_when_the_record_got_another_login(client, personas):
    participant, _agreement = twin(personas)
    services.participant_invitation_create(actor=personas.coordinator, participant=participant)
    # Meanwhile the record was tied to someone else's login.
    type(participant).objects.filter(pk=participant.pk).update(user=personas.other_peer_user)
    response = client.post(
        link_of(mail.outbox[0]), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 200
    assert "har allerede en annen innlogging" in response.content.decode()
    participant.refresh_from_db()
    assert participant.user == personas.other_peer_user
    assert not Invitation.objects.filter(accepted_at__isnull=False).exists()


def test_a_login_of_another_participant_is_not_tied_to_a_second_record(client, personas):
    participant, _agreement = twin(personas)
    services.participant_invitation_create(actor=personas.coordinator, participant=participant)
    # The address's login is meanwhile tied to another participant's record.
    holder = make_user("vera.tvilling@a.test", "Vera Tvilling")
    type(participant).objects.filter(pk=personas.waiting.pk).update(user=holder)
    client.force_login(holder)
    response = client.post(link_of(mail.outbox[0]))
    assert response.status_code == 410
    assert "tilhører allerede en annen deltaker" in response.content.decode()
    participant.refresh_from_db()
    assert participant.user is None


def test_no_invitation_when_the_participant_has_a_login(personas):
    with pytest.raises(ValidationError, match="har allerede en innlogging"):
        services.participant_invitation_create(
            actor=personas.coordinator, participant=personas.participant
        )


def test_a_second_invitation_is_refused_and_the_same_form_twice_sends_one(personas):
    participant, _agreement = twin(personas)
    key = "7f1d5c0e-7a7e-4c4f-9f59-3b7f3c2f6a11"
    first = services.participant_invitation_create(
        actor=personas.coordinator, participant=participant, submission_key=key
    )
    again = services.participant_invitation_create(
        actor=personas.coordinator, participant=participant, submission_key=key
    )
    assert again == first and len(mail.outbox) == 1
    with pytest.raises(ValidationError, match="Send den heller på nytt"):
        services.participant_invitation_create(actor=personas.coordinator, participant=participant)


def test_a_peer_worker_may_not_invite(personas):
    participant, _agreement = twin(personas)
    with pytest.raises(PermissionDenied):
        services.participant_invitation_create(actor=personas.peer_user, participant=participant)


def test_the_admin_pages_cannot_make_a_participant_login_without_a_record(client, personas):
    with pytest.raises(ValidationError, match="deltakerens side"):
        services.invitation_create(
            actor=personas.admin,
            programme=personas.programme_a,
            role=Role.PARTICIPANT,
            email="foreldrelos@a.test",
            name="Uten Journal",
        )
    client.force_login(personas.admin)
    response = client.post(
        reverse("orgadmin:invite"),
        {
            "name": "Uten Journal",
            "email": "foreldrelos@a.test",
            "programme": personas.programme_a.pk,
            "role": Role.PARTICIPANT,
        },
    )
    assert response.status_code == 200
    assert "deltakerens side" in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


# --- views --------------------------------------------------------------------------------


def test_the_participant_page_offers_the_invitation_then_shows_it_pending(client, personas):
    participant, _agreement = twin(personas)
    client.force_login(personas.coordinator)
    page = client.get(reverse("participants:detail", kwargs={"participant_id": participant.pk}))
    html = page.content.decode()
    assert "Inviter til egen innlogging" in html and "vera.tvilling@a.test" in html
    response = client.post(invite_url(participant), {"email": "vera.tvilling@a.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    html = client.get(response["Location"]).content.decode()
    assert 'id="own-login-pending"' in html
    assert "Send på nytt" in html
    response = client.post(invite_url(participant, "own_login_resend"))
    assert response.status_code == 302 and len(mail.outbox) == 2
    response = client.post(invite_url(participant, "own_login_revoke"))
    assert response.status_code == 302
    assert not selectors.pending_for_participant(participant)
    html = client.get(response["Location"]).content.decode()
    assert "Inviter til egen innlogging" in html


def test_the_form_asks_for_an_email_when_the_record_has_none(client, personas):
    participant, _agreement = twin(personas, email="")
    client.force_login(personas.coordinator)
    response = client.post(invite_url(participant), {"email": "ikke-en-adresse"})
    assert response.status_code == 200
    assert "Skriv inn en gyldig e-postadresse." in response.content.decode()
    response = client.post(invite_url(participant), {"email": ""})
    assert response.status_code == 200
    assert "Skriv inn deltakerens e-postadresse." in response.content.decode()
    response = client.post(invite_url(participant), {"email": "vera@example.test"})
    assert response.status_code == 302
    assert mail.outbox[0].to == ["vera@example.test"]


def test_double_submit_sends_one_invitation(client, personas):
    participant, _agreement = twin(personas)
    client.force_login(personas.coordinator)
    data = {
        "email": "vera.tvilling@a.test",
        "submission_key": "0b8e0f4a-2d3c-4b5a-8c9d-1e2f3a4b5c6d",
    }
    assert client.post(invite_url(participant), data).status_code == 302
    assert client.post(invite_url(participant), data).status_code == 302
    assert Invitation.objects.filter(participant=participant).count() == 1
    assert len(mail.outbox) == 1


def test_a_participant_with_a_login_gets_a_norwegian_refusal(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(invite_url(personas.participant), {"email": "dag@a.test"})
    assert response.status_code == 200
    assert "Deltakeren har allerede en innlogging." in response.content.decode()
    page = client.get(
        reverse("participants:detail", kwargs={"participant_id": personas.participant.pk})
    ).content.decode()
    assert "Har egen innlogging" in page and "Inviter til egen innlogging" not in page


def test_another_organisations_participant_is_a_404(client, personas):
    client.force_login(personas.coordinator)
    for name in ("own_login_invite", "own_login_resend", "own_login_revoke"):
        response = client.post(invite_url(personas.participant_b, name), {"email": "x@b.test"})
        assert response.status_code == 404
    assert not mail.outbox


def test_a_peer_worker_sees_no_invitation_and_may_not_send_one(client, personas):
    client.force_login(personas.peer_user)
    page = client.get(
        reverse("participants:detail", kwargs={"participant_id": personas.participant.pk})
    ).content.decode()
    assert "own-login" not in page
    response = client.post(invite_url(personas.participant), {"email": "x@a.test"})
    assert response.status_code == 404


def test_resend_without_a_pending_invitation_says_so(client, personas):
    participant, _agreement = twin(personas)
    client.force_login(personas.coordinator)
    response = client.post(invite_url(participant, "own_login_resend"), follow=True)
    assert "Deltakeren har ingen invitasjon som venter." in response.content.decode()


# --- on a phone ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_invited_on_the_participant_page_she_confirms_her_agreement_on_a_phone(
    page, live_server, login, personas
):
    participant, agreement = twin(personas)
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(5000)
    login(page, personas.coordinator)
    page.goto(f"{live_server.url}/deltakere/{participant.pk}/")
    page.get_by_role("button", name="Inviter til egen innlogging").click()
    page.wait_for_load_state()
    assert page.locator("#own-login-pending").is_visible()
    [message] = mail.outbox
    # She opens the link on her own phone: a fresh browser session.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{link_of(message)}")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Lagre passord og logg inn").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/") == live_server.url
    card = page.locator("#own-agreement")
    assert "Hver torsdag" in card.inner_text()
    button = page.get_by_role("button", name="Jeg bekrefter avtalen")
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    button.click()
    page.wait_for_load_state()
    assert page.locator("#own-agreement-confirmed").is_visible()
    agreement.refresh_from_db()
    assert agreement.participant_confirm_method == Agreement.ConfirmMethod.OWN_LOGIN
    participant.refresh_from_db()
    assert participant.user.email == "vera.tvilling@a.test"
