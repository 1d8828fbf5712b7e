"""Benchmark: peak memory of the de-identified outcome CSV (reports/deidentified.py) as data grows.

Run: ``uv run python bench/deidentified_memory.py [--sizes 100,300,1000] [--days 365]``. For each
size, one subprocess builds a throw-away SQLite clinic of N patients, each with a year of daily
check-ins, a PHQ-9 and a GAD-7 every 14 days and 12 completed infusions; a fresh subprocess then
consumes the streamed CSV line by line (as the StreamingHttpResponse does) and reports the peak of
Python allocations (tracemalloc). Streamed, the peak stays flat while the output grows. Numbers go
into docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

START = datetime(2025, 11, 1, 12, tzinfo=UTC)


def setup(data_dir: str) -> None:
    os.environ.update(
        AFTERCARE_DATA_DIR=data_dir,
        AFTERCARE_DEBUG="False",
        AFTERCARE_SECRET_KEY="bench-only-not-secret",  # noqa: S106 - a throw-away database
        AFTERCARE_ALLOWED_HOSTS="localhost",
        DJANGO_SETTINGS_MODULE="aftercare.settings",
    )
    import django

    django.setup()


def build(patients: int, days: int) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from aftercare.accounts.models import Clinic, Patient, Role, User
    from aftercare.tracking.instruments import get_instrument
    from aftercare.tracking.models import CheckIn, ScaleResponse
    from aftercare.treatment.models import Infusion

    call_command("migrate", verbosity=0)
    phq9, gad7 = get_instrument("phq9"), get_instrument("gad7")
    with transaction.atomic():
        clinic = Clinic.objects.create(name="Bench clinic", slug="bench")
        for n in range(patients):
            user = User.objects.create(
                username=f"p{n}@bench.example", email=f"p{n}@bench.example", clinic=clinic,
                role=Role.PATIENT, first_name="Pat", last_name=f"Number {n}",
                password="!",  # noqa: S106 - an unusable password
            )  # fmt: skip
            patient = Patient.objects.create(clinic=clinic, user=user, timezone="America/New_York")
            Infusion.objects.bulk_create(
                Infusion(
                    patient=patient,
                    scheduled_at=START + timedelta(days=3 * k),
                    started_at=START + timedelta(days=3 * k),
                    ended_at=START + timedelta(days=3 * k, minutes=40),
                    route="iv",
                    dose_mg_per_kg=Decimal("0.5"),
                    weight_kg=Decimal("72.4"),
                )
                for k in range(12)
            )
            CheckIn.objects.bulk_create(
                CheckIn(
                    patient=patient,
                    submitted_at=START + timedelta(days=d, hours=9),
                    local_date=(START + timedelta(days=d)).date(),
                    mood=1 + (n + d) % 10,
                )
                for d in range(days)
            )
            ScaleResponse.objects.bulk_create(
                ScaleResponse(
                    patient=patient,
                    instrument=instrument.key,
                    total=len(instrument.scored_items),
                    answers={item.id: 1 for item in instrument.scored_items},
                    taken_at=START + timedelta(days=d, hours=10),
                )
                for d in range(0, days, 14)
                for instrument in (phq9, gad7)
            )
            if n % 100 == 99:
                print(f"  built {n + 1}/{patients} patients", file=sys.stderr)


def export() -> dict:
    import tracemalloc

    from aftercare.accounts.models import Clinic
    from aftercare.reports.deidentified import csv_lines

    clinic = Clinic.objects.get(slug="bench")
    tracemalloc.start()
    started = time.perf_counter()
    size = lines = 0
    for line in csv_lines(clinic):
        size += len(line)
        lines += 1
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"rows": lines - 1, "output_mb": size / 1e6, "seconds": seconds,
            "tracemalloc_peak_mb": peak / 1e6}  # fmt: skip


def run(*args: str) -> str:
    done = subprocess.run(  # noqa: S603 - this very script
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--export", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build is not None:
        setup(args.data_dir)
        build(args.build, args.days)
        return
    if args.export:
        setup(args.data_dir)
        print(json.dumps(export()))
        return
    print("| patients | rows | CSV (MB) | seconds | peak Python allocations (MB) |")
    print("|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="aftercare-bench-") as data_dir:
            print(f"building {size} patients…", file=sys.stderr)
            run("--build", str(size), "--days", str(args.days), "--data-dir", data_dir)
            result = json.loads(run("--export", "--data-dir", data_dir))
            print(
                f"| {size:,} | {result['rows']:,} | {result['output_mb']:.1f} | "
                f"{result['seconds']:.1f} | {result['tracemalloc_peak_mb']:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
