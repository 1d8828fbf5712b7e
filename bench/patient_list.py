"""Benchmark: the clinician patient list for a clinic of 1,000 active patients.

Run: ``uv run python bench/patient_list.py [--patients N]``. Builds a throw-away SQLite
demo clinic of N simulated patients (about 90 days of check-ins each), then times
``GET /clinic/workspace/`` (the first page of 50, sorted by open alerts; every patient is
computed to sort them) and the htmx update of the results, best of several, and counts the SQL
queries. Numbers go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import time

from demo_clinic import clinician_client, time_with_changed_patients


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument(
        "--changed", type=int, default=20, help="patients with new data before each request"
    )
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    client = clinician_client(args.patients)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cpu: list[float] = []

    def get(headers: dict | None = None) -> float:
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get("/clinic/workspace/?sort=-alerts", headers=headers or {})
        assert response.status_code == 200, response.status_code
        cpu.append(time.process_time() - start_cpu)
        return time.perf_counter() - start

    first = get()
    times = [get() for _ in range(args.repeat)]
    with CaptureQueriesContext(connection) as queries:
        get()
    print(f"first request: {first * 1000:.0f} ms")
    print(
        f"later requests: best {min(times) * 1000:.0f} ms, median "
        f"{sorted(times)[len(times) // 2] * 1000:.0f} ms"
    )
    print(f"SQL queries per request: {len(queries)}")
    # CPU time of this process (the app and SQLite run in it): what other load on the machine
    # does not inflate, unlike the wall-clock times above.
    warm = sorted(cpu[1 : 1 + args.repeat])
    print(f"CPU time per later request: median {warm[len(warm) // 2] * 1000:.0f} ms")
    changed = time_with_changed_patients(get, repeat=args.repeat, changed=args.changed)
    print(
        f"with {args.changed} patients changed before each request: best "
        f"{min(changed) * 1000:.0f} ms, median {sorted(changed)[len(changed) // 2] * 1000:.0f} ms"
    )
    htmx = {"HX-Request": "true", "HX-Target": "results"}
    partial = [get(htmx) for _ in range(args.repeat)]
    print(
        f"htmx results only: best {min(partial) * 1000:.0f} ms, median "
        f"{sorted(partial)[len(partial) // 2] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
