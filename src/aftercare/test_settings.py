"""Settings for the test suite: production settings with test-only keys and fast hashing."""

import hashlib
import os

os.environ.setdefault("AFTERCARE_SECRET_KEY", "test-only-secret-key-with-enough-length-0123456789")
os.environ.setdefault("AFTERCARE_SECURE_SSL_REDIRECT", "False")
# Many tests move the clock by hours or days between a patient's requests; the idle sign-out is
# tested on its own with override_settings (accounts/tests/test_security.py).
os.environ.setdefault("AFTERCARE_SESSION_IDLE_MINUTES", "0")

from aftercare.settings import *  # noqa: F403

# Argon2 is deliberately slow; tests that need it say so.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Django's test Client.login() authenticates without a request, which django-axes refuses;
# the lockout is tested with the real login form and AXES_ENABLED=True (test_security.py).
AXES_ENABLED = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # Django drops and recreates its test database at the start of a run: two checkouts testing
    # on one server at once (a clean-clone CI run and a working copy) must not share one.
    _checkout = hashlib.sha256(str(PACKAGE_DIR).encode()).hexdigest()[:8]  # noqa: F405
    _name = DATABASES["default"]["NAME"]  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.getenv("AFTERCARE_TEST_DB_NAME") or f"test_{_name}_{_checkout}"
    }
