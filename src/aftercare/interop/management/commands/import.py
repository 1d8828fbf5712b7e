"""``aftercare import fhir PATH --clinic SLUG --patient ID_OR_EMAIL``: PHQ-9 and GAD-7
QuestionnaireResponses (FHIR R4) into one patient's record.

PATH is a Bundle or resource (.json), an NDJSON file or an export folder. All or nothing:
problems go to stderr naming the line or entry, and nothing is stored; importing the same
responses again adds nothing. Details: docs/fhir.md and interop/fhir_import.py.
"""

import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aftercare.accounts.models import Clinic, Patient
from aftercare.interop.fhir_import import FhirImportError, import_file


class Command(BaseCommand):
    help = "Import records in a standard format (fhir: PHQ-9 and GAD-7 QuestionnaireResponses)."

    def add_arguments(self, parser: CommandParser) -> None:
        formats = parser.add_subparsers(dest="format", required=True)
        fhir = formats.add_parser("fhir", help="FHIR R4 QuestionnaireResponses (PHQ-9, GAD-7)")
        fhir.add_argument("path", type=Path, help="Bundle (.json), .ndjson file or export folder")
        fhir.add_argument("--clinic", required=True, metavar="SLUG", help="the patient's clinic")
        fhir.add_argument(
            "--patient", required=True, metavar="ID_OR_EMAIL", help="the patient's id or email"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        clinic = Clinic.objects.filter(slug=options["clinic"]).first()
        if clinic is None:
            raise CommandError(f"No clinic has the short name {options['clinic']!r}.")
        patient = _find_patient(clinic, options["patient"])
        try:
            result = import_file(patient, options["path"])
        except FhirImportError as failed:
            for problem in failed.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(failed.problems)} problem(s) found. Nothing was imported."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported for {patient.display_name} ({clinic.name}): "
                f"{len(result.created)} new response(s), {result.already_there} already there."
            )
        )


def _find_patient(clinic: Clinic, given: str) -> Patient:
    patients = Patient.objects.select_related("user").filter(clinic=clinic)
    try:
        patient = patients.filter(pk=uuid.UUID(given)).first()
    except ValueError:
        patient = patients.filter(user__email__iexact=given).first()
    if patient is None:
        raise CommandError(f"{clinic.name} has no patient {given!r}.")
    return patient
