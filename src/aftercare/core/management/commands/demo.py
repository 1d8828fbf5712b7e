import os
import sys
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from django.utils import timezone

from aftercare.accounts.models import Clinic, Patient, Role, User
from aftercare.core.management.commands.serve import ensure_port_free, serve
from aftercare.demo.load import DEMO_PASSWORD, DEMO_SLUG, load_demo_clinic
from aftercare.guidance.companion import companion_for
from aftercare.library.actions import import_builtin
from aftercare.reminders.jobs import start_background_jobs


class Command(BaseCommand):
    help = "Set up a demo clinic with simulated patients in SQLite and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--data-dir", help="where the demo database lives (default ./var)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--patients", type=int, default=42)
        parser.add_argument("--reset", action="store_true", help="regenerate the demo data")
        parser.add_argument("--no-serve", action="store_true", help="set up, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_serve"]:
            ensure_port_free(options["host"], options["port"])  # before the minutes of set-up
        self.stdout.write(f"Data folder: {settings.DATA_DIR}")
        if "AFTERCARE_SITE_URL" not in os.environ:
            # Links in calendar feeds, reminders and PDFs point at the server being started
            # (the server's worker reads the environment; jobs in this process, the setting).
            any_address = options["host"] in ("0.0.0.0", "::")  # noqa: S104 (compared, not bound)
            host = "127.0.0.1" if any_address else options["host"]
            os.environ["AFTERCARE_SITE_URL"] = f"http://{host}:{options['port']}"
            settings.SITE_URL = os.environ["AFTERCARE_SITE_URL"]
        call_command("migrate", interactive=False, verbosity=0)
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
        if Clinic.objects.filter(slug=DEMO_SLUG).exists():
            self.stdout.write("Demo clinic already loaded (use --reset to regenerate).")
        else:
            load_demo_clinic(
                seed=options["seed"],
                now=timezone.now(),
                patients=options["patients"],
                progress=self._progress,
            )
            self.stdout.write("")
            import_builtin()
            self.stdout.write("Built-in guidance articles imported.")
        self._print_logins()
        if not options["no_serve"]:
            self.stdout.write(
                f"Serving on http://{options['host']}:{options['port']}/ (Ctrl+C stops)"
            )
            sys.stdout.flush()
            connections.close_all()  # nothing of the set-up is carried into the server
            # Reminders and alert escalation run by themselves in the demo (email to console).
            start_background_jobs()
            threading.Thread(
                target=call_command, args=["sendalerts"], name="aftercare-alerts", daemon=True
            ).start()
            serve(options["host"], options["port"])

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        self.stdout.write(
            f"\rLoading simulated patients [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
            ending="",
        )
        self.stdout.flush()

    def _print_logins(self) -> None:
        """Staff logins, and one patient login for each phase of recovery present."""
        now = timezone.now()
        staff = User.objects.filter(clinic__slug=DEMO_SLUG).exclude(role=Role.PATIENT)
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
        for user in staff.order_by("role", "email"):
            if user.is_active and user.has_usable_password():  # not the leaver, not the invitee
                self.stdout.write(f"  {user.get_role_display():<14} {user.email}")
        patients = Patient.objects.filter(clinic__slug=DEMO_SLUG).select_related("user")
        by_phase: dict[str, Patient] = {}
        for patient in patients.order_by("user__email"):
            companion = companion_for(patient, now)
            by_phase.setdefault(str(companion.text.title), patient)
        for phase, patient in by_phase.items():
            self.stdout.write(f"  {'Patient':<14} {patient.user.email:<40} {phase}")
        self.stdout.write(f"  ... {patients.count()} patients in all: see the patient list.")
