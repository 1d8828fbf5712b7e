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
import time

from demo_clinic import clinician_client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    client = clinician_client(args.patients)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

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
