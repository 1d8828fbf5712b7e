from datetime import datetime
from decimal import Decimal

from django.db import transaction

from aftercare.accounts.models import Patient, User
from aftercare.audit.actions import record
from aftercare.treatment.models import Course, Infusion


@transaction.atomic
def record_infusion(
    *,
    patient: Patient,
    recorded_by: User | None,
    started_at: datetime,
    ended_at: datetime,
    route: str,
    dose_mg_per_kg: Decimal | None = None,
    weight_kg: Decimal | None = None,
    course: Course | None = None,
) -> Infusion:
    """Record a completed infusion; the patient's phase counts from its end."""
    if ended_at <= started_at:
        raise ValueError("An infusion must end after it starts")
    infusion = Infusion.objects.create(
        patient=patient,
        course=course,
        status=Infusion.Status.COMPLETED,
        scheduled_at=started_at,
        started_at=started_at,
        ended_at=ended_at,
        route=route,
        dose_mg_per_kg=dose_mg_per_kg,
        weight_kg=weight_kg,
        recorded_by=recorded_by,
    )
    record(
        None,
        actor=recorded_by,
        action="create",
        what="infusion",
        patient=patient,
        object_id=infusion.pk,
    )
    return infusion


def completed_infusions(patient: Patient) -> list[Infusion]:
    return list(
        patient.infusions.filter(status=Infusion.Status.COMPLETED, ended_at__isnull=False).order_by(
            "started_at"
        )
    )


def active_course(patient: Patient) -> Course | None:
    return patient.courses.order_by("-started_on").first()
