"""Settings for ketamine-aftercare, read from the environment.

Every variable is documented in docs/settings.md. Helpers are strict: a value that
cannot be understood stops the process instead of being silently replaced.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default)
    if value not in ("True", "False"):
        raise ImproperlyConfigured(f"Unexpected value {name}={value!r}, use 'True' or 'False'")
    return value == "True"


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"Unexpected value {name}={value!r}, use a whole number"
        ) from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.getenv("AFTERCARE_DATA_DIR", "var")).resolve()

DEBUG = envbool("AFTERCARE_DEBUG", "False")
SECRET_KEY = os.getenv("AFTERCARE_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("AFTERCARE_SECRET_KEY must be set when AFTERCARE_DEBUG=False")
    SECRET_KEY = "insecure-development-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = envlist("AFTERCARE_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("AFTERCARE_CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.getenv("AFTERCARE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "aftercare.core",
    "aftercare.accounts",
    "aftercare.audit",
    "aftercare.treatment",
    "aftercare.tracking",
    "aftercare.guidance",
    "aftercare.library",
    "aftercare.safety",
    "aftercare.reminders",
    "aftercare.outcomes",
    "aftercare.workspace",
    "aftercare.careplan",
    "aftercare.lifecycle",
    "aftercare.reports",
    # django-ninja as an app, so the API docs page loads Swagger UI from /static/, not a CDN.
    "ninja",
    "aftercare.api",
    "aftercare.interop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "aftercare.accounts.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "aftercare.audit.context.AuditContextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "aftercare.reminders.middleware.ReminderLinkMiddleware",
    "aftercare.accounts.middleware.TimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "aftercare.accounts.security.SessionTimeoutMiddleware",
    "aftercare.accounts.security.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the failed logins the views above report (docs/security.md).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aftercare.urls"
WSGI_APPLICATION = "aftercare.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aftercare.accounts.context_processors.clinic",
                "aftercare.accounts.keepalive.session_clock",
            ],
        },
    }
]

DB_ENGINE = os.getenv("AFTERCARE_DB", "sqlite")
DATABASES: dict[str, dict[str, Any]]
if DB_ENGINE == "sqlite":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.getenv("AFTERCARE_DB_NAME", str(DATA_DIR / "aftercare.sqlite3")),
            # WAL lets readers proceed while one writer commits; IMMEDIATE avoids
            # "database is locked" upgrades from read to write inside a transaction.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "TEST": {"NAME": os.getenv("AFTERCARE_TEST_DB_NAME") or None},
        }
    }
elif DB_ENGINE == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.getenv("AFTERCARE_DB_NAME", "aftercare"),
            "USER": os.getenv("AFTERCARE_DB_USER", "postgres"),
            "PASSWORD": os.getenv("AFTERCARE_DB_PASSWORD", ""),
            "HOST": os.getenv("AFTERCARE_DB_HOST", "127.0.0.1"),
            "PORT": envint("AFTERCARE_DB_PORT", "5432"),
            "CONN_MAX_AGE": envint("AFTERCARE_DB_CONN_MAX_AGE", "60"),
            "CONN_HEALTH_CHECKS": True,
        }
    }
else:
    raise ImproperlyConfigured(
        f"Unexpected value AFTERCARE_DB={DB_ENGINE!r}, use sqlite or postgres"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
PASSWORD_RESET_TIMEOUT = envint("AFTERCARE_PASSWORD_RESET_TIMEOUT", str(60 * 60 * 24))
INVITATION_MAX_AGE = envint("AFTERCARE_INVITATION_MAX_AGE", str(60 * 60 * 24 * 7))
# How long after submitting a patient may still correct a check-in (docs/tracking.md).
CHECKIN_EDIT_HOURS = envint("AFTERCARE_CHECKIN_EDIT_HOURS", "48")
# Header the reverse proxy sets to the client address; empty: REMOTE_ADDR (docs/settings.md).
AUDIT_TRUSTED_PROXY_HEADER = os.getenv("AFTERCARE_TRUSTED_PROXY_HEADER", "")
# Record groups kept when a patient's data is deleted on request (docs/data-lifecycle.md).
DELETION_RETAINS = envlist("AFTERCARE_DELETION_RETAINS", "treatment,notes,alerts")
# Patients whose loaded data and insights each app process keeps (outcomes/memory.py): at least
# the largest clinic's number of patients, or its list and dashboard read everyone every time.
PATIENT_MEMORY = envint("AFTERCARE_PATIENT_MEMORY", "50000")
if set(DELETION_RETAINS) - {"treatment", "notes", "alerts"}:
    raise ImproperlyConfigured(
        f"Unexpected value AFTERCARE_DELETION_RETAINS={DELETION_RETAINS!r}, "
        "use a comma-separated subset of treatment,notes,alerts"
    )

# Login throttling (django-axes): after this many failures for one email from one address,
# that pair is locked out for the cool-off time (docs/security.md).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "aftercare.accounts.backends.AftercareBackend",
]
AXES_FAILURE_LIMIT = envint("AFTERCARE_LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AFTERCARE_LOGIN_LOCKOUT_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "aftercare.accounts.security.locked_out"
AXES_ENABLE_ADMIN = False
# The same client address as the audit log: REMOTE_ADDR, or the trusted proxy's header.
AXES_CLIENT_IP_CALLABLE = "aftercare.audit.actions.client_ip"

# Two-factor sign-in for staff (django-otp), required where a clinic turns it on.
OTP_TOTP_ISSUER = os.getenv("AFTERCARE_OTP_ISSUER", "Ketamine aftercare")

LANGUAGE_CODE = "en"
# Only languages with a reviewed catalogue of our own (locale/): offering one without it mixed
# Django's own translations (dates, form errors) into English pages marked lang="es".
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_HOST = os.getenv("AFTERCARE_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("AFTERCARE_EMAIL_PORT", "587")
    EMAIL_HOST_USER = os.getenv("AFTERCARE_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.getenv("AFTERCARE_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = envbool("AFTERCARE_EMAIL_USE_TLS", "True")
elif os.getenv("AFTERCARE_EMAIL_FILE_PATH"):
    # One file per message in this folder: a staging server, or counting sends
    # (bench/reliability.py).
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["AFTERCARE_EMAIL_FILE_PATH"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.getenv("AFTERCARE_DEFAULT_FROM_EMAIL", "aftercare@localhost")

SESSION_COOKIE_AGE = envint("AFTERCARE_SESSION_COOKIE_AGE", str(60 * 60 * 12))
# Signed out after this many minutes without a request (0: only SESSION_COOKIE_AGE applies).
SESSION_IDLE_MINUTES = envint("AFTERCARE_SESSION_IDLE_MINUTES", "30")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A refused form gets a page that says how to send it again (core/errors.py).
CSRF_FAILURE_VIEW = "aftercare.core.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script or style anywhere: every page uses files from /static/ (docs/security.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("AFTERCARE_SECURE_SSL_REDIRECT", "True")
    # granian speaks plain HTTP behind a TLS-terminating proxy, which names the scheme here.
    PROXY_SSL_HEADER = os.getenv("AFTERCARE_PROXY_SSL_HEADER", "X-Forwarded-Proto")
    if PROXY_SSL_HEADER:
        SECURE_PROXY_SSL_HEADER = ("HTTP_" + PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
    SECURE_HSTS_SECONDS = envint("AFTERCARE_HSTS_SECONDS", str(60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("AFTERCARE_HSTS_PRELOAD", "True")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("AFTERCARE_LOG_LEVEL", "INFO")},
}
