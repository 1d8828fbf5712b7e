"""Everything held about one patient, as a zip: README, CSV of their numbers, every row as JSON,
and the FHIR bundle."""

from __future__ import annotations

import io
import json
import zipfile

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from aftercare.accounts.models import Patient
from aftercare.lifecycle.erasure import NOT_EXPORTED, rows_of
from aftercare.tracking.exports import write_csv
from aftercare.treatment.models import Infusion

README = """Everything this clinic's aftercare service holds about one patient.

profile.json      who the patient is and their clinic
my-numbers.csv    check-ins, questionnaires and infusion times (columns: docs/exports.md)
records/*.json    every stored row, all fields, one file per kind of record
fhir-bundle.json  the same record as a FHIR R4 Bundle, for other health systems
"""


def _profile(patient: Patient) -> dict:
    user = patient.user
    return {
        "id": str(patient.pk),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "clinic": patient.clinic.name,
        "timezone": patient.timezone,
        "birth_year": patient.birth_year,
        "phone": patient.phone,
        "support_person": {"name": patient.support_name, "phone": patient.support_phone},
        "created_at": patient.created_at,
        "exported_at": timezone.now(),
    }


def _fhir(patient: Patient) -> dict | None:
    try:
        from aftercare.interop.fhir import patient_bundle
    except ImportError:  # the FHIR module is optional in a slim install
        return None
    return dict(patient_bundle(patient))


def patient_zip(patient: Patient) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        archive.writestr("profile.json", json.dumps(_profile(patient), cls=DjangoJSONEncoder,
                                                    indent=2))  # fmt: skip
        completed = patient.infusions.filter(status=Infusion.Status.COMPLETED)
        archive.writestr(
            "my-numbers.csv",
            write_csv(
                check_ins=patient.check_ins.all(),
                responses=patient.scale_responses.all(),
                infusions=sorted(i.started_at or i.scheduled_at for i in completed),
                tz=patient.tz,
            ),
        )
        for label, lookup in rows_of(patient):
            if label in NOT_EXPORTED:
                continue
            rows = apps.get_model(label)._base_manager.filter(**{lookup: patient}).order_by("pk")
            archive.writestr(f"records/{label}.json", serializers.serialize("json", rows, indent=2))
        bundle = _fhir(patient)
        if bundle is not None:
            archive.writestr("fhir-bundle.json", json.dumps(bundle, cls=DjangoJSONEncoder,
                                                            indent=2))  # fmt: skip
    return buffer.getvalue()
