"""Settings, read from the environment so the same code runs on a laptop and on a server.

* Local default: a SQLite file in the data folder (``BACKBALANCE_DATA_DIR``, by default
  ``data/`` in the checkout), WAL mode, served over plain http on 127.0.0.1.
* ``DATABASE_URL`` (``postgres://user:pass@host:5432/name``) switches to PostgreSQL, so
  several app processes can share one database; nothing is kept in process memory.
* ``BACKBALANCE_HTTPS=1`` turns on the settings for a site served over https (secure
  cookies, HSTS, redirect to https); with it, ``manage.py check --deploy`` is clean.
* ``BACKBALANCE_SECRET_KEY`` is required when ``BACKBALANCE_HTTPS`` is set; locally a
  random key is created once and kept in the data folder.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

# Lets the code write Django generics such as UserCreationForm[User] for the type checker.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT = PACKAGE_DIR.parents[2]


def _default_data_dir() -> Path:
    # In a checkout the data folder sits next to pyproject.toml; an installed package keeps
    # it in the folder the app is started from.
    if (_CHECKOUT / "pyproject.toml").exists():
        return _CHECKOUT / "data"
    return Path.cwd() / "data"


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("BACKBALANCE_DATA_DIR") or _default_data_dir()).resolve()
HTTPS = _flag("BACKBALANCE_HTTPS")
DEBUG = _flag("BACKBALANCE_DEBUG")


def _secret_key() -> str:
    from_env = os.environ.get("BACKBALANCE_SECRET_KEY", "")
    if from_env:
        return from_env
    if HTTPS:
        raise ImproperlyConfigured(
            "BACKBALANCE_SECRET_KEY must be set when BACKBALANCE_HTTPS is on."
        )
    # A local install keeps one random key in its data folder, readable only by its owner.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("BACKBALANCE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
    "backbalance.web.common",
    "backbalance.web.accounts",
    "backbalance.web.checkup",
    "backbalance.web.routine",
    "backbalance.web.journal",
    "backbalance.web.therapies",
    "backbalance.web.ledger",
    "backbalance.web.reports",
    "backbalance.web.ownership",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "backbalance.web.urls"
WSGI_APPLICATION = "backbalance.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backbalance.web.common.context.journey",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "backbalance.sqlite3",
        "OPTIONS": {
            # WAL lets readers go on while one request writes; a writer waits for the lock
            # (timeout, in seconds) instead of failing, and takes it at the start of its
            # transaction so two writers never deadlock on an upgrade.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "common:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock a username out for a while after repeated failed logins from one address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Licensed questionnaires (ODI, Roland-Morris, STarT Back, FABQ) are shown only when a
# licence holder's wording file is given here (paths separated like PATH); backbalance
# ships none. See backbalance/content/licensed.py for the file's format.
LICENSED_WORDING_FILES = [
    Path(part)
    for part in os.environ.get("BACKBALANCE_LICENSED_WORDING", "").split(os.pathsep)
    if part.strip()
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("BACKBALANCE_TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind a reverse proxy that ends TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script or style anywhere: every script and style sheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
