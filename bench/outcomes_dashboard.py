"""Benchmark: the clinic outcomes dashboard for a clinic of 1,000 active patients.

Run: ``uv run python bench/outcomes_dashboard.py [--patients N]``. Builds a throw-away SQLite
demo clinic of N simulated patients (about 90 days of check-ins each), then times
``GET /clinic/outcomes/`` (median and best of several; the first request draws the charts and
analyses every patient, later ones reuse the drawings and the insights of patients whose data
did not change, so the first one is reported apart) and counts its SQL queries. Numbers go into
docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
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
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from aftercare.accounts.models import User
    from aftercare.demo.load import load_demo_clinic

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_demo_clinic(seed=1, now=timezone.now(), patients=args.patients)
    print(f"loaded {args.patients} patients in {time.perf_counter() - started:.0f} s ({data_dir})")
    client = Client()
    client.force_login(User.objects.get(email="dr.patel@riverside.example"))

    def get() -> float:
        start = time.perf_counter()
        response = client.get("/clinic/outcomes/")
        assert response.status_code == 200, response.status_code
        return time.perf_counter() - start

    first = get()
    times = [get() for _ in range(args.repeat)]
    with CaptureQueriesContext(connection) as queries:
        get()
    print(f"first request (charts drawn): {first * 1000:.0f} ms")
    print(
        f"later requests: best {min(times) * 1000:.0f} ms, median "
        f"{sorted(times)[len(times) // 2] * 1000:.0f} ms"
    )
    print(f"SQL queries per request: {len(queries)}")


if __name__ == "__main__":
    main()
