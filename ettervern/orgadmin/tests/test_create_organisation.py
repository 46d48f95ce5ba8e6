"""A hosting operator creates an organisation with one command; its admin is invited."""

import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from ettervern.accounts.models import Invitation, Membership, Organisation, Role, User
from ettervern.audit.models import AuditEvent


def test_command_creates_the_organisation_a_programme_and_invites_the_admin(client, db, capsys):
    call_command(
        "create_organisation",
        "--name=A-larm Bergen",
        "--slug=alarm-bergen",
        "--admin-email=Leder@Alarm.test",
        "--admin-name=Lise Leder",
        "--site-url=https://ettervern.example.org/",
    )
    organisation = Organisation.objects.get(slug="alarm-bergen")
    invitation = Invitation.objects.get(organisation=organisation)
    assert (invitation.role, invitation.email) == (Role.ORG_ADMIN, "leder@alarm.test")
    assert invitation.programme.name == "A-larm Bergen"
    assert "leder@alarm.test" in capsys.readouterr().out
    [message] = mail.outbox
    assert message.subject == "Invitasjon til Ettervern fra A-larm Bergen"
    assert "som administrator i A-larm Bergen" in message.body
    token = re.search(r"https://ettervern\.example\.org/invitasjon/([\w-]+)/", message.body)[1]
    password = "Et-langt-og-godt-passord-77"
    response = client.post(f"/invitasjon/{token}/", {"password1": password, "password2": password})
    assert response.status_code == 302
    admin = User.objects.get(email="leder@alarm.test")
    assert Membership.objects.get(user=admin).role == Role.ORG_ADMIN
    assert client.get("/admin-org/").status_code == 200
    assert AuditEvent.objects.filter(
        organisation_id=organisation.pk, data__event="organisation_created"
    ).exists()


def test_command_refuses_a_slug_in_use(personas):
    with pytest.raises(CommandError, match="finnes allerede"):
        call_command(
            "create_organisation",
            "--name=Kopi",
            "--slug=org-a",
            "--admin-email=x@x.test",
            "--admin-name=X",
        )
    assert mail.outbox == []
    assert Organisation.objects.filter(slug="org-a").count() == 1
