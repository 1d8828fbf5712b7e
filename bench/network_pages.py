"""Page timings on the generated clinic network (bench/network_data.py), per clinic size.

Run: ``uv run python bench/network_pages.py --db aftercare_network [--explain]``

For each clinic of the network (e.g. 1,000, 10,000 and 39,000 patients) it times, in-process
with Django's test client on PostgreSQL, the clinic pages a clinician opens (workspace list,
patient list, outcomes dashboard) and the per-patient pages (the clinician's timeline, the
patient's home page) for a patient with 30 days and one with 365 days of history. Each page is
requested once to warm up, then ``--repeat`` times (fewer for pages slower than 20 s); medians
are printed with the SQL query count. ``--explain`` prints EXPLAIN (ANALYZE, BUFFERS) for the
slowest queries of each clinic page at the largest clinic.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any


def setup(db: str) -> None:
    os.environ.update(
        AFTERCARE_DB="postgres",
        AFTERCARE_DB_NAME=db,
        AFTERCARE_DB_HOST=os.environ.get("AFTERCARE_DB_HOST", "127.0.0.1"),
        AFTERCARE_DEBUG="True",
        AFTERCARE_ALLOWED_HOSTS="testserver",
        AFTERCARE_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="aftercare.settings",
    )
    import django

    django.setup()


def timed(client: Any, url: str, repeat: int) -> tuple[float, int, float, list[dict]]:
    """(median seconds, queries, first-request seconds, captured queries of the last run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    response = client.get(url)
    first = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    times = []
    captured: list[dict] = []
    for _ in range(1 if first > 20 else repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - start)
        captured = queries.captured_queries
    return statistics.median(times), len(captured), first, captured


def explain(captured: list[dict], top: int) -> None:
    from django.db import connection

    slowest = sorted(captured, key=lambda q: float(q["time"]), reverse=True)[:top]
    with connection.cursor() as cursor:
        for query in slowest:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            print(f"\n-- {float(query['time']) * 1000:.0f} ms: {sql[:300]}...")
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            for (line,) in cursor.fetchall():
                print("   ", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="aftercare_network")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--clinics", help="slugs, comma separated (default: every clinic)")
    args = parser.parse_args()
    setup(args.db)
    from datetime import timedelta

    from django.db.models import Count, Min
    from django.test import Client
    from django.utils import timezone

    from aftercare.accounts.models import Clinic, Patient, Role, User

    clinics = Clinic.objects.filter(slug__startswith="network-").annotate(n=Count("patients"))
    if args.clinics:
        clinics = clinics.filter(slug__in=args.clinics.split(","))
    print("| clinic patients | page | median | first request | SQL queries |")
    print("|---|---|---|---|---|")
    largest: tuple[int, dict[str, list[dict]]] = (0, {})
    for clinic in clinics.order_by("n"):
        staff = Client()
        staff.force_login(
            User.objects.filter(clinic=clinic, role=Role.CLINICIAN).order_by("pk").first()
        )
        recent = timezone.now() - timedelta(days=40)
        by_start = Patient.objects.filter(clinic=clinic).annotate(
            first=Min("check_ins__submitted_at")
        )
        short = by_start.filter(first__gte=recent).order_by("pk").first()
        long = by_start.filter(first__lt=recent).order_by("pk").first()
        pages = {
            "workspace list `/clinic/workspace/`": "/clinic/workspace/",
            "patient list `/clinic/patients/`": "/clinic/patients/",
            "outcomes dashboard `/clinic/outcomes/`": "/clinic/outcomes/",
        }
        captured_pages = {}
        for label, url in pages.items():
            median, count, first, captured = timed(staff, url, args.repeat)
            captured_pages[label] = captured
            print(
                f"| {clinic.n:,} | {label} | {median * 1000:,.0f} ms | {first * 1000:,.0f} ms "
                f"| {count} |",
                flush=True,
            )
        for history, patient in (("30 days", short), ("365 days", long)):
            if patient is None:
                continue
            own = Client()
            own.force_login(patient.user)
            for label, client, url in (
                (f"timeline, {history}", staff, f"/clinic/patients/{patient.pk}/timeline/"),
                (f"patient home `/me/`, {history}", own, "/me/"),
                (f"patient trends `/me/trends/`, {history}", own, "/me/trends/"),
            ):
                median, count, first, _captured = timed(client, url, args.repeat)
                print(
                    f"| {clinic.n:,} | {label} | {median * 1000:,.0f} ms | "
                    f"{first * 1000:,.0f} ms | {count} |",
                    flush=True,
                )
        if clinic.n > largest[0]:
            largest = (clinic.n, captured_pages)
    if args.explain:
        for label, captured in largest[1].items():
            print(f"\n## {label}, {largest[0]:,} patients: slowest queries")
            explain(captured, top=3)


if __name__ == "__main__":
    main()
