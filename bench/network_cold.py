"""The first request of a fresh app process on the generated clinic network
(bench/network_data.py): what a clinician waits for after a deploy, a restart or on a second app
server, when no patient is in the process's memory (``outcomes/memory.py``).

Run: ``uv run python bench/network_cold.py --db aftercare_network [--clinics network-1]
[--rounds 2] [--profile]``

Per clinic, each round starts a new Python process that logs in a clinician and requests the
workspace list and then the outcomes dashboard once each, printing wall time, the process's CPU
time and the SQL query count of each. With ``--empty`` the kept copies of loaded patients
(``outcomes.LoadedData``) are deleted before each round, so every round reads every patient's
history (what the first request ever, or after a backup restore, costs); without it the first
round fills the table and later rounds read from it. ``--profile`` prints the top functions of
the first page's request by cumulative time. ``--pages`` requests other pages, or these in
another order (the dashboard alone: ``--pages /clinic/outcomes/``).

To compare with an earlier version, run the same command with that version's ``src`` first on
``PYTHONPATH`` (e.g. from ``git archive``): it ignores the table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from network_pages import setup  # bench/ is the script's folder

PAGES = ("/clinic/workspace/", "/clinic/outcomes/")


def child(db: str, slug: str, empty: bool, profile: bool, pages: list[str]) -> None:
    """One fresh process: both pages once, results as a JSON line."""
    setup(db)
    from django.apps import apps
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from aftercare.accounts.models import Role, User

    kept = apps.all_models["outcomes"].get("loadeddata")
    if empty and kept is not None:
        kept.objects.filter(patient__clinic__slug=slug).delete()
    client = Client()
    client.force_login(
        User.objects.filter(clinic__slug=slug, role=Role.CLINICIAN).order_by("pk").first()
    )
    client.get("/me/")  # imports, URL resolver, templates: not the patients' data
    out = []
    for n, url in enumerate(pages):
        profiler = None
        if profile and n == 0:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        with CaptureQueriesContext(connection) as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if profiler is not None:
            import pstats

            profiler.disable()
            stats = pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative")
            stats.print_stats(
                r"aftercare/(?!.*(middleware|security|scoping))|psycopg/connection", 25
            )
        assert response.status_code == 200, (url, response.status_code)
        out.append({"url": url, "wall": wall, "cpu": cpu, "queries": len(queries)})
    rows = kept.objects.filter(patient__clinic__slug=slug).count() if kept is not None else None
    print(json.dumps({"pages": out, "kept_rows": rows}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="aftercare_network")
    parser.add_argument("--clinics", help="slugs, comma separated (default: every clinic)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--empty", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--pages", default=",".join(PAGES), help="in this order, comma separated")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.db, args.child, args.empty, args.profile, args.pages.split(","))
        return
    setup(args.db)
    from django.db.models import Count

    from aftercare.accounts.models import Clinic

    clinics = Clinic.objects.filter(slug__startswith="network-").annotate(n=Count("patients"))
    if args.clinics:
        clinics = clinics.filter(slug__in=args.clinics.split(","))
    load = os.getloadavg()[0]
    print(f"load average at start: {load:.1f}")
    print(
        "| clinic patients | round | page | first request (wall) | CPU | SQL queries | kept rows |"
    )
    print("|---|---|---|---|---|---|---|")
    for clinic in clinics.order_by("n"):
        for round_ in range(1, args.rounds + 1):
            command = [sys.executable, __file__, "--db", args.db, "--child", clinic.slug]
            command += ["--pages", args.pages]
            command += ["--empty"] if args.empty else []
            command += ["--profile"] if args.profile and round_ == args.rounds else []
            done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
            if done.returncode:
                sys.exit(done.stderr[-3000:])
            if args.profile and round_ == args.rounds:
                print(done.stderr[-9000:], file=sys.stderr)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            for page in result["pages"]:
                print(
                    f"| {clinic.n:,} | {round_} | `{page['url']}` | {page['wall']:.2f} s "
                    f"| {page['cpu']:.2f} s | {page['queries']} | {result['kept_rows']} |",
                    flush=True,
                )
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
