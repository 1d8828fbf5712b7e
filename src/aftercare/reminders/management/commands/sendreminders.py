from collections import Counter
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aftercare.reminders import jobs


class Command(BaseCommand):
    help = (
        "Send daily check-in reminders that are due, then keep checking every minute. "
        "Safe to run in several processes at once on PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one round, then exit")
        parser.add_argument(
            "--interval",
            type=float,
            default=jobs.INTERVAL_SECONDS,
            help="seconds between rounds (default 60)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] <= 0:
            raise CommandError("--interval must be more than 0 seconds")
        if not options["once"]:
            self.stdout.write(f"Sending reminders every {options['interval']:g} s (Ctrl+C stops)")
        try:
            jobs.run(once=options["once"], interval=options["interval"], report=self._report)
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")

    def _report(self, started: datetime, outcomes: Counter[str]) -> None:
        line = f"{started:%Y-%m-%d %H:%M:%S} UTC  {jobs.summary(outcomes)}"
        self.stdout.write(self.style.ERROR(line) if outcomes[jobs.FAILED] else line)
        self.stdout.flush()
