"""``aftercare export fhir --out DIR [--clinic SLUG]``: every patient as FHIR R4 NDJSON.

One file per resource type in DIR (Patient.ndjson, Procedure.ndjson, ...); progress
(patients done / total) goes to stderr. Codes and resources: docs/fhir.md.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aftercare.accounts.models import Clinic
from aftercare.interop.fhir_export import export_ndjson


class Command(BaseCommand):
    help = "Export patient records in a standard format (fhir: FHIR R4 NDJSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        formats = parser.add_subparsers(dest="format", required=True)
        fhir = formats.add_parser("fhir", help="FHIR R4 NDJSON, one file per resource type")
        fhir.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
        fhir.add_argument("--clinic", metavar="SLUG", help="only this clinic's patients")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} exists and is not a folder.")
        clinic = None
        if options["clinic"]:
            clinic = Clinic.objects.filter(slug=options["clinic"]).first()
            if clinic is None:
                raise CommandError(f"No clinic has the short name {options['clinic']!r}.")
        try:
            result = export_ndjson(out, clinic=clinic, progress=self._progress)
        except OSError as error:
            raise CommandError(f"Cannot write to {out}: {error.strerror or error}") from error
        for path in result.files:
            self.stdout.write(f"{path}  {result.counts[path.stem]} resource(s)")
        self.stdout.write(self.style.SUCCESS(f"Exported {result.patients} patient(s) to {out}."))

    def _progress(self, done: int, total: int) -> None:
        # Every patient on small exports, every 1 % on large ones.
        if done == total or done % max(1, total // 100) == 0:
            self.stderr.write(f"patients {done}/{total}", ending="\r" if done < total else "\n")
