"""A throw-away SQLite clinic for the export memory benchmarks (export_memory.py,
deidentified_memory.py): ``setup`` points Django at a data folder, ``build`` writes patients with
a course of infusions, daily check-ins and fortnightly questionnaires."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable
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


def parse_args(description: str | None) -> argparse.Namespace:
    """The options both memory benchmarks take; the hidden ones run a child process."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--export", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    return parser.parse_args()


def serve_as_child(args: argparse.Namespace, export: Callable[[], dict]) -> bool:
    """Do a child's part (build the clinic, or export it and print the figures as JSON) and
    say so; False in the parent. Each runs in its own process so peak memory is its own."""
    if args.build is not None:
        setup(args.data_dir)
        build(args.build, args.days)
        return True
    if args.export:
        setup(args.data_dir)
        print(json.dumps(export()))
        return True
    return False


def run_child(script: str, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - a benchmark script of this folder
        [sys.executable, script, *args], check=True, capture_output=True, text=True
    )
    return done.stdout
