"""The demo's patients have what a clinic's have besides check-ins: medications, integration
sessions in the window after an infusion, habits, goals, safety plans, journal entries and the
care team's notes, so every page of the care plan and the timeline has something to show."""

from datetime import UTC, datetime

import pytest
from django.utils.html import escape

from aftercare.accounts.models import Patient
from aftercare.careplan.actions import neuroplasticity_window
from aftercare.careplan.interactions import MedicationClass
from aftercare.careplan.models import HabitTick, IntegrationSession, Medication, PlanGoal
from aftercare.demo import plans
from aftercare.demo.load import load_demo_clinic
from aftercare.safety.models import SafetyPlan
from aftercare.safety.rules import journal_findings
from aftercare.tracking.models import JournalEntry
from aftercare.workspace.models import ClinicianNote

NOW = datetime(2026, 6, 15, 18, 0, tzinfo=UTC)


@pytest.fixture
def clinic(db):
    return load_demo_clinic(seed=11, now=NOW)


def test_most_patients_take_something_and_some_take_a_benzodiazepine(clinic, as_user):
    patients = Patient.objects.filter(clinic=clinic)
    with_medication = patients.filter(care_medications__isnull=False).distinct()
    assert with_medication.count() >= patients.count() / 2
    benzo = Medication.objects.filter(medication_class=MedicationClass.BENZODIAZEPINE).first()
    assert benzo is not None
    assert benzo.started_on < NOW.date()
    # The care plan page shows the note about this class for the patient.
    page = as_user(benzo.patient.user).get("/me/care-plan/").content.decode()
    assert "may blunt the response to ketamine" in page


def test_integration_sessions_fall_in_the_window_after_the_latest_infusion(clinic):
    sessions = IntegrationSession.objects.select_related("patient")
    assert sessions.count() >= 20
    for session in sessions:
        window = neuroplasticity_window(session.patient, NOW)
        assert window is not None
        assert window.contains(session.scheduled_at.astimezone(session.patient.tz).date())
    assert sessions.filter(scheduled_at__gt=NOW).exists()
    assert sessions.filter(scheduled_at__lt=NOW).exists()


def test_habits_are_kept_on_some_days_and_goals_span_every_horizon(clinic):
    ticks = HabitTick.objects.all()
    assert ticks.count() > 100
    assert all(t.day < NOW.date() for t in ticks)
    assert set(PlanGoal.objects.values_list("horizon", flat=True)) == set(PlanGoal.Horizon)


def test_about_half_have_a_safety_plan_naming_their_support_person(clinic):
    plans_written = SafetyPlan.objects.exclude(warning_signs="")
    count = Patient.objects.filter(clinic=clinic).count()
    assert count / 4 < plans_written.count() < count
    with_support = plans_written.exclude(patient__support_name="").first()
    assert with_support is not None
    assert with_support.patient.support_name in with_support.people_to_call


def test_journal_entries_are_dated_after_infusions_and_some_are_shared(clinic):
    entries = JournalEntry.objects.all()
    assert entries.count() >= 20
    assert all(e.written_at <= NOW for e in entries)
    shared = entries.filter(shared_with_care_team=True).count()
    assert 0 < shared < entries.count()


def test_each_treated_patient_has_a_note_from_their_clinician(clinic):
    notes = ClinicianNote.objects.select_related("patient", "author")
    assert notes.count() >= 30
    assert all(n.author_id == n.patient.clinician_id for n in notes)
    assert all(n.created_at <= NOW for n in notes)
    assert notes.filter(signed_at__isnull=True).exists()  # a draft or two
    assert notes.filter(body__startswith="Series review").exists()


def test_no_demo_text_raises_an_alert_by_itself():
    texts = plans.JOURNAL_FRESH + plans.JOURNAL_LATER + tuple(plans.SAFETY_PLAN.values())
    for text in texts:
        assert journal_findings(text) == [], text


def test_the_timeline_shows_shared_entries_notes_and_medication_changes(clinic, as_user):
    entry = JournalEntry.objects.filter(shared_with_care_team=True).select_related("patient")[0]
    patient = entry.patient
    page = (
        as_user(patient.clinician)
        .get(f"/clinic/patients/{patient.pk}/timeline/?range=all")
        .content.decode()
    )
    assert escape(entry.body[:40]) in page
    assert "No notes yet." not in page
