"""Settings shared by every environment. Every toggle is read from the environment.

Sections follow cookiecutter-django's order: general, databases, urls, apps, auth,
middleware, static/media, templates, security, email, admin, logging, celery, allauth,
third-party, project.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()


def _read(name: str, reader, **kwargs):
    """Read one variable; a malformed value stops start-up and names the variable."""
    try:
        return reader(name, **kwargs)
    except ImproperlyConfigured:
        raise
    except Exception as exc:  # environ raises ValueError, TypeError, KeyError... by type
        raise ImproperlyConfigured(
            f"Environment variable {name} has an invalid value: {exc}"
        ) from exc


def env_bool(name: str, default: bool) -> bool:
    """Strict booleans: a typo such as DEBUG=ture must not silently mean False."""
    raw = env.str(name, default=None)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be true or false, got {raw!r}")


def env_url(name: str, default: str | None, schemes: tuple[str, ...]) -> str | None:
    raw = env.str(name, default=default)
    if raw is None or raw == "":
        return None
    scheme = raw.split("://", 1)[0] if "://" in raw else ""
    if scheme not in schemes:
        raise ImproperlyConfigured(
            f"Environment variable {name} must be a URL starting with one of "
            f"{', '.join(s + '://' for s in schemes)}, got {raw!r}"
        )
    return raw


# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-only-key-change-me-7c1f0b8e")
ALLOWED_HOSTS = _read("ALLOWED_HOSTS", env.list, default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = _read("CSRF_TRUSTED_ORIGINS", env.list, default=[])
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"Environment variable CSRF_TRUSTED_ORIGINS must list origins like "
            f"https://example.org, got {_origin!r}"
        )
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", ("http", "https")).rstrip("/")

TIME_ZONE = "Asia/Tokyo"
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# DATABASES
# ------------------------------------------------------------------------------
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
    ("sqlite", "postgres", "postgresql", "pgsql", "psql"),
)
DATABASES = {"default": _read("DATABASE_URL", env.db_url, default=DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # transactions belong to services
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = _read("CONN_MAX_AGE", env.int, default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# URLS
# ------------------------------------------------------------------------------
ROOT_URLCONF = "center.urls"
WSGI_APPLICATION = "center.wsgi.application"

# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "django.contrib.admin",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]
LOCAL_APPS = [
    "center.accounts",
    "center.core",
    "organizations",
    "events",
    "publications",
    "consultations",
    "networks",
    # Last: the top layer, and its demo writes history after the apps' own demo data
    # (each app's demo skips itself when it finds rows already there).
    "center.dashboard",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_USER_MODEL = "accounts.User"
LOGIN_REDIRECT_URL = "accounts:home"
LOGIN_URL = "account_login"
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

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "center.accounts.middleware.StaffMfaRequiredMiddleware",
]

# STATIC AND MEDIA
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Django serves MEDIA_URL itself unless a web server or object storage in front does.
SERVE_PUBLIC_MEDIA = _read("SERVE_PUBLIC_MEDIA", env.bool, default=True)
# Consultation attachments and group documents: never under MEDIA_URL, served only
# through permission-checked views.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 35 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
IMAGE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000

# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "center.core.context_processors.site",
                "organizations.context_processors.closure_banner",
            ],
        },
    }
]
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# SECURITY
# ------------------------------------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
    }
}

# EMAIL
# ------------------------------------------------------------------------------
_email_url = env_url(
    "EMAIL_URL",
    "consolemail://",
    ("consolemail", "smtp", "smtps", "smtp+tls", "smtp+ssl", "memorymail", "dummymail"),
)
_email = _read("EMAIL_URL", env.email_url, default=_email_url or "consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="横浜市市民協働推進センター <noreply@kyodo-center.example.jp>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10
# Where staff alerts go (new consultations, quarantine...).
STAFF_ALERT_EMAILS = _read(
    "STAFF_ALERT_EMAILS", env.list, default=["center-staff@kyodo-center.example.jp"]
)

# ADMIN
# ------------------------------------------------------------------------------
ADMINS = [("Center web team", "web@kyodo-center.example.jp")]
MANAGERS = ADMINS

# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# CACHES AND CELERY
# ------------------------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", None, ("redis", "rediss"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "center.lib.redis_cache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "center",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PUBLIC_PAGE_CACHE_SECONDS = _read("PUBLIC_PAGE_CACHE_SECONDS", env.int, default=300)
# How stale another process's view of a content change may be (see center/core/cache.py).
PUBLIC_PAGE_GENERATION_CHECK_SECONDS = _read(
    "PUBLIC_PAGE_GENERATION_CHECK_SECONDS", env.float, default=2.0
)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without Redis the embedded default runs every task in-process.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# A request never waits on a missing broker: no publish retries, short connect timeout.
# The outbox sweeper re-sends what could not be published.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Published outbox rows (task arguments may include personal data) are deleted after this.
OUTBOX_RETENTION_DAYS = _read("OUTBOX_RETENTION_DAYS", env.int, default=14)
OUTBOX_SWEEP_INTERVAL_SECONDS = _read("OUTBOX_SWEEP_INTERVAL_SECONDS", env.float, default=60.0)
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "center.core.tasks.outbox_sweep",
        "schedule": OUTBOX_SWEEP_INTERVAL_SECONDS,
    },
    "worker-heartbeat": {"task": "center.core.tasks.worker_heartbeat", "schedule": 60.0},
    "outbox-prune": {
        "task": "center.core.tasks.outbox_prune",
        "schedule": crontab(hour=3, minute=15),
    },
    "consultation-booking-reminders": {
        "task": "consultations.tasks.send_booking_reminders",
        "schedule": crontab(minute=5),  # hourly: the day-before reminders
    },
    "event-reminders": {
        "task": "events.tasks.send_reminders",
        "schedule": crontab(minute="*/15"),  # each event's own hours-before, to 15 minutes
    },
    "event-surveys": {
        "task": "events.tasks_survey.send_surveys",
        "schedule": crontab(minute=20),  # hourly: the survey link once an event has ended
    },
    "consultation-followup-digests": {
        "task": "consultations.tasks.send_followup_digests",
        "schedule": crontab(hour=8, minute=0),
    },
    "consultation-retention": {
        "task": "consultations.tasks.anonymise_expired_consultations",
        "schedule": crontab(hour=2, minute=30),
    },
    "group-renewal-reminders": {
        "task": "organizations.tasks_groups.send_renewal_reminders",
        # daily; the service only acts in February–March, once per group and year
        "schedule": crontab(hour=9, minute=10),
    },
    "space-booking-reminders": {
        "task": "organizations.tasks_booking.send_booking_reminders",
        # daily, the day before; claimed per booking so a second beat sends nothing
        "schedule": crontab(hour=10, minute=0),
    },
    "network-support-scrub-anonymised": {
        "task": "networks.tasks_support.scrub_anonymised",
        # after the consultations' anonymisation (02:30)
        "schedule": crontab(hour=3, minute=0),
    },
    "network-support-status-mails": {
        "task": "networks.tasks_support.send_status_notifications",
        "schedule": crontab(minute="*/15"),  # the ward hears of a change within 15 minutes
    },
    "network-meeting-reminders": {
        "task": "networks.tasks_meetings.send_reminders",
        "schedule": crontab(minute=10),  # hourly: ward staff reminded two days before
    },
}
# Follow-up digest: open cases untouched for this many days count as stale.
CONSULTATION_STALE_AFTER_DAYS = _read("CONSULTATION_STALE_AFTER_DAYS", env.int, default=7)
OUTBOX_RESEND_AFTER_SECONDS = _read("OUTBOX_RESEND_AFTER_SECONDS", env.int, default=30)

# Newsletter: how long a confirmation link works; how old a claimed-but-unsent delivery
# must be before the sweeper decides its sender died (longer than any SMTP exchange);
# how many senders share one issue; how often the sweeper runs.
NEWSLETTER_CONFIRMATION_HOURS = _read("NEWSLETTER_CONFIRMATION_HOURS", env.int, default=48)
NEWSLETTER_CLAIM_LEASE_SECONDS = _read("NEWSLETTER_CLAIM_LEASE_SECONDS", env.float, default=300.0)
NEWSLETTER_PARALLEL_SENDERS = _read("NEWSLETTER_PARALLEL_SENDERS", env.int, default=2)
NEWSLETTER_SWEEP_INTERVAL_SECONDS = _read(
    "NEWSLETTER_SWEEP_INTERVAL_SECONDS", env.float, default=60.0
)
CELERY_BEAT_SCHEDULE["newsletter-sweep"] = {
    "task": "publications.tasks_newsletter.sweep",
    "schedule": NEWSLETTER_SWEEP_INTERVAL_SECONDS,
}

# ALLAUTH
# ------------------------------------------------------------------------------
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# A reset request for an unknown address sends nothing at all (same page either way).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[横浜市市民協働推進センター] "
ACCOUNT_ADAPTER = "center.accounts.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
# Behind a load balancer, the number of proxies that append to X-Forwarded-For: the client
# address used by login rate limits and the consultation form's spam limits.
ALLAUTH_TRUSTED_PROXY_COUNT = _read("TRUSTED_PROXY_COUNT", env.int, default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "横浜市市民協働推進センター"
# Paths that count as the back office: a user in a staff role reaches none of them
# before setting up TOTP.
BACK_OFFICE_PATH_PREFIXES = [
    "/admin/",
    "/dashboard/",
    "/network/",
    "/consultation/staff/",
    "/events/staff/",
]

# PROJECT
# ------------------------------------------------------------------------------
CENTER_NAME = _("Yokohama Citizen Collaboration Promotion Center")
CONSULTATION_RETENTION_FISCAL_YEARS = _read(
    "CONSULTATION_RETENTION_FISCAL_YEARS", env.int, default=5
)
