"""allauth's password-reset mail, in bokmål and under the site's name (not the host's)."""

from django.core import mail


def test_password_reset_mail_is_norwegian_and_names_ettervern(client, personas):
    response = client.post("/accounts/password/reset/", {"email": personas.coordinator.email})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "Ettervern: Velg nytt passord"
    assert message.body.startswith("Hei fra Ettervern,")
    assert "velge nytt passord for innloggingen din i Ettervern" in message.body
    assert "http://testserver/accounts/password/reset/key/" in message.body
    assert "Vennlig hilsen\nEttervern" in message.body
    assert "testserver" not in message.subject + message.body.replace(
        "http://testserver/accounts/", ""
    )
