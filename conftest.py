"""Personas shared by every app's tests.

Alice is a patient of Riverside clinic; Bob is another Riverside patient and must never
see Alice's data. Carol is a Riverside clinician, Dana the Riverside clinic admin.
Eve is a clinician at Lakeside, another clinic: she must see nothing of Riverside.
"""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings

from aftercare.accounts.actions import create_patient, create_staff
from aftercare.accounts.models import Clinic, Patient, Role, User

# Properties are about correctness, not speed: a busy machine must not fail them.
settings.register_profile("aftercare", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("aftercare")

PASSWORD = "correct-horse-battery"  # noqa: S105


@pytest.fixture
def riverside(db) -> Clinic:
    return Clinic.objects.create(
        name="Riverside Ketamine Clinic",
        slug="riverside",
        timezone="America/New_York",
        phone="+1 555 0100",
    )


@pytest.fixture
def lakeside(db) -> Clinic:
    return Clinic.objects.create(
        name="Lakeside Clinic", slug="lakeside", timezone="America/Chicago"
    )


@pytest.fixture
def alice(riverside, carol) -> Patient:
    return create_patient(
        clinic=riverside,
        email="alice@example.org",
        first_name="Alice",
        last_name="Archer",
        timezone="America/Los_Angeles",
        clinician=carol,
        password=PASSWORD,
    )


@pytest.fixture
def bob(riverside) -> Patient:
    return create_patient(
        clinic=riverside,
        email="bob@example.org",
        first_name="Bob",
        last_name="Baker",
        timezone="America/New_York",
        password=PASSWORD,
    )


@pytest.fixture
def carol(riverside) -> User:
    return create_staff(
        clinic=riverside,
        email="carol@example.org",
        password=PASSWORD,
        role=Role.CLINICIAN,
        first_name="Carol",
        last_name="Chen",
    )


@pytest.fixture
def dana(riverside) -> User:
    return create_staff(
        clinic=riverside,
        email="dana@example.org",
        password=PASSWORD,
        role=Role.ADMIN,
        first_name="Dana",
        last_name="Diaz",
    )


@pytest.fixture
def eve(lakeside) -> User:
    return create_staff(
        clinic=lakeside,
        email="eve@example.org",
        password=PASSWORD,
        role=Role.CLINICIAN,
        first_name="Eve",
        last_name="Evans",
    )


@pytest.fixture
def pat(lakeside) -> User:
    """Lakeside's clinic admin."""
    return create_staff(
        clinic=lakeside,
        email="pat@example.org",
        password=PASSWORD,
        role=Role.ADMIN,
        first_name="Pat",
        last_name="Park",
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_user():
    return client_for


def utc(*args: int) -> datetime:
    from datetime import UTC

    return datetime(*args, tzinfo=UTC)


ONE_HOUR = timedelta(hours=1)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and at its end: PostgreSQL refuses to drop the test
    database while another session uses it. A connection left open by a thread or child process
    of some test failed one CI run after every test had passed; name it in the output and close
    it, so the teardown can finish. (Only where a test uses the database at all.)"""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, state, backend_start, left(query, 200) "
            "FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        stray = cursor.fetchall()
        for pid, *about in stray:
            print(f"\nclosing a stray connection to the test database: {pid} {about}")
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
