"""One summary per local day from any number of check-ins that day. Pure Python, no Django.

Definition (docs/tracking.md, "The day's summary"):

- The day is the patient's local calendar day at the time of the check-in (``local_date``,
  stored when the check-in is made, in the patient's time zone).
- Each 1–10 score of the day is the **mean** of that day's answers to it, unanswered ones left
  out; ``None`` when nobody answered it that day. Means keep every day equally weighted on a
  trend line whatever the number of check-ins, and do not let one moment (a late-evening low, a
  relieved morning) stand for the whole day. The lowest and highest mood are kept beside it,
  so a bad moment stays visible.
- Each warning sign is ``True`` if any check-in of the day said yes, ``False`` if at least one
  said no and none said yes, ``None`` if none answered it: a yes is never averaged away.
- Each side effect is ``True`` if any check-in of the day reported it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from statistics import fmean
from typing import Protocol

SCORES = ("mood", "energy", "interest", "sleep_quality", "anxiety")
WARNING_SIGNS = (
    "suicidal_thoughts",
    "panic",
    "unusual_perceptions",
    "lingering_dissociation",
    "ketamine_cravings",
)
SIDE_EFFECTS = ("nausea", "headache", "dizziness", "urinary_symptoms")


class CheckInLike(Protocol):
    local_date: date
    submitted_at: datetime
    mood: int
    energy: int | None
    interest: int | None
    sleep_quality: int | None
    anxiety: int | None
    suicidal_thoughts: bool | None
    panic: bool | None
    unusual_perceptions: bool | None
    lingering_dissociation: bool | None
    ketamine_cravings: bool | None
    nausea: bool
    headache: bool
    dizziness: bool
    urinary_symptoms: bool


@dataclass(frozen=True)
class DaySummary:
    """Scores are means on the 1–10 scale (10 best; anxiety: 10 worst), rounded to 0.1."""

    day: date
    check_ins: int
    mood: float
    mood_low: int
    mood_high: int
    energy: float | None
    interest: float | None
    sleep_quality: float | None
    anxiety: float | None
    suicidal_thoughts: bool | None
    panic: bool | None
    unusual_perceptions: bool | None
    lingering_dissociation: bool | None
    ketamine_cravings: bool | None
    nausea: bool
    headache: bool
    dizziness: bool
    urinary_symptoms: bool

    @property
    def any_warning_sign(self) -> bool:
        return any(getattr(self, name) for name in WARNING_SIGNS)


def _mean(values: list[int | None]) -> float | None:
    answered = [v for v in values if v is not None]
    return round(fmean(answered), 1) if answered else None


def _any_yes(values: list[bool | None]) -> bool | None:
    if any(v is True for v in values):
        return True
    if any(v is False for v in values):
        return False
    return None


def day_summaries(check_ins: Iterable[CheckInLike]) -> list[DaySummary]:
    """Summaries of each local day that has a check-in, oldest day first."""
    by_day: dict[date, list[CheckInLike]] = defaultdict(list)
    for check_in in check_ins:
        by_day[check_in.local_date].append(check_in)
    summaries = []
    for day in sorted(by_day):
        entries = by_day[day]
        moods = [entry.mood for entry in entries]
        mood = _mean(list(moods))
        assert mood is not None  # mood is required on every check-in
        means = {name: _mean([getattr(e, name) for e in entries]) for name in SCORES[1:]}
        signs = {name: _any_yes([getattr(e, name) for e in entries]) for name in WARNING_SIGNS}
        effects = {name: any(getattr(e, name) for e in entries) for name in SIDE_EFFECTS}
        summaries.append(
            DaySummary(
                day=day,
                check_ins=len(entries),
                mood=mood,
                mood_low=min(moods),
                mood_high=max(moods),
                energy=means["energy"],
                interest=means["interest"],
                sleep_quality=means["sleep_quality"],
                anxiety=means["anxiety"],
                suicidal_thoughts=signs["suicidal_thoughts"],
                panic=signs["panic"],
                unusual_perceptions=signs["unusual_perceptions"],
                lingering_dissociation=signs["lingering_dissociation"],
                ketamine_cravings=signs["ketamine_cravings"],
                nausea=effects["nausea"],
                headache=effects["headache"],
                dizziness=effects["dizziness"],
                urinary_symptoms=effects["urinary_symptoms"],
            )
        )
    return summaries
