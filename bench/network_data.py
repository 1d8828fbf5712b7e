"""Generate a clinic network into PostgreSQL: many patients with a year of history each.

Run: ``uv run python bench/network_data.py --db aftercare_network --clinic-sizes 1000,10000,39000``

Each clinic (one per size) gets an admin and two clinicians; each patient a login, an induction
course of six infusions in the first two and a half weeks and a maintenance infusion every four to
six weeks after, daily check-ins with ~70 % adherence (mood improving in most patients, with
noise), and a PHQ-9 and a GAD-7 every two weeks. A share of patients (``--short-share``) started
30 days ago, the rest ``--days`` ago, so that per-patient pages can be compared at both history
lengths. Rows are written with COPY (psycopg), a batch of patients at a time, with progress.
Columns this script does not set get the model's default, so new fields with defaults need no
change here. The database is dropped and created again.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "aftercare-network"  # noqa: S105 - a throw-away benchmark database
ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"]
INDUCTION_DAYS = (0, 2, 4, 7, 9, 11)


def setup(db: str, fresh: bool) -> None:
    os.environ.update(
        AFTERCARE_DB="postgres",
        AFTERCARE_DB_NAME=db,
        AFTERCARE_DB_HOST=os.environ.get("AFTERCARE_DB_HOST", "127.0.0.1"),
        AFTERCARE_DEBUG="True",
        AFTERCARE_ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="aftercare.settings",
    )
    if fresh:
        for sql in (f'DROP DATABASE IF EXISTS "{db}"', f'CREATE DATABASE "{db}"'):
            subprocess.run(  # noqa: S603
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql],  # noqa: S607
                check=True,
            )
    import django

    django.setup()
    if fresh:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


class Copier:
    """COPY rows of one model: the given columns, every other column at the model's default."""

    def __init__(self, cursor: Any, model: Any, columns: list[str]) -> None:
        from django.db import connection

        now = datetime.now(UTC)
        self.cursor = cursor
        self.table = model._meta.db_table
        self.names: list[str] = []
        self.fixed: list[Any] = []
        by_name = {f.attname: f for f in model._meta.concrete_fields}
        for name in columns:
            by_name.pop(name)
        for field in by_name.values():
            if field.primary_key and field.get_internal_type() in ("AutoField", "BigAutoField"):
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.has_default() or field.null or field.empty_strings_allowed:
                value = field.get_default()  # None when nullable, "" for text
            else:
                raise SystemExit(f"{self.table}.{field.column} needs a value")
            self.names.append(field.column)
            self.fixed.append(field.get_db_prep_save(value, connection))
        self.columns = [model._meta.get_field(c).column for c in columns] + self.names

    def write(self, rows: Any) -> int:
        count = 0
        sql = f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN"
        fixed = tuple(self.fixed)
        with self.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row + fixed)
                count += 1
        return count


def patient_history(
    rng: np.random.Generator, start: date, today: date
) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Check-ins, scale responses and infusion days of one patient (plain tuples)."""
    days = (today - start).days
    responder = rng.random() < 0.65
    base = rng.uniform(2.5, 4.5)
    gain = rng.uniform(2.5, 4.5) if responder else rng.uniform(-0.5, 1.0)
    t = np.arange(days + 1)
    mood = base + gain * (1 - np.exp(-t / 14)) + rng.normal(0, 1.0, days + 1)
    mood = np.clip(np.rint(mood), 1, 10).astype(int)
    energy = np.clip(mood + rng.integers(-2, 3, days + 1), 1, 10)
    anxiety = np.clip(11 - mood + rng.integers(-2, 3, days + 1), 1, 10)
    present = rng.random(days + 1) < 0.7
    minutes = rng.integers(0, 240, days + 1)
    check_ins = []
    for d in np.flatnonzero(present):
        day = start + timedelta(days=int(d))
        at = datetime(day.year, day.month, day.day, 18, tzinfo=UTC) + timedelta(
            minutes=int(minutes[d])
        )
        m = int(mood[d])
        check_ins.append((at, day, m, int(energy[d]), m, int(energy[d]), int(anxiety[d]), False))
    scales = []
    for d in range(0, days + 1, 14):
        day = start + timedelta(days=d)
        at = datetime(day.year, day.month, day.day, 17, tzinfo=UTC)
        level = min(3, max(0, round((10 - int(mood[d])) / 3)))
        for instrument, size in (("phq9", 9), ("gad7", 7)):
            items = np.clip(level + rng.integers(-1, 2, size), 0, 3)
            if instrument == "phq9":
                items[8] = 0
            answers = [int(x) for x in items]
            scales.append((instrument, answers, sum(answers), at))
    infusion_days = [d for d in INDUCTION_DAYS if d <= days]
    d = INDUCTION_DAYS[-1] + int(rng.integers(28, 43))
    while d <= days:
        infusion_days.append(d)
        d += int(rng.integers(28, 43))
    return check_ins, scales, infusion_days


def generate(args: argparse.Namespace) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from psycopg.types.json import Jsonb

    from aftercare.accounts.actions import create_staff
    from aftercare.accounts.models import Clinic, Patient, Role, User
    from aftercare.outcomes.models import DataStamp
    from aftercare.tracking.models import CheckIn, ScaleResponse
    from aftercare.treatment.models import Course, Infusion

    rng = np.random.default_rng(args.seed)
    today = datetime.now(UTC).date()
    hashed = make_password(PASSWORD)
    sizes = [int(s) for s in args.clinic_sizes.split(",")]
    total = sum(sizes)
    done = 0
    rows = {"check-ins": 0, "questionnaires": 0, "infusions": 0}
    started = time.perf_counter()
    for number, size in enumerate(sizes, start=1):
        with transaction.atomic():
            clinic = Clinic.objects.create(
                name=f"Network clinic {number} ({size:,} patients)",
                slug=f"network-{number}",
                timezone="America/New_York",
            )
            staff = [
                create_staff(
                    clinic=clinic,
                    email=f"{role}{k}@network-{number}.example",
                    password=PASSWORD,
                    role=role,
                    first_name=role.title(),
                    last_name=str(k),
                )
                for k, role in ((1, Role.ADMIN), (1, Role.CLINICIAN), (2, Role.CLINICIAN))
            ]
        clinicians = [s.pk for s in staff[1:]]
        first_user = User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for batch_start in range(0, size, args.batch):
            batch = range(batch_start, min(size, batch_start + args.batch))
            with transaction.atomic(), connection.cursor() as cursor:
                raw = cursor.cursor  # psycopg cursor, for COPY
                users = Copier(
                    raw,
                    User,
                    ["username", "email", "password", "clinic_id", "role", "first_name",
                     "last_name", "is_active", "date_joined"],
                )  # fmt: skip
                now = datetime.now(UTC)
                users.write(
                    (
                        f"p{number}-{i}@network.example",
                        f"p{number}-{i}@network.example",
                        hashed,
                        clinic.pk,
                        Role.PATIENT.value,
                        "Patient",
                        f"{number}-{i}",
                        True,
                        now,
                    )
                    for i in batch
                )
                cursor.execute(
                    "SELECT id, email FROM accounts_user WHERE clinic_id = %s AND id > %s",
                    [clinic.pk, first_user],
                )
                user_ids = {email: pk for pk, email in cursor.fetchall()}
                patients = Copier(
                    raw, Patient, ["id", "clinic_id", "user_id", "clinician_id", "timezone"]
                )
                courses = Copier(raw, Course, ["patient_id", "kind", "planned_infusions",
                                               "started_on"])  # fmt: skip
                plan: list[tuple[uuid.UUID, date, str]] = []
                patient_rows = []
                for i in batch:
                    pid = uuid.UUID(bytes=rng.bytes(16), version=4)
                    short = rng.random() < args.short_share
                    start = today - timedelta(days=30 if short else args.days)
                    zone = ZONES[i % len(ZONES)]
                    plan.append((pid, start, zone))
                    patient_rows.append(
                        (
                            pid,
                            clinic.pk,
                            user_ids[f"p{number}-{i}@network.example"],
                            clinicians[i % 2],
                            zone,
                        )
                    )
                patients.write(iter(patient_rows))
                courses.write(
                    (pid, Course.Kind.INDUCTION.value, 6, start) for pid, start, _z in plan
                )
                cursor.execute(
                    "SELECT patient_id, id FROM treatment_course WHERE patient_id = ANY(%s)",
                    [[p for p, _s, _z in plan]],
                )
                course_of = dict(cursor.fetchall())
                histories = [
                    (pid, start, clinicians[k % 2], patient_history(rng, start, today))
                    for k, (pid, start, _z) in enumerate(plan)
                ]
                rows["check-ins"] += Copier(
                    raw,
                    CheckIn,
                    ["patient_id", "submitted_at", "local_date", "mood", "energy", "interest",
                     "sleep_quality", "anxiety", "suicidal_thoughts"],
                ).write(
                    (pid, *c) for pid, _s, _c, (cs, _sc, _inf) in histories for c in cs
                )  # fmt: skip
                rows["questionnaires"] += Copier(
                    raw, ScaleResponse, ["patient_id", "instrument", "answers", "total", "taken_at"]
                ).write(
                    (pid, ins, Jsonb(answers), total, at)
                    for pid, _s, _c, (_cs, sc, _inf) in histories
                    for ins, answers, total, at in sc
                )
                rows["infusions"] += Copier(
                    raw,
                    Infusion,
                    ["patient_id", "course_id", "status", "scheduled_at", "started_at",
                     "ended_at", "route", "dose_mg_per_kg", "weight_kg", "recorded_by_id"],
                ).write(
                    (
                        pid, course_of[pid], Infusion.Status.COMPLETED.value, at, at,
                        at + timedelta(minutes=40), "iv", 0.5, 75.0, clinician,
                    )
                    for pid, start, clinician, (_cs, _sc, inf) in histories
                    for at in [
                        datetime(start.year, start.month, start.day, 14, tzinfo=UTC)
                        + timedelta(days=d)
                        for d in inf
                    ]
                )  # fmt: skip
                # A data stamp per patient, as the app writes with every save: without one the
                # list and dashboard read the patient afresh on every request (outcomes/stamps.py).
                Copier(raw, DataStamp, ["patient_id", "stamp"]).write(
                    (pid, uuid.uuid4()) for pid, _s, _z in plan
                )
            done += len(batch)
            elapsed = time.perf_counter() - started
            sys.stdout.write(
                f"\rclinic {number}/{len(sizes)}  patients {done:,}/{total:,}  "
                + "  ".join(f"{k} {v:,}" for k, v in rows.items())
                + f"  {elapsed:.0f} s, ~{elapsed / done * (total - done):.0f} s left   "
            )
            sys.stdout.flush()
    print("\nanalysing tables...", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"done in {time.perf_counter() - started:.0f} s; password for every login: {PASSWORD}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="aftercare_network")
    parser.add_argument("--clinic-sizes", default="1000,10000,39000")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--short-share", type=float, default=0.05)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    setup(args.db, fresh=True)
    generate(args)


if __name__ == "__main__":
    main()
