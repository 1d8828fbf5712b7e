"""Today's sessions in the demo clinic, recorded as the nurses would have recorded them.

- The sessions that ended earlier today (patients "discharged today") get their arrival,
  pre-dose observations, monitoring rounds and a signed discharge, so the schedule reads
  "Discharged at ..." for them.
- Two patients early in their induction series come in now for their next infusion, moved to
  today: one is dosing, one is recovering with monitoring rounds, so "In the chair now" has
  someone in it.

Relative to ``now``, through treatment.actions where the step allows it; a typical 40-minute IV
infusion (CLINICAL.md §4: 0.5 mg/kg over 40 min) and values within the clinic's default limits.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from aftercare.accounts.models import Clinic, Patient, User
from aftercare.demo.simulate import Archetype, SimPatient
from aftercare.treatment import actions
from aftercare.treatment.models import Infusion, MonitoringRound, Route

PRE_DOSE = {
    "systolic_mmhg": 124,
    "diastolic_mmhg": 79,
    "heart_rate_bpm": 74,
    "spo2_pct": 98,
    "respiratory_rate": 14,
}


def _round(**values: int) -> dict[str, int | None]:
    return {**PRE_DOSE, **values}


def seat_patients(
    clinic: Clinic, simulated: Sequence[SimPatient], nurse: User, now: datetime
) -> list[Infusion]:
    """Start today's sessions of the two mid-induction patients with the fewest infusions
    so far (they stay mid-series). Returns the sessions: dosing, then recovering."""
    early = sorted(
        (s for s in simulated if s.archetype is Archetype.MID_INDUCTION and s.upcoming),
        key=lambda s: (len(s.infusions), s.email),
    )[:2]
    sessions = []
    for sim, minutes_ago in zip(early, (35, 90), strict=False):
        patient = Patient.objects.get(clinic=clinic, user__email=sim.email)
        arrived = now - timedelta(minutes=minutes_ago)
        infusion = patient.infusions.filter(status=Infusion.Status.SCHEDULED).earliest(
            "scheduled_at"
        )
        Infusion.objects.filter(pk=infusion.pk).update(scheduled_at=arrived)
        sessions.append(_run(infusion, patient, nurse, arrived, now))
    return sessions


def _rounds(started: datetime, ended: datetime) -> list[tuple[datetime, dict[str, int | None]]]:
    """During the dose, at its end and 15 min later. Blood pressure rises during and just after
    the dose, then settles (CLINICAL.md §4); dissociation is expected and fades."""
    return [
        (started + timedelta(minutes=15), _round(systolic_mmhg=134, diastolic_mmhg=84, moaas=5,
                                                 dissociation=2, nausea=0)),
        (ended, _round(systolic_mmhg=138, diastolic_mmhg=86, heart_rate_bpm=80, moaas=4,
                       dissociation=2, nausea=1)),
        (ended + timedelta(minutes=15), _round(systolic_mmhg=129, diastolic_mmhg=81, moaas=5,
                                               dissociation=1, nausea=0)),
    ]  # fmt: skip


def _run(
    infusion: Infusion, patient: Patient, nurse: User, arrived: datetime, now: datetime
) -> Infusion:
    weight = infusion.weight_kg or Decimal("75.0")
    actions.record_arrival(infusion=infusion, at=arrived, by=nurse)
    actions.record_pre_dose(
        infusion=infusion,
        by=nurse,
        route=Route.IV,
        weight_kg=weight,
        dose_mg_per_kg=Decimal("0.5"),
        dose_mg=None,
        taken_at=arrived + timedelta(minutes=5),
        vitals=dict(PRE_DOSE),
        notes="Slept well, ate a light breakfast. Driver: partner.",
    )
    started = arrived + timedelta(minutes=15)
    actions.start_session(infusion=infusion, at=started, by=nurse)
    ended = started + timedelta(minutes=40)
    rounds = _rounds(started, ended)
    if ended < now:
        actions.end_session(infusion=infusion, at=ended, by=nurse)
    for taken_at, vitals in rounds:
        if taken_at < now:
            actions.add_round(infusion=infusion, by=nurse, taken_at=taken_at, vitals=vitals)
    infusion.refresh_from_db()
    return infusion


def _checklist(patient: Patient) -> dict[str, Any]:
    return {
        "padss_vital_signs": 2,
        "padss_nausea_pain": 2,
        "padss_bleeding": 2,
        "padss_intake_output": 2,
        "oriented": True,
        "walks_steadily": True,
        "escort_name": patient.support_name or f"Alex {patient.user.last_name}",
        # 555-0100 to 555-0199 are reserved for fiction in the North American numbering plan.
        "escort_phone": patient.support_phone or "(503) 555-0199",
        "instructions_given": True,
        "adverse_events": "None.",
    }


def discharge_todays_sessions(clinic: Clinic, nurse: User, now: datetime) -> list[Infusion]:
    """Give each session that ended today (clinic time) at least 65 min before ``now`` its
    session record: arrival, pre-dose round, rounds, and the discharge 65 min after the end
    (after the 60 min minimum of observation)."""
    tz = clinic.tz
    midnight = datetime.combine(now.astimezone(tz).date(), datetime.min.time(), tzinfo=tz)
    done = Infusion.objects.filter(
        patient__clinic=clinic,
        status=Infusion.Status.COMPLETED,
        arrived_at__isnull=True,
        started_at__gte=midnight,
        ended_at__lte=now - timedelta(minutes=65),
    ).select_related("patient__user")
    sessions = []
    settled = _round(moaas=5, dissociation=0, nausea=0)
    for infusion in done:
        started = infusion.started_at or infusion.scheduled_at  # both set: filtered above
        ended = infusion.ended_at or started
        arrived = started - timedelta(minutes=15)
        Infusion.objects.filter(pk=infusion.pk).update(arrived_at=arrived)
        MonitoringRound.objects.create(
            infusion=infusion,
            kind=MonitoringRound.Kind.PRE_DOSE,
            taken_at=arrived + timedelta(minutes=5),
            recorded_by=nurse,
            **PRE_DOSE,
        )
        during_and_end = _rounds(started, ended)[:2]
        later = [(ended + timedelta(minutes=m), settled) for m in (30, 60)]
        for taken_at, vitals in [*during_and_end, *later]:
            actions.add_round(infusion=infusion, by=nurse, taken_at=taken_at, vitals=vitals)
        infusion.refresh_from_db()
        actions.sign_discharge(
            infusion=infusion,
            by=nurse,
            now=ended + timedelta(minutes=65),
            checklist=_checklist(infusion.patient),
        )
        sessions.append(infusion)
    return sessions
