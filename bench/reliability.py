"""Reliability tests against real processes sharing one PostgreSQL database.

Each test starts `aftercare serve` (granian) on two ports and/or the job workers
(`aftercare sendreminders`, `aftercare sendalerts`), drives them from many client threads
through the normal login form, kills processes with SIGKILL where the test says so, then
compares what was acknowledged or due with what the database holds and what was emailed.

    uv run python bench/reliability.py                 # every test, default sizes
    uv run python bench/reliability.py checkins jobs   # some of them
    uv run python bench/reliability.py --patients 32 --threads 16

Tests: ``checkins`` (concurrent check-ins, every submission sent twice at once to the two
servers), ``crash`` (the same while a server is killed and restarted), ``jobs`` (reminder and
escalation workers killed and restarted while sending), ``scaleout`` (two servers and two
workers of each job at once, no kills). Figures go to docs/reliability.md. A throw-away
database (``--db``, default aftercare_scaleout_bench) is dropped and created first.
The suite runs small versions of these (tests/reliability/).
"""

# ruff: noqa: S311 (random picks which process to kill and when, nothing secret)
from __future__ import annotations

import argparse
import contextlib
import email
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any

PASSWORD = "reliability-test-password-4096"  # noqa: S105 (throw-away database)
SEPARATOR = b"-" * 79 + b"\n"  # between messages in Django's file email backend


# Processes


class Proc:
    """One app process in its own process group, so SIGKILL takes its children too."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name, self.argv, self.env, self.log_dir = name, argv, env, log_dir
        self.popen: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.started_at = 0.0

    def start(self) -> None:
        self.starts += 1
        self.started_at = time.monotonic()
        with open(self.log_dir / f"{self.name}.log", "ab") as log:
            self.popen = subprocess.Popen(  # noqa: S603 (our own command line)
                self.argv,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not ended after 10 s."""
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)
        self._signal(signal.SIGKILL)

    def _signal(self, sig: int) -> None:
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)
        self.popen.wait()
        self.popen = None


@dataclass
class Cluster:
    """A throw-away database, its settings and the processes started against it."""

    db_name: str
    # False: AFTERCARE_DEBUG=True, so static files need no collectstatic (minutes on a busy
    # machine); the suite's short runs use it. Everything that matters here is the same.
    production: bool = True
    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="aftercare-rel-")))
    procs: list[Proc] = field(default_factory=list)

    @property
    def db(self) -> dict[str, str]:
        return {
            "host": os.getenv("AFTERCARE_DB_HOST", "127.0.0.1"),
            "port": os.getenv("AFTERCARE_DB_PORT", "5432"),
            "user": os.getenv("AFTERCARE_DB_USER", "postgres"),
            "password": os.getenv("AFTERCARE_DB_PASSWORD", ""),
        }

    def env(self, **extra: str) -> dict[str, str]:
        """Production settings (DEBUG off), configured only by environment, as deployed."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AFTERCARE_", "PYTEST"))}
        env.update(
            DJANGO_SETTINGS_MODULE="aftercare.settings",
            AFTERCARE_DB="postgres",
            AFTERCARE_DB_NAME=self.db_name,
            AFTERCARE_DB_HOST=self.db["host"],
            AFTERCARE_DB_PORT=self.db["port"],
            AFTERCARE_DB_USER=self.db["user"],
            AFTERCARE_DB_PASSWORD=self.db["password"],
            AFTERCARE_DEBUG=str(not self.production),
            AFTERCARE_SECRET_KEY="reliability-" + "x" * 50,
            AFTERCARE_SECURE_SSL_REDIRECT="False",
            AFTERCARE_BEHIND_PROXY="False",
            AFTERCARE_DATA_DIR=str(self.work / "data"),
            AFTERCARE_LOG_LEVEL="WARNING",
            **extra,
        )
        return env

    def connect(self, dbname: str | None = None) -> Any:
        import psycopg

        return psycopg.connect(dbname=dbname or self.db_name, autocommit=True, **self.db)

    def create(self, progress: Any = print) -> None:
        progress(f"creating database {self.db_name}, migrating, collecting static files")
        with self.connect("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.db_name}"')
        self.manage("migrate", "--noinput", "-v0")
        if self.production:
            self.manage("collectstatic", "--noinput", "-v0")

    def drop(self) -> None:
        """Drop the database and delete the work folder (logs, emails, static files)."""
        with self.connect("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        shutil.rmtree(self.work, ignore_errors=True)

    def manage(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "aftercare.cli", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"aftercare {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def seed(self, tag: str, load: int, reminders: int, alerts: int) -> dict[str, Any]:
        done = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "_seed", tag, str(load), str(reminders), str(alerts)],
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"seeding failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.splitlines()[-1])

    def add(self, name: str, *args: str, **env: str) -> Proc:
        (self.work / "logs").mkdir(parents=True, exist_ok=True)
        argv = [sys.executable, "-m", "aftercare.cli", *args]
        proc = Proc(name, argv, self.env(**env), self.work / "logs")
        self.procs.append(proc)
        return proc

    def server(self, name: str) -> tuple[Proc, str]:
        port = free_port()
        proc = self.add(name, "serve", "--port", str(port), "--threads", "4")
        return proc, f"http://127.0.0.1:{port}"

    def stop_all(self) -> None:
        for proc in self.procs:
            proc.stop()
        self.procs.clear()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(base: str, timeout: float = 90) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{base} did not answer /healthz within {timeout:.0f} s")


# HTTP clients


class Patient:
    """A logged-in browser: cookies kept by hand, because the production cookies are Secure
    and the test talks plain HTTP to the app, as the load balancer behind TLS would."""

    def __init__(self, email_address: str) -> None:
        self.email = email_address
        self.cookies: dict[str, str] = {}

    def keep(self, response: Any) -> None:
        self.cookies.update({c.name: c.value for c in response.cookies})


_local = threading.local()


def http() -> Any:
    import requests

    if not hasattr(_local, "session"):
        # One connection pool per thread, but no cookie jar shared between the patients the
        # thread serves: each request carries its patient's cookies, nothing else.
        _local.session = requests.Session()
        _local.session.cookies.set_policy(NoCookies())
    return _local.session


class NoCookies(DefaultCookiePolicy):
    def set_ok(self, cookie: Any, request: Any) -> bool:
        return False


@dataclass
class Load:
    """What the clients did and saw."""

    sent: int = 0
    failures: int = 0  # connection errors and 5xx answers, each retried
    rejected: int = 0  # 4xx or a form shown again: not retried, not acknowledged
    acked: set[tuple[str, str]] = field(default_factory=set)  # (email, submission key)
    kinds: Counter[str] = field(default_factory=Counter)  # what the failures were
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, **deltas: int) -> None:
        with self.lock:
            for name, delta in deltas.items():
                setattr(self, name, getattr(self, name) + delta)


def send(load: Load, servers: list[str], first: int, call: Any, tries: int = 60) -> Any:
    """``call(base)`` against ``servers[first]``, then the others in turn, until an answer
    that is not an error: what a load balancer with retries does."""
    import requests

    for attempt in range(tries):
        base = servers[(first + attempt) % len(servers)]
        load.count(sent=1)
        try:
            response = call(base)
        except requests.RequestException as error:
            with load.lock:
                load.failures += 1
                load.kinds[type(error).__name__] += 1
        else:
            if response.status_code < 500:
                return response
            with load.lock:
                load.failures += 1
                load.kinds[f"HTTP {response.status_code}"] += 1
        time.sleep(min(0.05 * (attempt + 1), 0.5))
    raise RuntimeError("no server answered")


def log_in(load: Load, servers: list[str], patient: Patient) -> None:
    first = random.randrange(len(servers))
    page = send(load, servers, first, lambda b: http().get(b + "/accounts/login/", timeout=30))
    patient.keep(page)

    def post(base: str) -> Any:
        return http().post(
            base + "/accounts/login/",
            data={
                "username": patient.email,
                "password": PASSWORD,
                "csrfmiddlewaretoken": patient.cookies.get("csrftoken", ""),
            },
            cookies=patient.cookies,
            allow_redirects=False,
            timeout=30,
        )

    answer = send(load, servers, first + 1, post)
    if answer.status_code != 302:
        raise RuntimeError(f"login of {patient.email} failed: {answer.status_code}")
    patient.keep(answer)


def check_in(load: Load, servers: list[str], patient: Patient, key: str, first: int) -> None:
    def post(base: str) -> Any:
        return http().post(
            base + "/me/check-in/",
            data={
                "mood": "7",
                "energy": "6",
                "nothing_unusual": "on",
                "submission_key": key,
                "csrfmiddlewaretoken": patient.cookies.get("csrftoken", ""),
            },
            cookies=patient.cookies,
            allow_redirects=False,
            timeout=30,
        )

    answer = send(load, servers, first, post)
    # Saved: the redirect to the patient's page (or the crisis screen, not expected here).
    if answer.status_code == 302 and "/login" not in answer.headers.get("Location", ""):
        with load.lock:
            load.acked.add((patient.email, key))
    else:
        load.count(rejected=1)


def run_check_ins(
    servers: list[str],
    emails: list[str],
    per_patient: int,
    threads: int,
    progress: Any,
    load: Load | None = None,
) -> Load:
    """Log every patient in, then send ``per_patient`` check-ins each, every one of them twice
    at the same moment (a double tap), the two copies to different servers."""
    load = load if load is not None else Load()
    patients = [Patient(e) for e in emails]
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda p: log_in(load, servers, p), patients))
        progress(f"  {len(patients)} patients logged in; sending check-ins")
        jobs = [
            (patient, key, copy)
            for patient in patients
            for key in (str(uuid.uuid4()) for _ in range(per_patient))
            for copy in range(2)
        ]
        random.shuffle(jobs)
        list(pool.map(lambda j: check_in(load, servers, j[0], j[1], j[2]), jobs))
    return load


def stored_check_ins(cluster: Cluster, emails: list[str]) -> Counter[tuple[str, str]]:
    with cluster.connect() as conn:
        rows = conn.execute(
            "SELECT u.email, c.submission_key::text FROM tracking_checkin c "
            "JOIN accounts_patient p ON p.id = c.patient_id "
            "JOIN accounts_user u ON u.id = p.user_id WHERE u.email = ANY(%s)",
            [emails],
        ).fetchall()
    return Counter((e, k) for e, k in rows)


def compare_check_ins(cluster: Cluster, emails: list[str], load: Load) -> dict[str, Any]:
    stored = stored_check_ins(cluster, emails)
    return {
        "requests": load.sent,
        "failures": load.failures + load.rejected,
        "acknowledged": len(load.acked),
        "duplicates": sum(n - 1 for n in stored.values() if n > 1),
        "losses": len(load.acked - set(stored)),
        "stored without acknowledgement": len(set(stored) - load.acked),
        "failure kinds": ", ".join(f"{n} {kind}" for kind, n in load.kinds.most_common()) or "-",
    }


# Email, counted by Message-ID


def read_mail(folder: Path) -> Counter[str]:
    """How many times each Message-ID was written by the file email backends under folder."""
    seen: Counter[str] = Counter()
    for path in folder.rglob("*.log"):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                seen[str(email.message_from_bytes(chunk)["Message-ID"])] += 1
    return seen


def expected_mail(seeded: dict[str, Any], host: str = "127.0.0.1") -> set[str]:
    day = datetime.now(UTC).strftime("%Y%m%d")
    ids = {f"<reminder.{pk}.{day}@{host}>" for pk in seeded["reminder_patients"]}
    ids |= {f"<alert.{pk}.step.{step}@{host}>" for pk in seeded["alerts"] for step in (1, 2)}
    return ids


def jobs_done(cluster: Cluster, seeded: dict[str, Any]) -> bool:
    with cluster.connect() as conn:
        sent = conn.execute(
            "SELECT count(*) FROM reminders_remindersent WHERE patient_id::text = ANY(%s)",
            [seeded["reminder_patients"]],
        ).fetchone()[0]
        escalated = conn.execute(
            "SELECT count(*) FROM safety_alert WHERE id = ANY(%s) AND escalation_level = 2",
            [seeded["alerts"]],
        ).fetchone()[0]
    return bool(sent == len(seeded["reminder_patients"]) and escalated == len(seeded["alerts"]))


def release(cluster: Cluster, seeded: dict[str, Any]) -> None:
    """Make the seeded reminders and escalation steps due, all at once."""
    with cluster.connect() as conn, conn.transaction():
        conn.execute(
            "UPDATE reminders_reminderpreference SET enabled = true "
            "WHERE patient_id::text = ANY(%s)",
            [seeded["reminder_patients"]],
        )
        # The acknowledgement deadline passed 105 minutes ago: both steps are due.
        conn.execute(
            "UPDATE safety_alert SET next_escalation_at = ack_due_at WHERE id = ANY(%s)",
            [seeded["alerts"]],
        )


def wait_connected(cluster: Cluster, count: int, timeout: float = 120) -> None:
    """Until ``count`` sessions are connected to the database: the workers have started."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with cluster.connect() as conn:
            connected = conn.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [cluster.db_name],
            ).fetchone()[0]
        if connected >= count:
            return
        time.sleep(0.2)
    raise RuntimeError(f"fewer than {count} processes connected within {timeout:.0f} s")


def start_workers(cluster: Cluster, mail: Path, count: int = 2) -> list[Proc]:
    """``count`` workers of each job, each writing email to its own folder."""
    workers = []
    for i in range(count):
        for job, args in (
            ("sendreminders", ["--interval", "0.5"]),
            ("sendalerts", ["--interval", "1"]),
        ):
            folder = mail / f"{job}-{i}"
            folder.mkdir(parents=True, exist_ok=True)
            proc = cluster.add(f"{job}-{i}", job, *args, AFTERCARE_EMAIL_FILE_PATH=str(folder))
            proc.start()
            workers.append(proc)
    return workers


def wait_for_jobs(
    cluster: Cluster,
    seeded: dict[str, Any],
    timeout: float,
    kill_every: float | None = None,
    warm_up: float = 5.0,
) -> tuple[bool, int]:
    """Wait until every due reminder and escalation step is recorded; with ``kill_every``,
    meanwhile SIGKILL a random worker at random moments and start it again at once. Only
    workers up since the start, or for ``warm_up`` seconds after a restart, are killed: a
    kill while Python starts proves nothing, and killing faster than workers start would
    leave none working."""
    workers = [p for p in cluster.procs if p.name.startswith(("sendreminders", "sendalerts"))]
    deadline = time.monotonic() + timeout
    kills = 0
    # The first kill right after the work was released, so that a short run still has one.
    pause = random.uniform(0.02, 0.1)
    while time.monotonic() < deadline:
        if jobs_done(cluster, seeded):
            return True, kills
        if kill_every is None:
            time.sleep(0.2)
            continue
        time.sleep(pause)
        pause = random.uniform(0.5, 1.5) * kill_every
        warm = [p for p in workers if p.starts == 1 or time.monotonic() - p.started_at >= warm_up]
        if warm and not jobs_done(cluster, seeded):
            victim = random.choice(warm)
            victim.kill()
            kills += 1
            victim.start()
    return jobs_done(cluster, seeded), kills


def rollbacks(cluster: Cluster) -> int:
    """Transactions PostgreSQL rolled back in this database so far: with no errors in the
    logs, each is a worker killed inside one (claimed, maybe sent, not committed)."""
    with cluster.connect() as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute(
            "SELECT xact_rollback FROM pg_stat_database WHERE datname = %s", [cluster.db_name]
        ).fetchone()
    return int(row[0])


def compare_mail(mail: Path, seeded: dict[str, Any]) -> dict[str, Any]:
    seen = read_mail(mail)
    expected = expected_mail(seeded)
    return {
        "due": len(expected),
        "emails": sum(seen.values()),
        "duplicates": sum(n - 1 for n in seen.values() if n > 1),
        "losses": len(expected - set(seen)),
        "unexpected": len(set(seen) - expected),
    }


# The tests


@dataclass
class Sizes:
    patients: int = 64
    per_patient: int = 5
    threads: int = 32
    reminders: int = 600
    alerts: int = 200
    kill_every: float = 3.0  # seconds between kills, on average


def scenario_checkins(cluster: Cluster, sizes: Sizes, progress: Any = print) -> dict[str, Any]:
    seeded = cluster.seed("checkins", sizes.patients, 0, 0)
    servers = start_servers(cluster)
    load = run_check_ins(servers, seeded["load"], sizes.per_patient, sizes.threads, progress)
    cluster.stop_all()
    return compare_check_ins(cluster, seeded["load"], load)


def scenario_crash(cluster: Cluster, sizes: Sizes, progress: Any = print) -> dict[str, Any]:
    seeded = cluster.seed("crash", sizes.patients, 0, 0)
    servers = start_servers(cluster)
    procs = list(cluster.procs)
    stop = threading.Event()
    load = Load()
    kills = 0

    def killer() -> None:
        nonlocal kills
        # The first kill comes as soon as check-ins are being acknowledged: a short load
        # would otherwise finish before the first random interval ends and test nothing.
        while not load.acked and not stop.wait(0.002):
            pass
        delay = 0.0
        while not stop.wait(delay):
            i = random.randrange(len(procs))
            procs[i].kill()
            kills += 1
            procs[i].start()
            wait_healthy(servers[i])
            delay = random.uniform(0.5, 1.5) * sizes.kill_every

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        run_check_ins(servers, seeded["load"], sizes.per_patient, sizes.threads, progress, load)
    finally:
        stop.set()
        thread.join()
        cluster.stop_all()
    return {**compare_check_ins(cluster, seeded["load"], load), "kills": kills}


def scenario_jobs(cluster: Cluster, sizes: Sizes, progress: Any = print) -> dict[str, Any]:
    seeded = cluster.seed("jobs", 0, sizes.reminders, sizes.alerts)
    mail = cluster.work / f"mail-jobs-{uuid.uuid4().hex[:6]}"
    workers = start_workers(cluster, mail)
    wait_connected(cluster, len(workers))
    progress(f"  {sizes.reminders} reminders and {2 * sizes.alerts} escalation steps due")
    before = rollbacks(cluster)
    release(cluster, seeded)
    done, kills = wait_for_jobs(cluster, seeded, timeout=300, kill_every=sizes.kill_every)
    settle(cluster)
    time.sleep(1)  # PostgreSQL publishes statistics about once a second
    return {
        **compare_mail(mail, seeded),
        "kills": kills,
        "kills inside a transaction": rollbacks(cluster) - before,
        "finished": done,
    }


def scenario_scaleout(cluster: Cluster, sizes: Sizes, progress: Any = print) -> dict[str, Any]:
    seeded = cluster.seed("scaleout", sizes.patients, sizes.reminders, sizes.alerts)
    servers = start_servers(cluster)
    mail = cluster.work / f"mail-scaleout-{uuid.uuid4().hex[:6]}"
    release(cluster, seeded)
    start_workers(cluster, mail)
    load = run_check_ins(servers, seeded["load"], sizes.per_patient, sizes.threads, progress)
    done, _ = wait_for_jobs(cluster, seeded, timeout=300)
    settle(cluster)
    checkins = compare_check_ins(cluster, seeded["load"], load)
    emails = compare_mail(mail, seeded)
    return {
        **checkins,
        "emails due": emails["due"],
        "emails": emails["emails"],
        "duplicates": checkins["duplicates"] + emails["duplicates"],
        "losses": checkins["losses"] + emails["losses"],
        "unexpected emails": emails["unexpected"],
        "finished": done,
    }


def start_servers(cluster: Cluster, count: int = 2) -> list[str]:
    servers = []
    for i in range(count):
        proc, base = cluster.server(f"server-{i}")
        proc.start()
        servers.append(base)
    for base in servers:
        wait_healthy(base)
    return servers


def settle(cluster: Cluster) -> None:
    """Let every worker run at least one more round (nothing more may be sent), then stop."""
    time.sleep(3)
    cluster.stop_all()


TESTS = {
    "checkins": scenario_checkins,
    "crash": scenario_crash,
    "jobs": scenario_jobs,
    "scaleout": scenario_scaleout,
}


# Seeding (runs in a child process with the cluster's settings)


def _seed(tag: str, load: int, reminders: int, alerts: int) -> dict[str, Any]:
    import django

    django.setup()
    from datetime import time as clock
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from aftercare.accounts.actions import create_patient, create_staff
    from aftercare.accounts.models import Clinic, Role, User
    from aftercare.reminders.models import ReminderPreference
    from aftercare.safety.models import Alert, SafetySettings

    now = timezone.now()
    run = f"{tag}-{uuid.uuid4().hex[:6]}"
    with transaction.atomic():
        clinic = Clinic.objects.create(name=f"Reliability {run}", slug=run, timezone="UTC")
        create_staff(
            clinic=clinic, email=f"admin-{run}@rel.example", password=None, role=Role.ADMIN
        )
        safety = SafetySettings.for_clinic(clinic)
        safety.on_call_email = f"oncall-{run}@rel.example"
        safety.save()

        def patients(kind: str, count: int, enabled: bool) -> list[Any]:
            made = []
            for i in range(count):
                patient = create_patient(
                    clinic=clinic,
                    email=f"{kind}-{run}-{i}@rel.example",
                    first_name=kind,
                    last_name=str(i),
                    timezone="UTC",
                )
                # Due since midnight UTC, no quiet hours: every round finds it due today.
                ReminderPreference.objects.create(
                    patient=patient,
                    enabled=enabled,
                    time_of_day=clock(0, 0),
                    quiet_start=None,
                    quiet_end=None,
                )
                made.append(patient)
            return made

        loaders = patients("load", load, enabled=False)
        # Off, and alerts not yet due, until release(): the work starts once workers run.
        reminded = patients("reminded", reminders, enabled=False)
        # One argon2 hash for everyone: hashing each password would take minutes.
        User.objects.filter(clinic=clinic, role=Role.PATIENT).update(
            password=make_password(PASSWORD)
        )
        made_alerts = [
            Alert.objects.create(
                patient=reminded[i % len(reminded)],
                clinic=clinic,
                severity=Alert.Severity.URGENT,
                rule_id="suicidal_thoughts",
                source_kind=Alert.Source.CONCERN,
                created_at=now - timedelta(hours=2),
                ack_due_at=now - timedelta(hours=1, minutes=45),
                next_escalation_at=now + timedelta(days=1),
            )
            for i in range(alerts)
        ]
    return {
        "load": [p.user.email for p in loaders],
        "reminder_patients": [str(p.pk) for p in reminded],
        "alerts": [a.pk for a in made_alerts],
    }


# Command line


def table(results: dict[str, dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in results.values():
        columns += [c for c in row if c not in columns]
    lines = [
        "| test | " + " | ".join(columns) + " |",
        "|---" * (len(columns) + 1) + "|",
    ]
    for name, row in results.items():
        lines.append(f"| {name} | " + " | ".join(str(row.get(c, "")) for c in columns) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tests", nargs="*", default=list(TESTS), help=", ".join(TESTS))
    parser.add_argument("--db", default="aftercare_scaleout_bench")
    parser.add_argument("--patients", type=int, default=Sizes.patients)
    parser.add_argument("--per-patient", type=int, default=Sizes.per_patient)
    parser.add_argument("--threads", type=int, default=Sizes.threads)
    parser.add_argument("--reminders", type=int, default=Sizes.reminders)
    parser.add_argument("--alerts", type=int, default=Sizes.alerts)
    parser.add_argument("--kill-every", type=float, default=Sizes.kill_every)
    parser.add_argument("--repeat", type=int, default=1, help="run each test this many times")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database, logs and emails afterwards"
    )
    args = parser.parse_args(argv)
    unknown = set(args.tests) - set(TESTS)
    if unknown:
        parser.error(f"unknown test {', '.join(sorted(unknown))}: choose from {', '.join(TESTS)}")
    sizes = Sizes(
        args.patients, args.per_patient, args.threads, args.reminders, args.alerts, args.kill_every
    )
    cluster = Cluster(args.db)
    cluster.create()
    results = {}
    try:
        for name in args.tests:
            for run in range(1, args.repeat + 1):
                label = name if args.repeat == 1 else f"{name} #{run}"
                print(f"{label}: running (logs in {cluster.work / 'logs'})", flush=True)
                started = time.monotonic()
                results[label] = TESTS[name](cluster, sizes, lambda s: print(s, flush=True))
                took = time.monotonic() - started
                print(f"{label}: {results[label]} ({took:.0f} s)", flush=True)
    finally:
        cluster.stop_all()
        if not args.keep:
            cluster.drop()
    print()
    print(table(results))
    bad = any(r.get("duplicates") or r.get("losses") for r in results.values())
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["_seed"]:
        tag, load, reminders, alerts = sys.argv[2], *map(int, sys.argv[3:6])
        print(json.dumps(_seed(tag, load, reminders, alerts)))
    else:
        sys.exit(main(sys.argv[1:]))
