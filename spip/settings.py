"""Settings for the SPIP case-management application, driven by the environment.

Every variable is listed, with its meaning and default, in `.env.example`. A missing or
malformed value stops start-up with a message naming the variable (see `spip.config`).
"""

from __future__ import annotations

import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from spip.config import Env

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env.for_project(BASE_DIR)

# --- Core -------------------------------------------------------------------------------------

SECRET_KEY = env.str("SECRET_KEY")
if len(SECRET_KEY) < 32:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("The setting SECRET_KEY must be at least 32 characters long.")
DEBUG = env.bool("DEBUG", False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])
# The address users reach the service at, for links in e-mails (the weekly digest).
SITE_URL = env.url("SITE_URL", "http://127.0.0.1:8000", schemes=("https", "http"))

INSTALLED_APPS = [
    "spip.apps.SpipConfig",
    "cases.apps.CasesConfig",
    "deadlines.apps.DeadlinesConfig",
    "interviews.apps.InterviewsConfig",
    "workshops.apps.WorkshopsConfig",
    "reporting.apps.ReportingConfig",
    "spip.apps.SpipAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "guardian",
    "pgtrigger",
    "pghistory",
    "axes",
    "csp",
    "django_htmx",
    "template_partials",
    "widget_tweaks",
    "dsfr",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The access policy's answers, kept for the request.
    "spip.policy.PolicyMiddleware",
    "spip.middleware.LoginRequiredMiddleware",
    # Who made each change, attached to the change-history rows written by triggers.
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "spip.urls"
WSGI_APPLICATION = "spip.wsgi.application"
ASGI_APPLICATION = "spip.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "spip.context_processors.layout",
            ],
        },
    },
]

# --- Database, broker -------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env.url(
            "DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/spip",
            schemes=("postgres", "postgresql"),
        ),
        conn_max_age=env.int("DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
REDIS_URL = env.url("REDIS_URL", "redis://127.0.0.1:6379/0", schemes=("redis", "rediss"))

# --- Accounts, sign-in ------------------------------------------------------------------------

AUTH_USER_MODEL = "spip.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "spip.backends.SpipModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions end after this much inactivity: every request pushes the expiry forward.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-guardian: no anonymous user row (every page needs a login anyway).
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# django-axes: a username+IP pair is locked for a while after repeated failures.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# --- Security ---------------------------------------------------------------------------------

# HTTPS is on by default outside DEBUG; `make demo` turns it off to serve http://127.0.0.1.
HTTPS = env.bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probed over plain http inside the network
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", 31_536_000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# Preloading commits the whole domain to HTTPS in browsers for good: the operator decides.
SECURE_HSTS_PRELOAD = env.bool("HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env.bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

DEFAULT_EXCEPTION_REPORTER_FILTER = "spip.logs.PersonalDataFreeReporterFilter"

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True
FORMAT_MODULE_PATH = ["spip.formats"]

# --- Static and private files -----------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (proofs, issued reports) are private: stored outside every public path and
# served only through access-checked views. There is deliberately no MEDIA_URL.
PRIVATE_FILES_ROOT = Path(env.str("PRIVATE_FILES_ROOT", str(BASE_DIR / ".data" / "private")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_FILES_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
DSFR_USE_INTEGRITY_CHECKSUMS = False  # the hashes break under hashed static storage
DSFR_MARK_OPTIONAL_FIELDS = True  # mark optional fields, as the DSFR now recommends
# django-dsfr warns on every form render that this transitional setting will go away.
warnings.filterwarnings("ignore", message="Transitional Django setting DSFR_MARK_OPTIONAL")

# --- Celery -----------------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TIMEZONE = "Europe/Paris"  # Celery does not read Django's TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", "spip")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task killed mid-way (worker lost, deploy) is redelivered rather than lost: tasks are
# idempotent. The visibility timeout must exceed the longest task, or Redis redelivers it
# while it is still running.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Seconds a web request waits for the broker when it queues a task after commit: a broker
# that does not answer by then is logged and the periodic retry sends the task later.
CELERY_QUEUE_CONNECT_TIMEOUT = env.float("CELERY_QUEUE_CONNECT_TIMEOUT", 1.0, minimum=0.1)

# --- E-mail -----------------------------------------------------------------------------------

EMAIL_BACKEND = env.str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", "localhost")
EMAIL_PORT = env.int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", str(BASE_DIR / ".data" / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "spip-noreply@justice.example")
# Text-message reminders: a class with `send(phone, text) -> reference`. The default only logs
# (no provider is contracted yet).
SMS_BACKEND = env.str("SMS_BACKEND", "interviews.reminders.LoggingSmsBackend")

# --- Logging: no personal data --------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_personal_data": {"()": "spip.logs.NoPersonalDataFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # PDF rendering reports every step and font subset at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Application ------------------------------------------------------------------------------

SPIP_SERVICE_NAME = "SPIP — suivi des personnes placées sous main de justice"
DEMO_PASSWORD = env.str("DEMO_PASSWORD", "spip-demo")
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", 365, minimum=1)
# Case data are purged or anonymised this many years after the end of the last measure.
CASE_RETENTION_YEARS = env.int("CASE_RETENTION_YEARS", 5, minimum=1)

# Deadline engine: days before a measure's end at which its alert appears, then is raised
# again (the largest opens it).
DEADLINE_MEASURE_END_WINDOWS = sorted(
    set(env.int_list("DEADLINE_MEASURE_END_WINDOWS", [90, 30, 7], minimum=1)), reverse=True
)
