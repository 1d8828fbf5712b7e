"""Histories for the outcomes tests, written through the apps' own actions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time, timedelta

from aftercare.accounts.models import Patient, User
from aftercare.tracking.actions import submit_check_in, submit_scale_response
from aftercare.tracking.instruments import get_instrument
from aftercare.treatment.actions import record_infusion
from aftercare.treatment.models import Course

NOW = datetime(2026, 6, 15, 18, 0, tzinfo=UTC)
PHQ9_ITEMS = ("44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5",
              "44253-3", "44260-8")  # fmt: skip


def phq9_answers(total: int, item9: int = 0) -> dict[str, int]:
    """Item answers summing to ``total`` with item 9 as given."""
    answers = dict.fromkeys(PHQ9_ITEMS, 0)
    answers["44260-8"] = item9
    left = total - item9
    for item in PHQ9_ITEMS[:8]:
        answers[item] = min(3, left)
        left -= answers[item]
    assert left == 0
    return answers


def local(patient: Patient, day: int, hour: int) -> datetime:
    """``hour`` o'clock on day ``day`` (0 = the first infusion's day) in the patient's zone."""
    first = (NOW - timedelta(days=60)).astimezone(patient.tz).date()
    return datetime.combine(first + timedelta(days=day), time(hour), patient.tz).astimezone(UTC)


def give_history(
    patient: Patient,
    *,
    by: User | None,
    mood: Callable[[int], int | None],
    infusion_days: Sequence[int] = (0, 2, 4, 7, 9, 11),
    phq9: Sequence[tuple[int, int, int]] = (),
    suicidal: Callable[[int], bool | None] = lambda d: False,
    days: range = range(-10, 61),
) -> None:
    """Infusions (day numbers from 60 days before NOW), evening check-ins and PHQ-9s."""
    if infusion_days:
        course = Course.objects.create(
            patient=patient, planned_infusions=6, started_on=local(patient, 0, 9).date()
        )
        for d in infusion_days:
            start = local(patient, d, 9)
            record_infusion(
                patient=patient,
                recorded_by=by,
                started_at=start,
                ended_at=start + timedelta(minutes=45),
                route="iv",
                course=course if d <= 11 else None,
            )
    for d in days:
        value = mood(d)
        at = local(patient, d, 20)
        if value is not None and at <= NOW:
            submit_check_in(
                patient=patient,
                answers={"mood": value, "suicidal_thoughts": suicidal(d)},
                submitted_at=at,
            )
    for d, total, item9 in phq9:
        submit_scale_response(
            patient=patient,
            instrument=get_instrument("phq9"),
            answers=phq9_answers(total, item9),
            taken_at=local(patient, d, 8),
        )


def fading(d: int) -> int:
    """3 before treatment, 8 from day 1, then a point lower every 14 days from day 25: 60 % of
    the gain left on day 60."""
    if d < 0:
        return 3
    return max(8 - max(d - 25, 0) // 14, 3)


def flat(d: int) -> int:
    return 4
