"""A patient with something in every kind of record, made through the apps' own actions."""

from datetime import timedelta

from django.utils import timezone

from aftercare.accounts.models import Patient, User
from aftercare.careplan import actions as careplan
from aftercare.reminders.actions import calendar_feed_for, preferences_for
from aftercare.safety.actions import report_concern, safety_plan_for, save_safety_plan
from aftercare.tracking.actions import submit_check_in, write_journal_entry
from aftercare.treatment.tests.records import session_id_of
from aftercare.workspace.actions import write_note


def fill(patient: Patient, staff: User) -> None:
    now = timezone.now()
    submit_check_in(patient=patient, answers={"mood": 4, "anxiety": 6})
    write_journal_entry(patient=patient, body='Ünïcode, quotes " and a\nnew line.')
    save_safety_plan(
        patient=patient,
        by=staff,
        texts={"warning_signs": "Not sleeping"},
        expected_version=safety_plan_for(patient).version,  # the demo may have written one
    )
    habit = careplan.add_habit(patient=patient, by=staff, kind="sleep", description="Lights out")
    careplan.tick_habit(habit=habit, by=staff, now=now)
    careplan.add_medication(patient=patient, by=staff, name="Lamictal",
                            medication_class="lamotrigine", dose="100 mg")  # fmt: skip
    careplan.add_goal(patient=patient, by=staff, horizon="short", text="Walk daily")
    careplan.add_integration_session(
        patient=patient, by=staff, scheduled_at=now + timedelta(days=2), with_whom="Therapist"
    )
    preferences_for(patient)
    calendar_feed_for(patient)
    report_concern(patient=patient, text="Feeling low")
    write_note(request=None, patient=patient, author=staff, body="Seen today.", sign=True)
    session_id_of(patient)


def waiting_request_id(patient: Patient) -> int:
    """A data request of the patient's that the clinic has not acted on yet (made if none)."""
    from aftercare.lifecycle.models import DataRequest

    found = patient.data_requests.filter(done_at=None, withdrawn_at=None).first()
    return (found or DataRequest.objects.create(patient=patient, kind="export")).pk
