"""Write a simulated demo clinic into the database."""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

import numpy as np
from django.contrib.auth.hashers import make_password
from django.db import transaction

from aftercare.accounts.actions import create_patient, create_staff
from aftercare.accounts.models import Clinic, Patient, Role, User
from aftercare.demo.alerts import screen_recent_history
from aftercare.demo.chair import discharge_todays_sessions, seat_patients
from aftercare.demo.plans import write_plans
from aftercare.demo.simulate import SimPatient, simulate_clinic
from aftercare.outcomes.stamps import touch
from aftercare.tracking.models import CheckIn, ScaleResponse
from aftercare.treatment.models import Course, Infusion

DEMO_SLUG = "demo"
DEMO_PASSWORD = "aftercare-demo"  # noqa: S105 - printed for the demo on purpose
INDUCTION_SIZE = 6  # typical initial series (PRODUCT.md §6; CLINICAL.md §3)


def load_demo_clinic(
    *,
    seed: int,
    now: datetime,
    patients: int = 42,
    progress: Callable[[int, int], None] | None = None,
) -> Clinic:
    """Create the demo clinic, its staff and simulated patients."""
    simulated = simulate_clinic(seed=seed, now=now, patients=patients)
    with transaction.atomic():
        clinic = Clinic.objects.create(
            name="Riverside Ketamine Clinic",
            slug=DEMO_SLUG,
            timezone="America/New_York",
            phone="+1 555 010 0100",
        )
        staff = [
            create_staff(
                clinic=clinic,
                email="admin@riverside.example",
                password=DEMO_PASSWORD,
                role=Role.ADMIN,
                first_name="Morgan",
                last_name="Reyes",
            ),
            create_staff(
                clinic=clinic,
                email="dr.patel@riverside.example",
                password=DEMO_PASSWORD,
                role=Role.CLINICIAN,
                first_name="Asha",
                last_name="Patel",
            ),
            create_staff(
                clinic=clinic,
                email="nurse.kim@riverside.example",
                password=DEMO_PASSWORD,
                role=Role.CLINICIAN,
                first_name="Jordan",
                last_name="Kim",
            ),
        ]
        clinicians = staff[1:]
        # The staff page shows every state: a nurse who has not accepted her invitation yet,
        # and a clinician who left (deactivated, kept for the records he signed).
        create_staff(
            clinic=clinic,
            email="nurse.okafor@riverside.example",
            password=None,
            role=Role.CLINICIAN,
            first_name="Sam",
            last_name="Okafor",
        )
        User.objects.filter(
            pk=create_staff(
                clinic=clinic,
                email="dr.lindqvist@riverside.example",
                password=None,
                role=Role.CLINICIAN,
                first_name="Erik",
                last_name="Lindqvist",
            ).pk
        ).update(is_active=False)
        hashed = make_password(DEMO_PASSWORD)  # hashing once keeps loading fast
        for number, sim in enumerate(simulated, start=1):
            patient = _load_patient(clinic, sim, clinicians[number % 2], hashed, now, number)
            write_plans(
                patient, sim, clinicians[number % 2], now, np.random.default_rng([seed, number])
            )
            if progress:
                progress(number, len(simulated))
        discharge_todays_sessions(clinic, nurse=staff[2], now=now)
        seat_patients(clinic, simulated, nurse=staff[2], now=now)  # "In the chair now"
        screen_recent_history(clinic, now, seed=seed)
    return clinic


def demo_phone(number: int) -> str:
    # 555-0100 to 555-0199 are reserved for fiction in the North American numbering plan.
    return f"(503) 555-01{number % 100:02d}"


def _load_patient(
    clinic: Clinic, sim: SimPatient, clinician: User, hashed: str, now: datetime, number: int
) -> Patient:
    patient = create_patient(
        clinic=clinic,
        email=sim.email,
        first_name=sim.first_name,
        last_name=sim.last_name,
        timezone=sim.timezone,
        birth_year=sim.birth_year,
        clinician=clinician,
        phone=demo_phone(number),
    )
    if number % 3 == 0:  # some patients name a support person, as in a real clinic
        patient.support_name = f"Jordan {sim.last_name}"
        patient.support_phone = demo_phone(number + 50)
        Patient.objects.filter(pk=patient.pk).update(
            support_name=patient.support_name, support_phone=patient.support_phone
        )
    User.objects.filter(pk=patient.user_id).update(password=hashed)
    starts = [i.started_at for i in sim.infusions] + list(sim.upcoming)
    induction = Course.objects.create(
        patient=patient,
        kind=Course.Kind.INDUCTION,
        planned_infusions=INDUCTION_SIZE,
        started_on=min(starts).astimezone(patient.tz).date(),
    )
    maintenance = None
    if len(starts) > INDUCTION_SIZE:
        maintenance = Course.objects.create(
            patient=patient,
            kind=Course.Kind.MAINTENANCE,
            planned_infusions=12,
            started_on=sorted(starts)[INDUCTION_SIZE].astimezone(patient.tz).date(),
        )
    rows = [
        Infusion(
            patient=patient,
            course=induction if inf.number <= INDUCTION_SIZE else maintenance,
            status=Infusion.Status.COMPLETED,
            scheduled_at=inf.started_at,
            started_at=inf.started_at,
            ended_at=inf.ended_at,
            route=inf.route,
            dose_mg_per_kg=Decimal(str(inf.dose_mg_per_kg)),
            weight_kg=Decimal(str(round(inf.weight_kg, 1))),
            recorded_by=clinician,
        )
        for inf in sim.infusions
    ]
    done = len(sim.infusions)
    rows += [
        Infusion(
            patient=patient,
            course=induction if done + k + 1 <= INDUCTION_SIZE else maintenance,
            status=Infusion.Status.SCHEDULED,
            scheduled_at=at,
            route="iv",
            dose_mg_per_kg=Decimal("0.5"),
            weight_kg=Decimal(str(round(sim.weight_kg, 1))),
        )
        for k, at in enumerate(sorted(sim.upcoming))
    ]
    Infusion.objects.bulk_create(rows)
    CheckIn.objects.bulk_create(
        CheckIn(
            patient=patient,
            submitted_at=c.at,
            local_date=c.at.astimezone(patient.tz).date(),
            mood=c.mood,
            energy=c.energy,
            interest=c.interest,
            sleep_quality=c.sleep_quality,
            anxiety=c.anxiety,
            suicidal_thoughts=c.suicidal_thoughts,
            note=c.note,
        )
        for c in sim.checkins
    )
    ScaleResponse.objects.bulk_create(
        ScaleResponse(
            patient=patient,
            instrument=s.instrument,
            answers=list(s.items),
            total=s.total,
            taken_at=s.at,
        )
        for s in sim.scales
    )
    touch([patient.pk])  # bulk_create sends no signals (outcomes/stamps.py)
    return patient
