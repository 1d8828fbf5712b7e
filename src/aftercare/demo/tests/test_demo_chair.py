"""The demo clinic has patients in the chair when it is generated: the board is not empty."""

from collections import Counter
from datetime import UTC, datetime

from aftercare.accounts.models import User
from aftercare.demo.load import load_demo_clinic
from aftercare.guidance.companion import companion_for
from aftercare.treatment.chair import chair_rows, sessions_in_the_chair
from aftercare.treatment.models import ClinicProtocol, Infusion
from aftercare.treatment.stage import Stage, stage_of

NOW = datetime(2026, 6, 15, 18, 0, tzinfo=UTC)  # 14:00 in New York


def test_one_patient_is_dosing_and_one_recovering_with_rounds(db):
    clinic = load_demo_clinic(seed=11, now=NOW)
    nurse = User.objects.get(email="nurse.kim@riverside.example")
    sessions = list(sessions_in_the_chair(nurse))
    protocol, _ = ClinicProtocol.objects.get_or_create(clinic=clinic)
    rows = {r.stage.stage: r for r in chair_rows(sessions, protocol, now=NOW, tz=clinic.tz)}
    assert set(rows) == {Stage.DOSING, Stage.RECOVERING}
    recovering = rows[Stage.RECOVERING]
    assert recovering.last_round is not None
    assert recovering.infusion.rounds.count() >= 3
    assert recovering.observation_left > 0
    assert not recovering.overdue
    assert not recovering.flags
    assert not rows[Stage.DOSING].overdue
    # Both are today's, clinic time, and stay mid-series with a next appointment.
    assert all(r.open_since is None for r in rows.values())
    for row in rows.values():
        companion = companion_for(row.infusion.patient, NOW)
        assert companion.next_infusion is not None


def test_the_sessions_that_ended_earlier_today_are_discharged(db):
    clinic = load_demo_clinic(seed=11, now=NOW)
    today = NOW.astimezone(clinic.tz).date()
    ended_today = [
        i
        for i in Infusion.objects.filter(
            patient__clinic=clinic, ended_at__isnull=False
        ).select_related("discharge")
        if i.ended_at.astimezone(clinic.tz).date() == today
    ]
    stages = Counter(stage_of(i).stage for i in ended_today)
    assert stages[Stage.DISCHARGED] >= 4
    assert stages[Stage.RECOVERING] == 1
    assert stages[Stage.RECORDED] == 0
    for infusion in ended_today:
        if stage_of(infusion).stage == Stage.DISCHARGED:
            assert not infusion.discharge.overridden  # every criterion was met
            assert infusion.discharge.observed_minutes >= 60
