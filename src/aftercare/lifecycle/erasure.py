"""Deleting a patient's health data on request (docs/data-lifecycle.md, "Deletion").

What the patient wrote or reported is always erased. The in-clinic treatment record (sessions,
discharges, clinician notes, safety alerts) may have a legal retention period; the groups named
in AFTERCARE_DELETION_RETAINS are kept, linked by patient id only. The audit log is never
touched. The login and the identifying fields of the patient record are blanked, not removed,
so retained rows and audit events keep pointing at the same id.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import transaction

from aftercare.accounts.models import Patient, User
from aftercare.audit.actions import record
from aftercare.lifecycle.models import DataRequest, DeletionRecord

# (model, lookup to the patient), children before parents so protected links are gone first.
ERASED: tuple[tuple[str, str], ...] = (
    ("tracking.CheckInEdit", "check_in__patient"),
    ("tracking.CheckIn", "patient"),
    ("tracking.ScaleResponse", "patient"),
    ("tracking.JournalEntry", "patient"),
    ("safety.SafetyPlan", "patient"),
    ("careplan.HabitTick", "habit__patient"),
    ("careplan.HabitGoal", "patient"),
    ("careplan.IntegrationSession", "patient"),
    ("careplan.Medication", "patient"),
    ("careplan.PlanGoal", "patient"),
    ("reminders.ReminderPreference", "patient"),
    ("reminders.ReminderSent", "patient"),
    ("reminders.CalendarFeed", "patient"),
    ("outcomes.LoadedData", "patient"),
    ("outcomes.DataStamp", "patient"),
)
# Erased, but not in the patient's export: a cache repeating records the export already holds.
NOT_EXPORTED = frozenset({"outcomes.LoadedData"})
RETAINABLE: dict[str, tuple[tuple[str, str], ...]] = {
    "alerts": (("safety.AlertEvent", "alert__patient"), ("safety.Alert", "patient")),
    "notes": (
        ("workspace.NoteAddendum", "note__patient"),
        ("workspace.ClinicianNote", "patient"),
    ),
    "treatment": (
        ("treatment.DischargeAddendum", "discharge__infusion__patient"),
        ("treatment.ArrivalConfirmation", "discharge__infusion__patient"),
        ("treatment.Discharge", "infusion__patient"),
        ("treatment.MonitoringRound", "infusion__patient"),
        ("treatment.ScheduleChange", "infusion__patient"),
        ("treatment.Infusion", "patient"),
        ("treatment.Course", "patient"),
    ),
}
# Kept whatever the setting: the record of access, the request and deletion records, the id.
ALWAYS_KEPT = ("accounts.Patient", "audit.AuditEvent", "lifecycle.DataRequest",
               "lifecycle.DeletionRecord")  # fmt: skip


def retained_groups() -> list[str]:
    return [g for g in getattr(settings, "DELETION_RETAINS", list(RETAINABLE)) if g in RETAINABLE]


def rows_of(patient: Patient, include_retained: bool = True) -> list[tuple[str, str]]:
    """Every (model, lookup) holding this patient's data, erasable ones first."""
    plan = list(ERASED)
    for group, models in RETAINABLE.items():
        if include_retained or group not in retained_groups():
            plan += models
    return plan


def _blank_identity(patient: Patient) -> None:
    user: User = patient.user
    user.first_name = user.last_name = ""
    user.email = user.username = f"erased-{patient.pk}@invalid"
    user.is_active = False
    user.set_unusable_password()
    user.save()
    Patient.objects.filter(pk=patient.pk).update(
        birth_year=None, phone="", support_name="", support_phone=""
    )


@transaction.atomic
def erase_patient(
    *, patient: Patient, by: User, request=None, data_request: DataRequest | None = None
) -> DeletionRecord:
    """Erase the patient's data, blank who they are and leave a record with counts only."""
    removed: dict[str, int] = {}
    for label, lookup in rows_of(patient, include_retained=False):
        model = apps.get_model(label)
        _count, per_model = model._base_manager.filter(**{lookup: patient}).delete()
        for name, n in per_model.items():
            removed[name] = removed.get(name, 0) + n
    _blank_identity(patient)
    deletion = DeletionRecord.objects.create(
        clinic_id=patient.clinic_id,
        patient=patient,
        request=data_request,
        requested_by="patient" if data_request is not None else "clinic",
        performed_by=by,
        removed={k: v for k, v in sorted(removed.items()) if v},
        retained=[label for g in retained_groups() for label, _lookup in RETAINABLE[g]],
    )
    if data_request is not None:
        DataRequest.objects.filter(pk=data_request.pk).update(
            done_at=deletion.performed_at, done_by=by
        )
    record(request, actor=by, action="delete", what="patient data (on request)",
           patient=patient, object_id=deletion.pk)  # fmt: skip
    return deletion
