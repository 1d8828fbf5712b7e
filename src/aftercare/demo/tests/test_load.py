from collections import Counter
from datetime import UTC, datetime

from django.db.models import Max, Min

from aftercare.accounts.models import Patient, Role, User
from aftercare.demo.load import load_demo_clinic
from aftercare.demo.simulate import simulate_clinic
from aftercare.guidance.companion import companion_for
from aftercare.guidance.phases import Phase
from aftercare.tracking.models import CheckIn, ScaleResponse

# Mid-afternoon in New York, so the "discharged today" patients are really discharged today.
NOW = datetime(2026, 6, 15, 18, 0, tzinfo=UTC)


def test_the_demo_clinic_covers_every_stage_of_recovery(db):
    clinic = load_demo_clinic(seed=11, now=NOW)
    roles = Counter(User.objects.filter(clinic=clinic).values_list("role", flat=True))
    assert roles[Role.ADMIN] == 1
    assert roles[Role.CLINICIAN] == 4
    staff = User.objects.filter(clinic=clinic, role=Role.CLINICIAN)
    # Two at work, one invited who has not set a password yet, one who left.
    assert sorted((u.is_active, u.has_usable_password()) for u in staff) == [
        (False, False),
        (True, False),
        (True, True),
        (True, True),
    ]
    assert roles[Role.PATIENT] >= 40

    companions = [companion_for(p, NOW) for p in Patient.objects.filter(clinic=clinic)]
    phases = Counter(c.state.phase for c in companions)
    assert phases[Phase.IMMEDIATE] + phases[Phase.GETTING_HOME] + phases[Phase.TREATMENT_DAY] >= 4
    assert phases[Phase.DAY_1] + phases[Phase.DAY_2] + phases[Phase.DAY_3] >= 4
    assert phases[Phase.FIRST_WEEK] + phases[Phase.WEEKS_2_4] >= 4
    assert phases[Phase.MAINTENANCE] + phases[Phase.LONG_TERM] + phases[Phase.WEEKS_2_4] >= 8
    mid_series = [c for c in companions if c.series_number and c.series_number < 6]
    assert len(mid_series) >= 4
    assert all(c.next_infusion is not None for c in mid_series)


def test_the_demo_history_spans_about_ninety_days(db):
    load_demo_clinic(seed=11, now=NOW)
    span = CheckIn.objects.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
    assert 80 <= (NOW - span["first"]).days <= 91
    assert span["last"] <= NOW
    # Patients who started recently have only their recent weeks; the long-term ones have all 90.
    days = Counter(CheckIn.objects.values_list("patient_id", flat=True))
    assert sum(1 for n in days.values() if n >= 60) >= 8
    assert CheckIn.objects.count() > 40 * 25
    assert ScaleResponse.objects.filter(instrument="phq9").count() >= 40 * 3


def test_the_loader_writes_exactly_what_the_seeded_simulation_gives(db):
    # With simulate_clinic deterministic per seed (test_simulate.py), the same seed therefore
    # gives the same database contents.
    load_demo_clinic(seed=11, now=NOW)
    stored = sorted(
        CheckIn.objects.values_list("patient__user__email", "submitted_at", "mood", "anxiety")
    )
    simulated = sorted(
        (p.email, c.at, c.mood, c.anxiety)
        for p in simulate_clinic(seed=11, now=NOW, patients=42)
        for c in p.checkins
    )
    assert stored == simulated
