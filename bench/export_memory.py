"""Benchmark: peak memory of the FHIR NDJSON export (``aftercare export fhir``) as data grows.

Run: ``uv run python bench/export_memory.py [--sizes 100,300,1000] [--days 365]``. For each
size, one subprocess builds a throw-away SQLite clinic of N patients, each with a year of daily
check-ins (one mood Observation each), a PHQ-9 and a GAD-7 every 14 days and 12 completed
infusions; a fresh subprocess then exports it and reports the peak of Python allocations during
the export (tracemalloc) and the process's peak resident size (ru_maxrss, including Django
itself). Streamed, both stay flat while the output grows with the data. Numbers go into
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

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
                password="!",  # noqa: S106 - "!" marks an unusable password, as Django does
            )  # fmt: skip
            patient = Patient.objects.create(
                clinic=clinic, user=user, timezone="America/New_York", birth_year=1980
            )
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
                    total=len(instrument.scored_items),  # every answer 1
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

    from aftercare.interop.fhir_export import export_ndjson

    out = Path(tempfile.mkdtemp(prefix="aftercare-fhir-"))
    tracemalloc.start()
    started = time.perf_counter()
    result = export_ndjson(out)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = sum(path.stat().st_size for path in result.files)
    for path in result.files:
        path.unlink()
    return {
        "patients": result.patients,
        "resources": sum(result.counts.values()),
        "output_mb": size / 1e6,
        "seconds": seconds,
        "tracemalloc_peak_mb": peak / 1e6,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3,
    }


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
    print("| patients | resources | NDJSON | export time | tracemalloc peak | max RSS |")
    print("|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        data_dir = tempfile.mkdtemp(prefix="aftercare-bench-")
        run("--build", str(size), "--days", str(args.days), "--data-dir", data_dir)
        row = json.loads(run("--export", "--data-dir", data_dir))
        print(
            f"| {row['patients']:,} | {row['resources']:,} | {row['output_mb']:.0f} MB "
            f"| {row['seconds']:.0f} s | {row['tracemalloc_peak_mb']:.1f} MB "
            f"| {row['maxrss_mb']:.0f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
