"""Django settings for Steward, read from STEWARD_* environment variables.

See docs/configuration.md for every variable. Nothing here switches business behaviour:
business configuration is data, edited in the UI and audited.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from steward.config.env import ConfigError, Env

env = Env()

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
STEWARD_HOME = env.path("STEWARD_HOME", Path.cwd() / "var")


def _ensure_home(home: Path) -> Path:
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError("STEWARD_HOME", f"cannot create {home}: {exc.strerror}") from None
    return home


def _secret_key(home: Path) -> str:
    value = env.optional("STEWARD_SECRET_KEY")
    if value is not None:
        if len(value) < 32:
            raise ConfigError("STEWARD_SECRET_KEY", "must be at least 32 characters long")
        return value
    # Embedded mode: keep a generated key beside the data so sessions survive restarts.
    key_file = home / "secret.key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


_ensure_home(STEWARD_HOME)
(STEWARD_HOME / "static").mkdir(exist_ok=True)
SECRET_KEY = _secret_key(STEWARD_HOME)
DEBUG = env.flag("STEWARD_DEBUG", default=False)
ALLOWED_HOSTS = env.items("STEWARD_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.items("STEWARD_CSRF_TRUSTED_ORIGINS", [])
STEWARD_BASE_URL = env.text("STEWARD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "huey.contrib.djhuey",
    "steward.core",
    "steward.audit",
    "steward.identity",
    "steward.catalogue",
    "steward.cmdb",
    "steward.workitems",
    "steward.sla",
    "steward.incidents",
    "steward.satisfaction",
    "steward.fulfilment",
    "steward.mailin",
    "steward.notifications",
    "steward.reports",
    "steward.console",
    "steward.portal",
    "steward.demo",
]

MIDDLEWARE = [
    "steward.core.middleware.MetricsMiddleware",
    "steward.core.middleware.JobBatchMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "steward.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "steward.identity.middleware.UserLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "steward.identity.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "steward.core.middleware.DomainErrorMiddleware",
    "steward.audit.middleware.AuditSourceMiddleware",
    "steward.core.middleware.RequestLogMiddleware",
]

ROOT_URLCONF = "steward.config.urls"
WSGI_APPLICATION = "steward.config.wsgi.application"
AUTH_USER_MODEL = "identity.Person"
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "identity:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "steward.identity.context_processors.roles",
            ],
        },
    }
]

DATABASES = {"default": env.database("STEWARD_DATABASE_URL", STEWARD_HOME / "steward.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.redis_url("STEWARD_REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "steward",
        }
    }
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env.text("STEWARD_QUEUE_NAME", "steward"),
        "url": REDIS_URL,
        "immediate": False,
        "utc": True,
        # Jobs report through their rows; a stored return value would never be read and
        # would pile up in Redis with every job run.
        "results": False,
        "consumer": {"workers": 4, "worker_type": "thread"},
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(STEWARD_HOME / "cache"),
        }
    }
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": env.text("STEWARD_QUEUE_NAME", "steward"),
        "filename": str(STEWARD_HOME / "tasks.sqlite3"),
        "immediate": False,
        "utc": True,
        "results": False,  # as above: nobody reads them
        "consumer": {"workers": 2, "worker_type": "thread"},
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "steward.identity.passwords.CharacterClassValidator"},
]
STEWARD_LOGIN_MAX_FAILURES = env.number("STEWARD_LOGIN_MAX_FAILURES", 5, minimum=1, maximum=100)
STEWARD_LOGIN_LOCKOUT_MINUTES = env.number("STEWARD_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env.time_zone("STEWARD_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = STEWARD_HOME / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(STEWARD_HOME / "media")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
STEWARD_ATTACHMENT_MAX_BYTES = env.number("STEWARD_ATTACHMENT_MAX_MB", 25, minimum=1) * 1024 * 1024
# Programs and scripts a click would run on a Windows desk ("none": accept every type).
_BLOCKED = env.items(
    "STEWARD_ATTACHMENT_BLOCKED_EXTENSIONS",
    [
        "exe", "com", "scr", "pif", "bat", "cmd", "msi", "msp", "dll", "cpl", "hta", "jar",
        "js", "jse", "vbs", "vbe", "wsf", "wsh", "ps1", "psm1", "reg", "lnk",
    ],
)  # fmt: skip
STEWARD_ATTACHMENT_BLOCKED_EXTENSIONS = frozenset(
    e.lower().lstrip(".") for e in _BLOCKED if e.lower() != "none"
)

# Security headers (see steward.core.middleware.SecurityHeadersMiddleware for CSP).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.flag("STEWARD_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env.number("STEWARD_SESSION_HOURS", 12, minimum=1) * 3600

# E-mail (outbound). Without STEWARD_EMAIL_HOST, messages are written to files under
# STEWARD_HOME/mail so the embedded demo never needs a mail server.
EMAIL_HOST = env.optional("STEWARD_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.number("STEWARD_EMAIL_PORT", 25, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env.text("STEWARD_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env.text("STEWARD_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env.flag("STEWARD_EMAIL_USE_TLS", default=False)
    EMAIL_USE_SSL = env.flag("STEWARD_EMAIL_USE_SSL", default=False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ConfigError(
            "STEWARD_EMAIL_USE_SSL", "cannot be true together with STEWARD_EMAIL_USE_TLS"
        )
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(STEWARD_HOME / "mail")
DEFAULT_FROM_EMAIL = env.text("STEWARD_EMAIL_FROM", "Steward <steward@localhost>")
STEWARD_EMAIL_DOMAIN = env.text("STEWARD_EMAIL_DOMAIN", "steward.local")

# Inbound e-mail (steward.mailin).
STEWARD_IMAP_HOST = env.text("STEWARD_IMAP_HOST", "")
STEWARD_IMAP_SSL = env.flag("STEWARD_IMAP_SSL", default=True)
STEWARD_IMAP_PORT = env.number(
    "STEWARD_IMAP_PORT", 993 if STEWARD_IMAP_SSL else 143, minimum=1, maximum=65535
)
STEWARD_IMAP_USER = env.text("STEWARD_IMAP_USER", "")
STEWARD_IMAP_PASSWORD = env.text("STEWARD_IMAP_PASSWORD", "")
STEWARD_IMAP_MAILBOX = env.text("STEWARD_IMAP_MAILBOX", "INBOX")
STEWARD_IMAP_DONE_MAILBOX = env.text("STEWARD_IMAP_DONE_MAILBOX", "")
STEWARD_IMAP_CA_FILE = env.text("STEWARD_IMAP_CA_FILE", "")
STEWARD_MAIL_UNKNOWN_SENDER = env.text("STEWARD_MAIL_UNKNOWN_SENDER", "")

# SMS through an HTTP provider (docs/configuration.md).
STEWARD_SMS_URL = env.optional("STEWARD_SMS_URL")
STEWARD_SMS_TOKEN = env.optional("STEWARD_SMS_TOKEN")
STEWARD_SMS_SENDER = env.text("STEWARD_SMS_SENDER", "Steward")

# Outbox: how long a claimed row is leased to one worker before the sweep may retry it.
STEWARD_OUTBOX_LEASE_SECONDS = env.number("STEWARD_OUTBOX_LEASE_SECONDS", 300, minimum=1)
STEWARD_OUTBOX_MAX_ATTEMPTS = env.number("STEWARD_OUTBOX_MAX_ATTEMPTS", 8, minimum=1, maximum=50)

# Service requests: when a pending approver is reminded, how long a signed approve/reject
# link in the notification stays valid.
STEWARD_APPROVAL_REMINDER_HOURS = env.number(
    "STEWARD_APPROVAL_REMINDER_HOURS", 24, minimum=1, maximum=24 * 30
)
STEWARD_APPROVAL_LINK_DAYS = env.number("STEWARD_APPROVAL_LINK_DAYS", 7, minimum=1, maximum=90)
# Days after fulfilment a request waits for the requester's confirmation before it closes.
STEWARD_REQUEST_AUTO_CLOSE_DAYS = env.number(
    "STEWARD_REQUEST_AUTO_CLOSE_DAYS", 5, minimum=1, maximum=90
)

# API rate limits (django-ninja throttles, counted in the shared cache).
NINJA_DEFAULT_THROTTLE_RATES = {
    "token": env.rate("STEWARD_API_RATE_TOKEN", "1200/min"),
    "address": env.rate("STEWARD_API_RATE_ADDRESS", "600/min"),
}
NINJA_NUM_PROXIES = env.number("STEWARD_NUM_PROXIES", 0, minimum=0, maximum=10)
STEWARD_API_PAGE_SIZE = 50

STEWARD_LOG_FORMAT = env.text("STEWARD_LOG_FORMAT", "text")
if STEWARD_LOG_FORMAT not in {"text", "json"}:
    raise ConfigError("STEWARD_LOG_FORMAT", f"must be text or json, got {STEWARD_LOG_FORMAT!r}")
STEWARD_LOG_LEVEL = env.text("STEWARD_LOG_LEVEL", "INFO").upper()
if STEWARD_LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
    raise ConfigError(
        "STEWARD_LOG_LEVEL", f"must be DEBUG, INFO, WARNING or ERROR, got {STEWARD_LOG_LEVEL!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "steward.core.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": STEWARD_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": STEWARD_LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # With a handler here run_huey adds none of its own (each line was logged twice).
        "huey": {
            "handlers": ["console"],
            "level": "WARNING" if STEWARD_LOG_LEVEL != "DEBUG" else "DEBUG",
            "propagate": False,
        },
    },
}
