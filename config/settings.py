"""Ettervern settings: one file, driven by the environment.

Out of the box (no environment) this runs on SQLite under ``var/`` with ``DEBUG`` off, as in
production, which also sets ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL`` (PostgreSQL).
``make run`` turns on the demo mode (``ETTERVERN_DEMO=1``): demo logins over plain HTTP on this
machine, still with ``DEBUG`` off, so the demo shows the Norwegian error pages users see.
``DEBUG=true`` is for a developer who wants Django's technical pages.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("ETTERVERN_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The demo on this machine (`make run`): demo logins, plain HTTP, a throwaway secret key.
ETTERVERN_DEMO = env.bool("ETTERVERN_DEMO", default=False)
_LOCAL = DEBUG or ETTERVERN_DEMO

_DEV_SECRET = "dev-only-insecure-secret-key-change-me-0123456789abcdefghijklmnop"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET if _LOCAL else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment (or ETTERVERN_DEMO=1 for the local demo)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "django_htmx",
    "ettervern.accounts",
    "ettervern.audit",
    "ettervern.orgadmin",
    "ettervern.web",
    "ettervern.participants",
    "ettervern.peers",
    "ettervern.matching",
    "ettervern.outcomes",
    "ettervern.followup",
    "ettervern.employment",
    "ettervern.reports",
    "ettervern.imports",
    "ettervern.arenas",
    "ettervern.offers",
    "ettervern.reminders",
    "ettervern.radar",
    "ettervern.research",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ettervern.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ettervern.accounts.middleware.RequireSecondFactorMiddleware",
    "ettervern.web.middleware.FriendlyErrorsMiddleware",
    # Axes must come last so that it sees the final authentication outcome.
    "axes.middleware.AxesMiddleware",
]

# Strings of the shell outside the apps (lib/, template overrides); each app has its own catalogue.
LOCALE_PATHS = [BASE_DIR / "ettervern" / "locale"]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ettervern" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ettervern.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ettervern.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The embedded default must survive two users at once. A write transaction takes SQLite's write
# lock when it begins (IMMEDIATE), so two requests queue for up to ``timeout`` seconds instead of
# both reading and then failing with "database is locked" when both want to write; WAL lets
# reads go on while one request writes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The pages run short queries; PostgreSQL's JIT (on by default) compiles any query the
    # planner costs high, such as a per-peer subquery over 5 000 peers, and with real table
    # statistics spends most of a second compiling to save milliseconds.
    pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    pg_options["options"] = f"-c jit=off {pg_options.get('options', '')}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache, so that login rate limits hold across gunicorn workers.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://ettervern_cache")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ettervern.accounts.backends.EttervernAuthBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "ettervern.accounts.adapters.AccountAdapter"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
# allauth would prefix mail subjects with the host name ("[127.0.0.1] ..."): use the site's name.
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Ettervern: "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Ettervern"

# Staff roles must enrol a second factor before they reach case data. On by default in production.
ETTERVERN_REQUIRE_2FA = env.bool("ETTERVERN_REQUIRE_2FA", default=not _LOCAL)
# Demo accounts (created only by ``seed_demo``) may log in only in the demo mode.
ETTERVERN_ALLOW_DEMO_LOGINS = env.bool("ETTERVERN_ALLOW_DEMO_LOGINS", default=ETTERVERN_DEMO)
# Public on purpose: demo accounts are refused whenever demo logins are off (production).
ETTERVERN_DEMO_PASSWORD = "ettervern-demo-2026"  # noqa: S105

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# Lock per account, not per IP address: a whole office or shelter behind one NAT address must not
# be locked out by one person's typos. Allauth's own rate limits cover many-account attempts.
# models.W040: SQLite keeps a covering index's key columns and ignores its INCLUDE columns (the
# contacts' held-time index), which is all it needs; PostgreSQL reads the minutes from it.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]
# allauth calls authenticate(email=..., password=...): axes must read that key.
AXES_USERNAME_FORM_FIELD = "email"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål"))]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Password reset and notices. Development prints mail to the console; production sets EMAIL_URL,
# e.g. smtp+tls://user:password@smtp.example.org:587
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# The address in links sent by e-mail (invitations) when no request gives one, e.g. from a
# management command: https://ettervern.example.org. Without it a request's own host is used.
ETTERVERN_SITE_URL = env.str(
    "ETTERVERN_SITE_URL", default="http://127.0.0.1:8000" if _LOCAL else ""
)
# The name mails and pages call the site by (allauth would use the host name).
ETTERVERN_SITE_NAME = "Ettervern"
# How long an invitation link works.
ETTERVERN_INVITATION_DAYS = env.int("ETTERVERN_INVITATION_DAYS", default=7)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Ettervern <ikke-svar@ettervern.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "ettervern.web.views.csrf_failure"
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
# Spreadsheet imports (at most 5 MB, refused by the import itself with a clear message) stay in
# memory; a larger upload goes to a temporary file and is refused without being read.
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=6 * 1024 * 1024)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not _LOCAL:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind a TLS-terminating proxy (nginx, a load balancer) that sets X-Forwarded-Proto and
    # strips it from clients. Set ETTERVERN_BEHIND_TLS_PROXY=false when gunicorn faces the
    # network itself: then the header must not be trusted.
    if env.bool("ETTERVERN_BEHIND_TLS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
