"""The invitation flow: the mail, the one-time link, and what the link does in every state."""

import datetime as dt
import re

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import TEST_PASSWORD
from ettervern.accounts.models import Invitation, Membership, Role, User
from ettervern.audit.models import AuditEvent
from ettervern.orgadmin import services
from ettervern.web.tests.home import home_page

NEW_PASSWORD = "Et-langt-og-godt-passord-77"
LINK = re.compile(r"http://testserver/invitasjon/([\w-]+)/")


def invite(personas, email="ny.koordinator@a.test", role=Role.COORDINATOR, **kwargs):
    return services.invitation_create(
        actor=personas.admin,
        programme=personas.programme_a,
        role=role,
        email=email,
        name="Nina Ny",
        **kwargs,
    )


def token_of(message) -> str:
    return LINK.search(message.body).group(1)


def accept(client, token, password=NEW_PASSWORD):
    return client.post(f"/invitasjon/{token}/", {"password1": password, "password2": password})


def test_invitation_mail_is_norwegian_and_carries_a_working_one_time_link(client, personas):
    invitation = invite(personas, email="  Ny.Koordinator@A.test ")
    assert invitation.email == "ny.koordinator@a.test"
    [message] = mail.outbox
    assert message.to == ["ny.koordinator@a.test"]
    assert message.subject == "Invitasjon til Ettervern fra Organisasjon A"
    assert "Hei Nina Ny," in message.body
    assert "Organisasjon A inviterer deg til Ettervern som prosjektkoordinator" in message.body
    assert "Lenken virker én gang, til" in message.body
    assert "127.0.0.1" not in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and token_of(message) in html
    token = token_of(message)
    # Only a hash of the secret is stored.
    assert not Invitation.objects.filter(token_hash__contains=token).exists()
    page = client.get(f"/invitasjon/{token}/")
    assert page.status_code == 200
    assert "Velg et passord" in page.content.decode()
    response = accept(client, token)
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(email="ny.koordinator@a.test")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.check_password(NEW_PASSWORD) and user.name == "Nina Ny"
    assert Membership.objects.get(user=user).role == Role.COORDINATOR
    assert home_page(client).status_code == 200
    events = AuditEvent.objects.filter(object_type="accounts.invitation").order_by("pk")
    assert [e.data["event"] for e in events] == ["invitation_sent", "invitation_accepted"]


def test_opening_the_link_changes_nothing_before_the_form_is_sent(client, personas):
    invite(personas)
    client.get(f"/invitasjon/{token_of(mail.outbox[0])}/")
    assert not User.objects.filter(email="ny.koordinator@a.test").exists()


def test_a_weak_or_mismatched_password_is_refused_in_norwegian(client, personas):
    invite(personas)
    token = token_of(mail.outbox[0])
    response = accept(client, token, "12345678")
    assert response.status_code == 200
    assert "Passordet er for kort" in response.content.decode()
    response = client.post(
        f"/invitasjon/{token}/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}
    )
    assert "De to passordene er ikke like." in response.content.decode()
    assert not User.objects.filter(email="ny.koordinator@a.test").exists()


def test_a_used_link_cannot_be_used_again(client, personas):
    invite(personas)
    token = token_of(mail.outbox[0])
    accept(client, token)
    client.logout()
    response = accept(client, token, "Et-annet-passord-som-er-langt")
    assert response.status_code == 410
    assert "Invitasjonslenken er allerede brukt" in response.content.decode()
    user = User.objects.get(email="ny.koordinator@a.test")
    assert user.check_password(NEW_PASSWORD)
    assert "_auth_user_id" not in client.session


def test_an_expired_link_gives_a_clear_message(client, personas):
    invite(personas)
    token = token_of(mail.outbox[0])
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        response = client.get(f"/invitasjon/{token}/")
        assert response.status_code == 410
        assert "Invitasjonslenken er utløpt" in response.content.decode()
        assert accept(client, token).status_code == 410
    assert not User.objects.filter(email="ny.koordinator@a.test").exists()
    refused = AuditEvent.objects.filter(data__event="invitation_refused")
    assert {e.data["reason"] for e in refused} == {"expired"}


def test_the_link_works_until_just_before_it_expires(client, personas):
    invite(personas)
    token = token_of(mail.outbox[0])
    with time_machine.travel(timezone.now() + dt.timedelta(days=6, hours=23)):
        assert accept(client, token).status_code == 302


def test_a_revoked_link_gives_a_clear_message(client, personas):
    invitation = invite(personas)
    token = token_of(mail.outbox[0])
    services.invitation_revoke(actor=personas.admin, invitation=invitation)
    response = client.get(f"/invitasjon/{token}/")
    assert response.status_code == 410
    assert "Invitasjonen er trukket tilbake." in response.content.decode()
    assert accept(client, token).status_code == 410
    assert not User.objects.filter(email="ny.koordinator@a.test").exists()


def test_an_unknown_or_garbage_link_is_a_norwegian_404(client, db):
    for token in ("nope", "x" * 500, "%00"):
        response = client.get(f"/invitasjon/{token}/")
        assert response.status_code == 404
        assert "Invitasjonslenken er ikke gyldig" in response.content.decode()


def test_resend_makes_a_new_link_and_the_old_one_stops_working(client, personas):
    invitation = invite(personas)
    old = token_of(mail.outbox[0])
    services.invitation_resend(actor=personas.admin, invitation=invitation)
    new = token_of(mail.outbox[1])
    assert new != old
    assert client.get(f"/invitasjon/{old}/").status_code == 404
    assert accept(client, new).status_code == 302
    assert AuditEvent.objects.filter(data__event="invitation_resent").count() == 1


def test_staff_roles_are_sent_to_enrol_a_second_factor(client, personas, settings):
    settings.ETTERVERN_REQUIRE_2FA = True
    invite(personas)
    response = accept(client, token_of(mail.outbox[0]))
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # Straight to the enrolment form: no second password prompt right after choosing one.
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()


def test_a_participant_is_not_sent_to_enrol_a_second_factor(client, personas, settings):
    settings.ETTERVERN_REQUIRE_2FA = True
    services.participant_invitation_create(
        actor=personas.coordinator, participant=personas.waiting, email="ny.deltaker@a.test"
    )
    response = accept(client, token_of(mail.outbox[0]))
    assert response["Location"] == "/"


def test_an_existing_login_gets_the_membership_and_logs_in_as_before(client, personas):
    """Someone with a login in another organisation: the admin learns nothing, the person
    keeps their password, and the new organisation sees only its own membership."""
    other = personas.coordinator_b
    invitation = invite(personas, email=other.email)
    [message] = mail.outbox
    assert "Organisasjon B" not in message.body
    assert "logger inn med e-postadressen og passordet ditt som før" in message.body
    token = token_of(message)
    page = client.get(f"/invitasjon/{token}/").content.decode()
    assert "Du har allerede innlogging" in page
    assert "Organisasjon B" not in page and "password1" not in page
    response = client.post(f"/invitasjon/{token}/", {"password1": "ignored-ignored-1"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    other.refresh_from_db()
    assert other.check_password(TEST_PASSWORD)
    assert Membership.objects.get(user=other, organisation=personas.org_a).role == (
        Role.COORDINATOR
    )
    invitation.refresh_from_db()
    assert invitation.user == other
    # The admin's list shows the new membership only, never the other organisation's.
    client.force_login(personas.admin)
    body = client.get("/admin-org/").content.decode()
    assert other.email in body
    assert "Ut i jobb" not in body and "Organisasjon B" not in body


def test_only_admins_and_the_programmes_coordinators_may_invite(personas):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=personas.coordinator,
            programme=personas.programme_a,
            role=Role.ORG_ADMIN,
            email="x@a.test",
            name="X",
        )
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=personas.admin,
            programme=personas.programme_b,
            role=Role.COORDINATOR,
            email="x@a.test",
            name="X",
        )
    services.invitation_create(
        actor=personas.coordinator,
        programme=personas.programme_a,
        role=Role.PEER_WORKER,
        email="x@a.test",
        name="X",
    )
    assert len(mail.outbox) == 1


def test_a_second_pending_invitation_or_a_member_is_refused(personas):
    invite(personas)
    with pytest.raises(ValidationError, match="allerede en invitasjon"):
        invite(personas)
    with pytest.raises(ValidationError, match="allerede innlogging i tiltaket"):
        invite(personas, email=personas.peer_user.email)
    assert len(mail.outbox) == 1


def test_nobody_is_invited_to_an_archived_programme(personas):
    services.programme_archive(actor=personas.admin, programme=personas.programme_a)
    personas.programme_a.refresh_from_db()
    with pytest.raises(ValidationError, match="arkivert"):
        invite(personas)
    assert mail.outbox == []


def test_accepting_reopens_a_login_that_was_closed(client, personas):
    services.user_deactivate(
        actor=personas.admin, organisation=personas.org_a, user=personas.referrer
    )
    personas.admin._ettervern_memberships = None
    services.invitation_create(
        actor=personas.admin,
        programme=personas.programme_a,
        role=Role.REFERRER,
        email=personas.referrer.email,
        name="R",
    )
    client.post(f"/invitasjon/{token_of(mail.outbox[0])}/")
    personas.referrer.refresh_from_db()
    assert personas.referrer.is_active
    assert Membership.objects.get(user=personas.referrer).is_active


def test_a_logged_in_staff_user_without_a_second_factor_may_open_a_link(client, personas, settings):
    settings.ETTERVERN_REQUIRE_2FA = True
    assert not Authenticator.objects.exists()
    invite(personas)
    client.force_login(personas.coordinator)
    assert client.get(f"/invitasjon/{token_of(mail.outbox[0])}/").status_code == 200
