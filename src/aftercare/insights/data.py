"""What the insights functions take: plain frozen dataclasses, filled by the caller.

Days are the patient's local calendar days (``datetime.date``); instants are timezone-aware
``datetime``. Nothing here reads a database: ``aftercare.outcomes.loaders`` builds these from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class DailySeries:
    """One value per consecutive local day from ``start``; ``NaN`` where there is none.

    Used for daily mean mood (1-10, higher is better) and for daily suicidal-thought answers
    (1.0 = yes on any check-in that day, 0.0 = only no, NaN = not answered).
    """

    start: date
    values: Floats

    @classmethod
    def from_days(cls, days: Sequence[date], values: Sequence[float]) -> DailySeries:
        """Mean of the values given for each day (several check-ins a day count once)."""
        if len(days) != len(values):
            raise ValueError("days and values differ in length")
        if not days:
            return cls(date.min, np.empty(0))
        ordinals = np.fromiter((d.toordinal() for d in days), np.int64, len(days))
        return cls.from_ordinals(ordinals, np.asarray(values, dtype=np.float64))

    @classmethod
    def from_ordinals(cls, ordinals: npt.ArrayLike, values: npt.ArrayLike) -> DailySeries:
        """``from_days`` for days given as ``date.toordinal()`` numbers (a 1-D integer array),
        so that a caller holding many check-ins in arrays needs no ``date`` objects."""
        ordinals = np.asarray(ordinals, dtype=np.int64)
        values = np.asarray(values, dtype=np.float64)
        if ordinals.shape != values.shape or ordinals.ndim != 1:
            raise ValueError("days and values differ in length")
        if not ordinals.size:
            return cls(date.min, np.empty(0))
        first = int(ordinals.min())
        idx = ordinals - first
        n = int(idx.max()) + 1
        sums = np.bincount(idx, weights=values, minlength=n)
        counts = np.bincount(idx, minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
        return cls(date.fromordinal(first), out)

    def __len__(self) -> int:
        return int(self.values.size)

    @property
    def end(self) -> date:
        """The day after the last day of the series."""
        return self.start + timedelta(days=len(self))

    @property
    def last_day(self) -> date | None:
        """The last day with a value; None when there is none."""
        seen = np.flatnonzero(~np.isnan(self.values))
        return self.start + timedelta(days=int(seen[-1])) if seen.size else None

    def window(self, start: date, end: date) -> Floats:
        """Values for the days ``start`` (inclusive) to ``end`` (exclusive); NaN without data."""
        n = max((end - start).days, 0)
        out = np.full(n, np.nan)
        if not len(self) or not n:
            return out
        lo = (start - self.start).days
        src_lo, src_hi = max(lo, 0), min(lo + n, len(self))
        if src_lo < src_hi:
            out[src_lo - lo : src_hi - lo] = self.values[src_lo:src_hi]
        return out

    def value_on(self, day: date) -> float:
        """The value on ``day``, NaN when there is none."""
        return float(self.window(day, day + timedelta(days=1))[0])


def empty_series() -> DailySeries:
    return DailySeries(date.min, np.empty(0))


@dataclass(frozen=True)
class InfusionEvent:
    """A completed infusion (or other ketamine session)."""

    started_at: datetime
    day: date  # local day of the start
    course_id: int | None = None
    kind: str = "induction"  # the course kind: "induction" or "maintenance"
    route: str = "iv"


@dataclass(frozen=True)
class ScaleScore:
    """A questionnaire total: PHQ-9 0-27 or GAD-7 0-21; ``item9`` (PHQ-9 only) 0-3."""

    taken_at: datetime
    day: date  # local day
    total: int
    item9: int | None = None


@dataclass(frozen=True)
class CourseInfo:
    id: int
    kind: str  # "induction" or "maintenance"
    planned: int  # planned infusions, 1-50
    started_on: date


@dataclass(frozen=True, eq=False)
class PatientData:
    """Everything known about one patient, as of the local day ``today``.

    ``infusions``: completed ones, oldest first. ``scheduled``: local days of planned ones.
    ``scores``: the definitions' instrument only, oldest first. ``phq9``: PHQ-9 scores with
    item 9 (for suicidal-thought resolution), oldest first; the same as ``scores`` by default.
    """

    patient_id: str
    today: date
    mood: DailySeries = field(default_factory=empty_series)
    suicidal: DailySeries = field(default_factory=empty_series)
    infusions: tuple[InfusionEvent, ...] = ()
    scores: tuple[ScaleScore, ...] = ()
    courses: tuple[CourseInfo, ...] = ()
    scheduled: tuple[date, ...] = ()
    phq9: tuple[ScaleScore, ...] | None = None

    @property
    def phq9_scores(self) -> tuple[ScaleScore, ...]:
        return self.scores if self.phq9 is None else self.phq9


@dataclass(frozen=True)
class Block:
    """Infusions at most ``gap`` days apart: an induction series, or a booster (or a few).

    ``first`` and ``last`` index ``PatientData.infusions``.
    """

    first: int
    last: int
    start: date
    end: date  # local day of the block's last infusion

    @property
    def size(self) -> int:
        return self.last - self.first + 1


def blocks(infusions: Sequence[InfusionEvent], gap_days: int = 7) -> list[Block]:
    """Group infusions (oldest first) into blocks whose neighbours are at most ``gap_days``
    apart (CLINICAL.md §3: a series is ~6 infusions over 2-3 weeks, boosters weeks apart)."""
    out: list[Block] = []
    for i, infusion in enumerate(infusions):
        if out and (infusion.day - out[-1].end).days <= gap_days:
            prev = out[-1]
            out[-1] = Block(prev.first, i, prev.start, infusion.day)
        else:
            out.append(Block(i, i, infusion.day, infusion.day))
    return out
