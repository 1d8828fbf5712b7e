"""Escalate unacknowledged alerts and look for patients who stopped checking in.

Runs as a long-lived process beside the web server (like healthchecks' sendalerts):

    aftercare sendalerts              # forever, a pass every --interval seconds
    aftercare sendalerts --once       # one pass, then exit (tests, cron)

Safe to run more than one copy: each escalation step is claimed under a row lock.
"""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone

from aftercare.safety.escalation import escalate_due_alerts
from aftercare.safety.screening import screen_missed_check_ins

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Escalate safety alerts nobody acknowledged in time; flag missed check-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")
        parser.add_argument(
            "--interval", type=int, default=30, help="Seconds between passes (default 30)."
        )
        parser.add_argument(
            "--missed-every",
            type=int,
            default=900,
            help="Seconds between missed check-in sweeps (default 900).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] < 1 or options["missed_every"] < 1:
            self.stderr.write("--interval and --missed-every must be at least 1 second")
            raise SystemExit(2)
        last_sweep = None
        while True:
            if not connection.in_atomic_block:  # (tests run inside one)
                # A long-running process must drop connections the database has closed.
                close_old_connections()
            now = timezone.now()
            escalated = missed = 0
            try:
                escalated = escalate_due_alerts(now)
                due = (
                    last_sweep is None
                    or (now - last_sweep).total_seconds() >= options["missed_every"]
                )
                if due:
                    missed = len(screen_missed_check_ins(now))
                    last_sweep = now
            except Exception:
                if options["once"]:
                    raise
                # A database restart must not end the escalations: the next pass catches up.
                log.exception("Alert pass failed; trying again in %s s", options["interval"])
            if escalated or missed or options["once"]:
                self.stdout.write(f"escalated {escalated}, missed check-in alerts {missed}")
            if options["once"]:
                return
            try:
                time.sleep(options["interval"])
            except KeyboardInterrupt:
                return
