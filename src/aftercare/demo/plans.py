"""What a demo patient and their care team have written besides check-ins: medications and
therapy, integration sessions in the window after an infusion, habits and the days they were
kept, goals, a safety and setback plan, journal entries (some shared) and clinician notes.

Drawn from a generator seeded per patient, so the same seed gives the same clinic. The texts are
ordinary examples written for the demo; none holds words the safety rules look for, so they
raise no alert by themselves.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np

from aftercare.accounts.models import Patient, User
from aftercare.careplan.interactions import MedicationClass
from aftercare.careplan.models import HabitGoal, HabitTick, IntegrationSession, Medication, PlanGoal
from aftercare.demo.simulate import SimInfusion, SimPatient
from aftercare.safety.models import SafetyPlan
from aftercare.tracking.models import JournalEntry
from aftercare.workspace.models import ClinicianNote

# (class, name, dose, share of patients). Antidepressants are the rule in a ketamine clinic's
# patients (treatment-resistant depression: two or more tried); a benzodiazepine for some, which
# the care plan then notes (careplan.interactions).
MEDICATIONS = (
    (MedicationClass.SSRI, "Sertraline", "100 mg each morning", 0.25),
    (MedicationClass.SSRI, "Escitalopram", "10 mg daily", 0.2),
    (MedicationClass.OTHER_ANTIDEPRESSANT, "Bupropion XL", "300 mg each morning", 0.2),
    (MedicationClass.OTHER_ANTIDEPRESSANT, "Venlafaxine XR", "150 mg daily", 0.15),
    (MedicationClass.BENZODIAZEPINE, "Lorazepam", "0.5 mg when needed, most evenings", 0.15),
    (MedicationClass.LAMOTRIGINE, "Lamotrigine", "100 mg daily", 0.08),
    (MedicationClass.THERAPY, "Cognitive behavioural therapy", "weekly", 0.35),
)
THERAPISTS = (
    "Dr. Maya Chen, integration therapist",
    "Leah Brooks, LCSW",
    "Integration group, Thursday evenings",
)
SESSION_NOTES = ("", "", "Video call", "Bring the journal")
HABITS = (
    (HabitGoal.Kind.EXERCISE, "A 20-minute walk after lunch"),
    (HabitGoal.Kind.SLEEP, "Lights out by 11 pm, phone outside the bedroom"),
    (HabitGoal.Kind.MINDFULNESS, "Ten minutes of breathing practice in the morning"),
    (HabitGoal.Kind.SOCIAL, "Call or meet one friend each week"),
    (HabitGoal.Kind.OTHER, "Cook one proper meal a day"),
)
GOALS = (
    (PlanGoal.Horizon.SHORT, "Get through the induction series and keep checking in daily"),
    (PlanGoal.Horizon.SHORT, "Go for a walk on the days after each infusion"),
    (PlanGoal.Horizon.MEDIUM, "Back to work four days a week"),
    (PlanGoal.Horizon.MEDIUM, "Pick up the guitar again"),
    (PlanGoal.Horizon.LONG, "Keep the gains with as few boosters as I need"),
    (PlanGoal.Horizon.LONG, "Plan the trip to see my sister in the summer"),
)
SAFETY_PLAN = {
    "warning_signs": (
        "Sleeping past noon. Cancelling plans two days running. Skipping the check-in because "
        "it feels pointless."
    ),
    "coping_strategies": (
        "Walk the dog round the park. Shower and get dressed even if I stay in. Music in the "
        "kitchen. Write in the journal."
    ),
    "booster_when": (
        "If my mood stays at 4 or lower for three days, or the PHQ-9 climbs back towards where "
        "I started, I call the clinic to talk about a booster."
    ),
}
JOURNAL_FRESH = (
    "Felt very far away during the infusion, like watching my life from a balcony. Calm, not "
    "scary. Tired tonight but lighter.",
    "Colours were strong and the music carried me. I kept thinking about my grandmother's "
    "garden. Want to talk about that with the therapist.",
    "Slept most of the afternoon. The heavy feeling in my chest is less this evening.",
)
JOURNAL_LATER = (
    "Went for the walk three days in a row. Small thing, but I noticed the trees for the first "
    "time in months.",
    "Work was hard today and I did not spiral about it afterwards. That is new.",
    "Mood dipped a bit over the weekend. Wondering how long the effect lasts for me this time.",
    "Question for next visit: can I move the infusions to the afternoon because of work?",
)
NOTE_AFTER_INFUSION = (
    "Infusion {n} tolerated well. Transient rise in blood pressure during the infusion, back to "
    "baseline before discharge. Mild dissociation, resolved within the hour. Home with "
    "{escort}. Plan: continue as scheduled."
)
NOTE_SERIES_REVIEW = (
    "Series review after infusion {n}: daily mood and PHQ-9 reviewed with the patient. Sleep "
    "better, energy still low in the mornings. Medications unchanged. Discussed maintenance "
    "and the signs that should prompt a call about a booster."
)


def write_plans(
    patient: Patient,
    sim: SimPatient,
    clinician: User,
    now: datetime,
    rng: np.random.Generator,
) -> None:
    """Everything but check-ins and questionnaires, for one simulated patient."""
    tz = patient.tz
    done = [i for i in sim.infusions if i.ended_at <= now]
    first_day = (
        sim.infusions[0].started_at.astimezone(tz).date()
        if sim.infusions
        else now.astimezone(tz).date()
    )
    _medications(patient, clinician, first_day, rng)
    if done:
        _integration_sessions(patient, clinician, done[-1], now, rng)
        _journal(patient, done, now, rng)
        _notes(patient, clinician, done, now, rng)
    _habits(patient, now, rng)
    _goals(patient, clinician, rng)
    if rng.random() < 0.6:
        _safety_plan(patient, now)


def _medications(patient: Patient, by: User, first_day: date, rng: np.random.Generator) -> None:
    rows = []
    for medication_class, name, dose, share in MEDICATIONS:
        if rng.random() >= share:
            continue
        rows.append(
            Medication(
                patient=patient,
                name=name,
                medication_class=medication_class,
                dose=dose,
                started_on=first_day - timedelta(days=int(rng.integers(60, 900))),
                created_by=by,
            )
        )
    Medication.objects.bulk_create(rows)


def _integration_sessions(
    patient: Patient, by: User, last: SimInfusion, now: datetime, rng: np.random.Generator
) -> None:
    """One or two sessions inside the window after the latest infusion (days 1-14), some of
    them still ahead."""
    treatment_day = last.ended_at.astimezone(patient.tz).date()
    days = sorted(rng.choice(np.arange(2, 14), size=int(rng.integers(1, 3)), replace=False))
    therapist = str(rng.choice(THERAPISTS))
    IntegrationSession.objects.bulk_create(
        IntegrationSession(
            patient=patient,
            scheduled_at=datetime.combine(
                treatment_day + timedelta(days=int(day)), time(17, 30), tzinfo=patient.tz
            ),
            with_whom=therapist,
            note=str(rng.choice(SESSION_NOTES)),
            created_by=by,
        )
        for day in days
    )


def _habits(patient: Patient, now: datetime, rng: np.random.Generator) -> None:
    """Up to three habits, kept on about two days in three of the last two weeks."""
    picked = rng.choice(len(HABITS), size=int(rng.integers(0, 4)), replace=False)
    today = now.astimezone(patient.tz).date()
    for index in picked:
        kind, description = HABITS[int(index)]
        habit = HabitGoal.objects.create(
            patient=patient, kind=kind, description=description, created_by=patient.user
        )
        HabitTick.objects.bulk_create(
            HabitTick(habit=habit, day=today - timedelta(days=back))
            for back in range(1, 15)
            if rng.random() < 0.65
        )


def _goals(patient: Patient, by: User, rng: np.random.Generator) -> None:
    if rng.random() < 0.35:
        return
    picked = sorted(rng.choice(len(GOALS), size=3, replace=False))
    PlanGoal.objects.bulk_create(
        PlanGoal(
            patient=patient,
            horizon=GOALS[int(i)][0],
            text=GOALS[int(i)][1],
            created_by=patient.user if i % 2 else by,
        )
        for i in picked
    )


def _safety_plan(patient: Patient, now: datetime) -> None:
    people = "The clinic during opening hours."
    if patient.support_name:
        people = f"{patient.support_name}, {patient.support_phone}. " + people
    SafetyPlan.objects.update_or_create(
        patient=patient,
        defaults={
            **SAFETY_PLAN,
            "people_to_call": people,
            "version": 1,
            "updated_at": now - timedelta(days=10),
            "updated_by": patient.user,
        },
    )


def _journal(
    patient: Patient, done: list[SimInfusion], now: datetime, rng: np.random.Generator
) -> None:
    """An entry the evening of some infusions and a few days later; a third shared."""
    rows = []
    for infusion in done[-4:]:
        if rng.random() < 0.5:
            continue
        rows.append((infusion.ended_at + timedelta(hours=5), str(rng.choice(JOURNAL_FRESH))))
        later = infusion.ended_at + timedelta(days=int(rng.integers(3, 7)), hours=4)
        if later <= now and rng.random() < 0.6:
            rows.append((later, str(rng.choice(JOURNAL_LATER))))
    JournalEntry.objects.bulk_create(
        JournalEntry(
            patient=patient,
            written_at=min(at, now),
            body=body,
            shared_with_care_team=bool(rng.random() < 0.35),
        )
        for at, body in rows
    )


def _notes(
    patient: Patient,
    clinician: User,
    done: list[SimInfusion],
    now: datetime,
    rng: np.random.Generator,
) -> None:
    """A signed note after the latest infusion, and a series review after the sixth."""
    escort = patient.support_name or "a family member"
    notes = [(done[-1].ended_at + timedelta(hours=2), NOTE_AFTER_INFUSION, done[-1].number)]
    sixth = next((i for i in done if i.number == 6), None)
    if sixth is not None and sixth.ended_at + timedelta(days=3) <= now:
        notes.append((sixth.ended_at + timedelta(days=3), NOTE_SERIES_REVIEW, 6))
    for at, text, number in sorted(notes):
        at = min(at, now)
        ClinicianNote.objects.create(
            patient=patient,
            author=clinician,
            body=text.format(n=number, escort=escort),
            created_at=at,
            updated_at=at,
            signed_at=None if rng.random() < 0.1 else at,
        )
