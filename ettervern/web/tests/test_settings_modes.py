"""DEBUG is off unless asked for; the demo mode (`make run`) turns on only what the demo needs."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SHOW = (
    "from django.conf import settings as s;"
    "print(s.DEBUG, s.ETTERVERN_ALLOW_DEMO_LOGINS, s.ETTERVERN_REQUIRE_2FA,"
    " getattr(s, 'SECURE_SSL_REDIRECT', False), s.SESSION_COOKIE_SECURE)"
)


def _settings_with(**extra) -> list[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL") and not k.startswith("ETTERVERN_")
    }
    env.update(DATABASE_URL="sqlite:////tmp/ettervern-settings-check.sqlite3", **extra)
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SHOW}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_debug_is_off_by_default():
    debug, demo_logins, *_ = _settings_with(SECRET_KEY="x" * 60)
    assert (debug, demo_logins) == ("False", "False")


def test_the_demo_mode_allows_demo_logins_over_plain_http_with_debug_off():
    assert _settings_with(ETTERVERN_DEMO="1") == ["False", "True", "False", "False", "False"]
