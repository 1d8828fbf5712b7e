"""Time one page in one process with the Django test client: CPU per request and SQL queries.

Run against a database loaded by ``bench/http_checkin.py`` (or any demo clinic), e.g.::

    AFTERCARE_DB=postgres AFTERCARE_DB_NAME=aftercare_bench_http AFTERCARE_DB_HOST=127.0.0.1 \\
      uv run python bench/http/profile_page.py /me/ --requests 30
    ... uv run --with pyinstrument python bench/http/profile_page.py /me/ --profile

Each request is made as a different demo patient in turn (as the HTTP benchmark does), after one
warm-up request per patient. Prints the median CPU time per request, the median wall time and the
queries of the last request; ``--profile`` also prints a pyinstrument profile of all requests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")
os.environ.setdefault("AFTERCARE_ALLOWED_HOSTS", "testserver")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", default="/me/")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--patients", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="pyinstrument (uv run --with)")
    parser.add_argument("--queries", action="store_true", help="print the last request's SQL")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from aftercare.accounts.models import Patient

    patients = list(Patient.objects.select_related("user").order_by("user__email"))
    clients = []
    for patient in patients[: args.patients]:
        client = Client()
        client.force_login(patient.user)
        assert client.get(args.path).status_code == 200
        clients.append(client)
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    cpu, wall = [], []
    for n in range(args.requests):
        client = clients[n % len(clients)]
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(args.path)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
        assert response.status_code == 200
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.queries:
        for query in captured.captured_queries:
            print(query["sql"][:300])
    print(
        f"{args.path}: {args.requests} requests over {len(clients)} patients: CPU median "
        f"{statistics.median(cpu) * 1000:.1f} ms, wall median {statistics.median(wall) * 1000:.1f}"
        f" ms, {len(captured)} queries, {len(response.content)} bytes",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
