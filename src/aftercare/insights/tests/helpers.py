"""Builders of synthetic patients for the insights tests (pure: no Django)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta

import numpy as np

from aftercare.insights.data import CourseInfo, DailySeries, InfusionEvent, PatientData, ScaleScore

DAY0 = date(2026, 3, 1)  # day 0 of every synthetic history


def at(day: int, hour: int = 9) -> datetime:
    return datetime.combine(DAY0 + timedelta(days=day), time(hour), tzinfo=UTC)


def infusions(days: Sequence[int], *, series: int = 6) -> tuple[InfusionEvent, ...]:
    """Completed infusions on those day numbers; the first ``series`` form course 1."""
    return tuple(
        InfusionEvent(
            at(d),
            DAY0 + timedelta(days=d),
            1 if i < series else 2,
            "induction" if i < series else "maintenance",
        )
        for i, d in enumerate(days)
    )


SERIES = (0, 2, 4, 7, 9, 11)


def mood_series(values: Sequence[float | None], start: int = -14) -> DailySeries:
    """Daily moods from day ``start`` on; None = no check-in."""
    arr = np.array([np.nan if v is None else float(v) for v in values])
    return DailySeries(DAY0 + timedelta(days=start), arr)


def curve(days: int, fn: Callable[[int], float | None], start: int = -14) -> DailySeries:
    """Moods from ``start`` for ``days`` days, given by ``fn(day number)``."""
    return mood_series([fn(d) for d in range(start, start + days)], start)


def patient(
    mood: DailySeries,
    *,
    today: int,
    infusion_days: Sequence[int] = SERIES,
    scores: Sequence[tuple[int, int, int | None]] = (),
    scheduled: Sequence[int] = (),
    planned: int = 6,
    suicidal: DailySeries | None = None,
    with_courses: bool = True,
) -> PatientData:
    """A patient as of day ``today``; ``scores`` are (day, total, item 9) PHQ-9s, taken at 08:00
    (before an infusion that day)."""
    infs = infusions(infusion_days)
    courses: tuple[CourseInfo, ...] = ()
    if with_courses and infs:
        courses = (CourseInfo(1, "induction", planned, infs[0].day),)
        if len(infs) > 6:
            courses += (CourseInfo(2, "maintenance", 12, infs[6].day),)
    phq = tuple(
        ScaleScore(at(d, 8), DAY0 + timedelta(days=d), total, item9) for d, total, item9 in scores
    )
    kwargs = {"suicidal": suicidal} if suicidal is not None else {}
    return PatientData(
        patient_id="p",
        today=DAY0 + timedelta(days=today),
        mood=mood,
        infusions=infs,
        scores=phq,
        courses=courses,
        scheduled=tuple(DAY0 + timedelta(days=d) for d in scheduled),
        **kwargs,
    )


def step_up(base: float, gain: float, *, fade_from: int | None = None, per_day: float = 0.0):
    """Mood ``base`` before day 0, ``base + gain`` from day 1 on, falling ``per_day`` points a day
    from ``fade_from`` on (never below ``base - 1``)."""

    def fn(d: int) -> float:
        if d <= 0:
            return base
        level = base + gain
        if fade_from is not None and d > fade_from:
            level = max(level - per_day * (d - fade_from), base - 1)
        return level

    return fn
