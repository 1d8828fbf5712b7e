"""A small, fixed treatment history of Alice's shared by the reports tests."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from aftercare.tracking.actions import submit_check_in, submit_scale_response
from aftercare.tracking.instruments import get_instrument
from aftercare.treatment.actions import record_infusion

PHQ9 = get_instrument("phq9")
GAD7 = get_instrument("gad7")
NOW = datetime(2026, 6, 30, 18, 0, tzinfo=UTC)
FIRST_INFUSION = datetime(2026, 5, 4, 16, 0, tzinfo=UTC)  # a Monday, 09:00 in Los Angeles


def answers_for(instrument, total: int) -> dict:
    answers, left = {}, total
    for item in instrument.scored_items:
        answers[item.id] = min(3, left)
        left -= answers[item.id]
    return answers


def make_history(patient, clinician) -> None:
    """Six IV infusions over two weeks, daily mood from a week before, PHQ-9 and GAD-7 at
    baseline, mid-series and three weeks after."""
    for n, offset in enumerate((0, 2, 4, 7, 9, 11)):
        start = FIRST_INFUSION + timedelta(days=offset)
        record_infusion(
            patient=patient, recorded_by=clinician, started_at=start,
            ended_at=start + timedelta(minutes=40), route="iv",
            dose_mg_per_kg=Decimal("0.5") if n else Decimal("0.4"), weight_kg=Decimal("70.0"),
        )  # fmt: skip
    for day in range(-10, 50):
        mood = 3 if day < 0 else min(8, 4 + day // 4)
        submit_check_in(
            patient=patient,
            answers={"mood": mood, "anxiety": 5},
            submitted_at=FIRST_INFUSION + timedelta(days=day, hours=4),
        )
    for day, phq, gad in ((-2, 21, 16), (8, 12, 9), (32, 4, 3)):
        at = FIRST_INFUSION + timedelta(days=day, hours=2)
        submit_scale_response(
            patient=patient, instrument=PHQ9, answers=answers_for(PHQ9, phq), taken_at=at
        )
        submit_scale_response(
            patient=patient, instrument=GAD7, answers=answers_for(GAD7, gad), taken_at=at
        )
