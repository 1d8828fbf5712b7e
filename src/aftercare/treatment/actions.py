"""Writes for courses, appointments and sessions. Each is audited; tests set data up through them.

Clinically relevant writes run inside transaction.atomic and re-read the infusion with
select_for_update, so two nurses pressing the same button at once cannot both succeed.
"""

from collections.abc import Collection, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from aftercare.accounts.models import Clinic, Patient, User
from aftercare.audit.actions import record
from aftercare.treatment.discharge_rules import (
    Criterion,
    checklist_criteria,
    observed_minutes,
    padss_activity_item,
    session_criteria,
)
from aftercare.treatment.models import (
    ArrivalConfirmation,
    ClinicProtocol,
    Course,
    Discharge,
    DischargeAddendum,
    Infusion,
    MonitoringRound,
    Ride,
    ScheduleChange,
)

Status = Infusion.Status


class SessionStateError(Exception):
    """The session is not at a step where this is possible; the message says why."""


class DischargeBlockedError(Exception):
    """Criteria are not met, and the override lacks its reason or a confirmation of each one
    (``unconfirmed``: the unmet criteria the signer has not confirmed)."""

    def __init__(self, unmet: list[Criterion], unconfirmed: list[Criterion] | None = None) -> None:
        super().__init__(", ".join(str(c.label) for c in unmet))
        self.unmet = unmet
        self.unconfirmed = unmet if unconfirmed is None else unconfirmed


def protocol_for(clinic: Clinic) -> ClinicProtocol:
    """The clinic's monitoring rules, created with the documented defaults on first use."""
    protocol, _created = ClinicProtocol.objects.get_or_create(clinic=clinic)
    return protocol


def _locked(infusion: Infusion) -> Infusion:
    return Infusion.objects.select_for_update().get(pk=infusion.pk)


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
    """Record a completed infusion after the fact; the patient's phase counts from its end."""
    if ended_at <= started_at:
        raise ValueError("An infusion must end after it starts")
    infusion = Infusion.objects.create(
        patient=patient,
        course=course,
        status=Status.COMPLETED,
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
        patient.infusions.filter(status=Status.COMPLETED, ended_at__isnull=False).order_by(
            "started_at"
        )
    )


def active_course(patient: Patient) -> Course | None:
    return patient.courses.order_by("-started_on").first()


# Scheduling ---------------------------------------------------------------------------------


@transaction.atomic
def schedule_course(
    *,
    patient: Patient,
    by: User,
    kind: str,
    times: Sequence[datetime],
    route: str,
    request: HttpRequest | None = None,
) -> Course:
    """A course with one scheduled infusion per time (aware datetimes)."""
    if not times:
        raise ValueError("A course needs at least one appointment")
    ordered = sorted(times)
    course = Course.objects.create(
        patient=patient,
        kind=kind,
        planned_infusions=len(ordered),
        started_on=ordered[0].astimezone(patient.tz).date(),
    )
    for at in ordered:
        infusion = Infusion.objects.create(
            patient=patient,
            course=course,
            status=Status.SCHEDULED,
            scheduled_at=at,
            route=route,
            recorded_by=by,
        )
        ScheduleChange.objects.create(
            infusion=infusion, change=ScheduleChange.Change.BOOKED, to_at=at, by=by
        )
    record(
        request,
        actor=by,
        action="create",
        what="treatment course",
        patient=patient,
        object_id=course.pk,
    )
    return course


def _require_scheduled(infusion: Infusion) -> None:
    if infusion.status != Status.SCHEDULED or infusion.arrived_at is not None:
        raise SessionStateError(
            _("This appointment is %(status)s: it cannot be changed that way any more.")
            % {"status": infusion.get_status_display().lower()}
        )


@transaction.atomic
def move_appointment(
    *,
    infusion: Infusion,
    to: datetime,
    by: User,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Infusion:
    infusion = _locked(infusion)
    _require_scheduled(infusion)
    before = infusion.scheduled_at
    infusion.scheduled_at = to
    infusion.save(update_fields=["scheduled_at"])
    ScheduleChange.objects.create(
        infusion=infusion,
        change=ScheduleChange.Change.MOVED,
        from_at=before,
        to_at=to,
        reason=reason,
        by=by,
    )
    record(
        request,
        actor=by,
        action="update",
        what="appointment moved",
        patient=infusion.patient,
        object_id=infusion.pk,
    )
    return infusion


@transaction.atomic
def cancel_appointment(
    *, infusion: Infusion, by: User, reason: str, request: HttpRequest | None = None
) -> Infusion:
    infusion = _locked(infusion)
    _require_scheduled(infusion)
    return _close_appointment(
        infusion, Status.CANCELLED, ScheduleChange.Change.CANCELLED, reason, by, request
    )


@transaction.atomic
def mark_no_show(
    *,
    infusion: Infusion,
    by: User,
    now: datetime,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Infusion:
    infusion = _locked(infusion)
    _require_scheduled(infusion)
    if infusion.scheduled_at > now:
        raise SessionStateError(
            _("A no-show can be recorded only once the appointment time has passed.")
        )
    return _close_appointment(
        infusion, Status.NO_SHOW, ScheduleChange.Change.NO_SHOW, reason, by, request
    )


def _close_appointment(
    infusion: Infusion,
    status: str,
    change: str,
    reason: str,
    by: User,
    request: HttpRequest | None,
) -> Infusion:
    """Cancel or no-show: the new status, its history row and the audit record."""
    infusion.status = status
    infusion.status_note = reason
    infusion.save(update_fields=["status", "status_note"])
    ScheduleChange.objects.create(
        infusion=infusion, change=change, from_at=infusion.scheduled_at, reason=reason, by=by
    )
    what = "appointment cancelled" if status == Status.CANCELLED else "appointment no-show"
    record(
        request,
        actor=by,
        action="update",
        what=what,
        patient=infusion.patient,
        object_id=infusion.pk,
    )
    return infusion


# Running a session --------------------------------------------------------------------------


def _audit_session(
    request: HttpRequest | None, by: User, infusion: Infusion, what: str, action: str = "update"
) -> None:
    record(
        request, actor=by, action=action, what=what, patient=infusion.patient, object_id=infusion.pk
    )


@transaction.atomic
def record_arrival(
    *, infusion: Infusion, at: datetime, by: User, request: HttpRequest | None = None
) -> Infusion:
    infusion = _locked(infusion)
    _require_scheduled(infusion)
    infusion.arrived_at = at
    infusion.status = Status.IN_PROGRESS
    infusion.save(update_fields=["arrived_at", "status"])
    _audit_session(request, by, infusion, "session arrival")
    return infusion


def _require_in_progress(infusion: Infusion) -> None:
    if infusion.status != Status.IN_PROGRESS:
        raise SessionStateError(_("This session is not in progress."))


@transaction.atomic
def record_pre_dose(
    *,
    infusion: Infusion,
    by: User,
    route: str,
    weight_kg: Decimal | None,
    dose_mg_per_kg: Decimal | None,
    dose_mg: Decimal | None,
    taken_at: datetime,
    vitals: dict[str, int | None],
    notes: str = "",
    request: HttpRequest | None = None,
) -> MonitoringRound:
    """Route, dose and weight on the day, and the pre-dose observations (the baseline)."""
    infusion = _locked(infusion)
    _require_in_progress(infusion)
    if infusion.started_at is not None:
        raise SessionStateError(_("The dose has already started."))
    infusion.route = route
    infusion.weight_kg = weight_kg
    infusion.dose_mg_per_kg = dose_mg_per_kg
    infusion.dose_mg = dose_mg
    infusion.save(update_fields=["route", "weight_kg", "dose_mg_per_kg", "dose_mg"])
    taken = MonitoringRound.objects.create(
        infusion=infusion,
        kind=MonitoringRound.Kind.PRE_DOSE,
        taken_at=taken_at,
        notes=notes,
        recorded_by=by,
        **vitals,
    )
    _audit_session(request, by, infusion, "pre-dose observations", action="create")
    return taken


@transaction.atomic
def start_session(
    *, infusion: Infusion, at: datetime, by: User, request: HttpRequest | None = None
) -> Infusion:
    infusion = _locked(infusion)
    _require_in_progress(infusion)
    if infusion.started_at is not None:
        raise SessionStateError(_("The dose has already started."))
    if not infusion.rounds.filter(kind=MonitoringRound.Kind.PRE_DOSE).exists():
        raise SessionStateError(_("Record the pre-dose observations first."))
    infusion.started_at = at
    infusion.save(update_fields=["started_at"])
    _audit_session(request, by, infusion, "session start")
    return infusion


@transaction.atomic
def end_session(
    *, infusion: Infusion, at: datetime, by: User, request: HttpRequest | None = None
) -> Infusion:
    """The infusion (or dose) is over: the patient's recovery phases count from ``at``."""
    infusion = _locked(infusion)
    _require_in_progress(infusion)
    if infusion.started_at is None:
        raise SessionStateError(_("The session has not started."))
    if at <= infusion.started_at:
        raise ValueError("The end must be after the start")
    infusion.ended_at = at
    infusion.status = Status.COMPLETED
    infusion.save(update_fields=["ended_at", "status"])
    _audit_session(request, by, infusion, "session end")
    return infusion


@transaction.atomic
def add_round(
    *,
    infusion: Infusion,
    by: User,
    taken_at: datetime,
    vitals: dict[str, int | None],
    notes: str = "",
    request: HttpRequest | None = None,
) -> MonitoringRound:
    infusion = _locked(infusion)
    if infusion.started_at is None or infusion.status not in (Status.IN_PROGRESS, Status.COMPLETED):
        raise SessionStateError(_("Monitoring rounds start with the session."))
    if hasattr(infusion, "discharge"):
        raise SessionStateError(_("The patient has been discharged: write an addendum instead."))
    taken = MonitoringRound.objects.create(
        infusion=infusion,
        kind=MonitoringRound.Kind.ROUND,
        taken_at=taken_at,
        notes=notes,
        recorded_by=by,
        **vitals,
    )
    _audit_session(request, by, infusion, "monitoring round", action="create")
    return taken


# Discharge ----------------------------------------------------------------------------------


def discharge_criteria(
    *, infusion: Infusion, protocol: ClinicProtocol, now: datetime, checklist: dict[str, Any]
) -> list[Criterion]:
    rounds = list(infusion.rounds.all())
    padss_total = _padss_total(checklist)
    return session_criteria(
        infusion=infusion, rounds=rounds, protocol=protocol, now=now
    ) + checklist_criteria(
        padss_total=padss_total,
        padss_minimum=protocol.padss_minimum,
        oriented=checklist["oriented"],
        walks_steadily=checklist["walks_steadily"],
        escort_name=checklist["escort_name"],
        escort_phone=checklist["escort_phone"],
        instructions_given=checklist["instructions_given"],
    )


def _padss_total(checklist: dict[str, Any]) -> int:
    activity = padss_activity_item(
        oriented=checklist["oriented"], walks_steadily=checklist["walks_steadily"]
    )
    return (
        checklist["padss_vital_signs"]
        + activity
        + checklist["padss_nausea_pain"]
        + checklist["padss_bleeding"]
        + checklist["padss_intake_output"]
    )


@transaction.atomic
def sign_discharge(
    *,
    infusion: Infusion,
    by: User,
    now: datetime,
    checklist: dict[str, Any],
    override_reason: str = "",
    confirmed: Collection[str] | None = None,
    request: HttpRequest | None = None,
) -> Discharge:
    """Sign the discharge. Unmet criteria block it unless ``override_reason`` explains why and
    each unmet criterion's code is in ``confirmed`` (the form: one box per unmet check, so that a
    check that became unmet after the page was shown is never overridden unseen; None: a caller
    outside the form, such as the demo, confirms them all). Then the unmet criteria are stored
    with the reason. The record cannot change afterwards."""
    infusion = _locked(infusion)
    if infusion.status != Status.COMPLETED or infusion.ended_at is None:
        raise SessionStateError(_("Record the end of the infusion before discharge."))
    if Discharge.objects.filter(infusion=infusion).exists():
        raise SessionStateError(_("This patient has already been discharged."))
    protocol = protocol_for(infusion.patient.clinic)
    criteria = discharge_criteria(
        infusion=infusion, protocol=protocol, now=now, checklist=checklist
    )
    unmet = [c for c in criteria if not c.met]
    reason = override_reason.strip()
    unconfirmed = [] if confirmed is None else [c for c in unmet if c.code not in confirmed]
    if unmet and (not reason or unconfirmed):
        raise DischargeBlockedError(unmet, unconfirmed)
    try:
        with transaction.atomic():
            discharge = Discharge.objects.create(
                infusion=infusion,
                discharged_at=now,
                signed_by=by,
                observed_minutes=observed_minutes(infusion, now),
                padss_vital_signs=checklist["padss_vital_signs"],
                padss_activity=padss_activity_item(
                    oriented=checklist["oriented"], walks_steadily=checklist["walks_steadily"]
                ),
                padss_nausea_pain=checklist["padss_nausea_pain"],
                padss_bleeding=checklist["padss_bleeding"],
                padss_intake_output=checklist["padss_intake_output"],
                padss_total=_padss_total(checklist),
                oriented=checklist["oriented"],
                walks_steadily=checklist["walks_steadily"],
                instructions_given=checklist["instructions_given"],
                ride=checklist.get("ride") or Ride.DRIVEN,
                escort_name=checklist["escort_name"].strip(),
                escort_phone=checklist["escort_phone"].strip(),
                adverse_events=checklist["adverse_events"].strip(),
                unmet=[c.as_record() for c in unmet],
                override_reason=reason if unmet else "",
            )
    except IntegrityError:
        raise SessionStateError(_("This patient has already been discharged.")) from None
    _audit_session(request, by, infusion, "discharge", action="create")
    return discharge


@transaction.atomic
def add_addendum(
    *, discharge: Discharge, author: User, text: str, request: HttpRequest | None = None
) -> DischargeAddendum:
    addendum = DischargeAddendum.objects.create(discharge=discharge, author=author, text=text)
    _audit_session(request, author, discharge.infusion, "discharge addendum", action="create")
    return addendum


@transaction.atomic
def confirm_arrival_home(
    *, discharge: Discharge, name: str, now: datetime, request: HttpRequest | None = None
) -> ArrivalConfirmation:
    """The driver's confirmation through the signed link; only the first one counts."""
    existing = ArrivalConfirmation.objects.filter(discharge=discharge).first()
    if existing is not None:
        return existing
    confirmation = ArrivalConfirmation.objects.create(
        discharge=discharge, confirmed_at=now, confirmed_by_name=name.strip()
    )
    record(
        request,
        actor=None,
        action="create",
        what="arrival home (driver link)",
        patient=discharge.infusion.patient,
        object_id=discharge.infusion_id,
    )
    return confirmation


@transaction.atomic
def mark_rems_submitted(
    *,
    infusion: Infusion,
    by: User,
    reference: str,
    now: datetime,
    request: HttpRequest | None = None,
) -> Infusion:
    infusion = _locked(infusion)
    if not infusion.is_esketamine or infusion.status != Status.COMPLETED:
        raise SessionStateError(_("Only a completed esketamine session has a REMS form."))
    if infusion.rems_submitted_at is not None:
        raise SessionStateError(_("The REMS form is already marked as submitted."))
    infusion.rems_submitted_at = now
    infusion.rems_submitted_by = by
    infusion.rems_reference = reference.strip()
    infusion.save(update_fields=["rems_submitted_at", "rems_submitted_by", "rems_reference"])
    _audit_session(request, by, infusion, "REMS form submitted")
    return infusion


@transaction.atomic
def update_protocol(
    *,
    protocol: ClinicProtocol,
    by: User,
    values: dict[str, Any],
    before: dict[str, Any] | None = None,
) -> ClinicProtocol:
    """``before``: the values as they were, when ``protocol`` was already changed in memory (a
    ModelForm writes to its instance while validating)."""
    from aftercare.audit.actions import record_clinic

    for name, value in values.items():
        was = (before or {}).get(name, getattr(protocol, name))
        setattr(protocol, name, value)
        # A changed threshold changes what every session flags: the log says who and when.
        label = getattr(ClinicProtocol._meta.get_field(name), "verbose_name", name)
        record_clinic(
            None,
            action="update",
            what=f"monitoring protocol: {label} {was} → {value}"[:100],
            clinic_id=protocol.clinic_id,
            actor=by,
        )
    protocol.updated_by = by
    protocol.save()
    return protocol
