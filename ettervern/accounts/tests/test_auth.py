import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings

from conftest import TEST_PASSWORD
from ettervern.accounts.models import User
from ettervern.web.tests.home import home_page

ROOT = Path(__file__).resolve().parents[3]


def login(client, email, password=TEST_PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_login_page_is_norwegian(client, db):
    body = client.get("/accounts/login/").content.decode()
    assert "Logg inn i Ettervern" in body
    assert '<label for="id_login">E-post</label>' in body


def test_coordinator_logs_in_with_email(client, personas):
    response = login(client, "koordinator@a.test")
    assert response.status_code == 302
    assert home_page(client).status_code == 200


def test_wrong_password_gives_norwegian_message(client, personas):
    response = login(client, "koordinator@a.test", "wrong-password-123")
    assert response.status_code == 200
    assert "E-postadressen og/eller passordet du oppgav er feil." in response.content.decode()


def test_repeated_failures_lock_the_account(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "koordinator@a.test", "wrong-password-123").status_code == 200
    response = login(client, "koordinator@a.test", "wrong-password-123")
    assert response.status_code == 429
    assert "For mange mislykkede innloggingsforsøk" in response.content.decode()
    login(client, "koordinator@a.test")  # even the right password is refused now
    assert "_auth_user_id" not in client.session


def test_demo_accounts_are_refused_when_demo_logins_are_off(client, db, settings):
    User.objects.create_user("demo@x.test", TEST_PASSWORD, name="Demo", is_demo=True)
    settings.ETTERVERN_ALLOW_DEMO_LOGINS = False
    assert login(client, "demo@x.test").status_code == 200  # form re-rendered with an error
    assert "_auth_user_id" not in client.session
    settings.ETTERVERN_ALLOW_DEMO_LOGINS = True
    assert login(client, "demo@x.test").status_code == 302


def test_signup_is_closed(client, db):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert "Registrering stengt" in response.content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "peer_user", "admin", "researcher"])
def test_staff_roles_must_enrol_second_factor_when_required(client, personas, settings, persona):
    settings.ETTERVERN_REQUIRE_2FA = True
    client.force_login(personas.user(persona))
    response = client.get("/deltakere/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get(f"/deltakere/{personas.participant.pk}/").status_code == 302


def test_staff_with_totp_reach_case_data(client, personas, settings):
    settings.ETTERVERN_REQUIRE_2FA = True
    Authenticator.objects.create(
        user=personas.coordinator, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    client.force_login(personas.coordinator)
    assert client.get("/deltakere/").status_code == 200


def test_participant_login_is_not_forced_to_enrol(client, personas, settings):
    settings.ETTERVERN_REQUIRE_2FA = True
    client.force_login(personas.participant_user)
    assert home_page(client).status_code == 200


def test_second_factor_is_not_required_in_development_by_default(client, personas, settings):
    settings.ETTERVERN_REQUIRE_2FA = False
    client.force_login(personas.coordinator)
    assert client.get("/deltakere/").status_code == 200


def test_argon2_is_the_password_hasher_of_the_project_settings():
    import config.settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.AUTH_USER_MODEL == "accounts.User"


def _production_env(**extra) -> dict:
    skip = ("DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(
        DEBUG="false",
        SECRET_KEY="a-very-long-production-secret-key-for-the-check-0123456789-abcdefghijk",
        ALLOWED_HOSTS="ettervern.example.org",
        DATABASE_URL="sqlite:////tmp/ettervern-deploy-check.sqlite3",
        DJANGO_SETTINGS_MODULE="config.settings",
        **extra,
    )
    return env


def test_deploy_check_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "-m", "ettervern.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_turn_on_second_factor_and_refuse_demo_logins():
    code = (
        "from django.conf import settings as s;"
        "print(s.ETTERVERN_REQUIRE_2FA, s.ETTERVERN_ALLOW_DEMO_LOGINS, s.SESSION_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["True", "False", "True"], result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_password_reset_lets_a_new_user_set_a_password(client, personas, mailoutbox):
    from ettervern.accounts.models import User

    user = User.objects.create_user("ny@a.test", None, name="Ny Likeperson")  # no password yet
    response = client.post("/accounts/password/reset/", {"email": "ny@a.test"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = next(
        line for line in mailoutbox[0].body.splitlines() if "/accounts/password/reset/key/" in line
    )
    path = "/" + link.split("://", 1)[1].split("/", 1)[1].strip()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new = "et-nytt-og-langt-passord-2026"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": new, "password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def _totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 TOTP (SHA-1, 30 s, 6 digits), written here independently of allauth."""
    import base64
    import hashlib
    import hmac
    import struct
    import time

    counter = int((at or time.time()) // 30)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def test_coordinator_enrols_totp_then_logs_in_with_a_recovery_code(client, personas, settings):
    settings.ETTERVERN_REQUIRE_2FA = True
    assert login(client, "koordinator@a.test").status_code == 302
    response = client.get("/deltakere/")
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert client.post("/accounts/2fa/totp/activate/", {"code": "000000"}).status_code == 200
    response = client.post("/accounts/2fa/totp/activate/", {"code": _totp(secret)})
    assert response.status_code == 302
    assert client.get("/deltakere/").status_code == 200
    codes = Authenticator.objects.get(
        user=personas.coordinator, type=Authenticator.Type.RECOVERY_CODES
    ).wrap()
    recovery = codes.get_unused_codes()[0]

    client.post("/accounts/logout/")
    response = login(client, "koordinator@a.test")
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert "_auth_user_id" not in client.session  # the password alone is not enough
    response = client.post("/accounts/2fa/authenticate/", {"code": recovery})
    assert response.status_code == 302
    assert client.get("/deltakere/").status_code == 200
