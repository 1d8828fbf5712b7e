"""Shared set-up for the HTTP benchmarks: a throw-away SQLite demo clinic and a logged-in client.

Django is configured here, so call ``clinician_client`` before importing anything from the app.
"""

from __future__ import annotations

import os
import tempfile
import time
from typing import Any


def clinician_client(patients: int) -> Any:
    """Migrate a fresh SQLite database, load ``patients`` simulated patients and return a test
    client logged in as one of the demo clinicians."""
    data_dir = tempfile.mkdtemp(prefix="aftercare-bench-")
    os.environ.update(
        AFTERCARE_DATA_DIR=data_dir,
        AFTERCARE_DEBUG="True",
        AFTERCARE_ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="aftercare.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from aftercare.accounts.models import User
    from aftercare.demo.load import load_demo_clinic

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_demo_clinic(seed=1, now=timezone.now(), patients=patients)
    print(f"loaded {patients} patients in {time.perf_counter() - started:.0f} s ({data_dir})")
    client = Client()
    client.force_login(User.objects.get(email="dr.patel@riverside.example"))
    return client


def time_with_changed_patients(get: Any, *, repeat: int, changed: int) -> list[float]:
    """Seconds of ``get()`` when ``changed`` patients have new data before each call: the usual
    case between two looks at a list. New data gives them a new data stamp
    (outcomes/stamps.py), so exactly they are read and analysed again."""
    from aftercare.accounts.models import Patient
    from aftercare.outcomes.stamps import touch

    ids = list(Patient.objects.values_list("pk", flat=True))
    times = []
    for i in range(repeat):
        touch(ids[i * changed : (i + 1) * changed])
        times.append(get())
    return times
