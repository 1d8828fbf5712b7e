"""Clinic outcomes from many patients' insights: counts with the patients behind them.

Every number is a ``Count`` that keeps the ids of the patients in its numerator and denominator,
so the dashboard can link each number to its patients. Definitions of each key are in
``METRICS`` (the dashboard's definitions page shows them with their sources).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from aftercare.insights.patient import PatientInsights
from aftercare.insights.survival import KaplanMeier, kaplan_meier
from aftercare.insights.trajectory import CLASSES

# Each key's denominator (None: the count itself is the total). Definitions and sources:
#   started: induction series with >= 1 infusion; completed: all planned infusions given
#   (PRODUCT.md §6); dropped_out: stopped after infusion 1 and before the planned last one - no
#   infusion for 14 days and none planned (project default, ``patient.DROPOUT_AFTER_DAYS``);
#   assessed: completed with a baseline and a post-induction score (McInnes 2022 window 14-31 d);
#   response >= 50 %, partial 25-49 %, remission < 5, worsened any increase (McInnes 2022;
#   CLINICAL.md §2); mcid: improved by >= 5 points (Löwe 2004; CLINICAL.md §1.1); lost_response:
#   confirmed loss of response among responders (CLINICAL.md §2); si_*: suicidal thoughts at
#   baseline and their resolution (McInnes 2022, Oliver 2022; CLINICAL.md §3).
METRICS: Mapping[str, str | None] = {
    "treated": None,
    "started": None,
    "completed": "started",
    "dropped_out": "started",
    "in_progress": "started",
    "assessed": "completed",
    "not_assessed": "completed",
    "response": "assessed",
    "partial": "assessed",
    "remission": "assessed",
    "worsened": "assessed",
    "mcid": "assessed",
    "lost_response": "response",
    # Out of everyone treated: its numerator is not limited to the assessed (it said "15 of 19"
    # with 19 the patients assessed by PHQ-9, a share of nothing).
    "si_baseline": "treated",
    "si_assessed": "si_baseline",
    "si_resolved": "si_assessed",
    "non_response_flag": "completed",
    "booster_proposed": "treated",
    "booster_review_pending": "booster_proposed",
    **{f"trajectory_{c.value}": "treated" for c in CLASSES},
}


@dataclass(frozen=True)
class Count:
    """``numerator`` and ``denominator``: patient ids (sorted); ``rate`` 0-1 or None."""

    key: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]

    @property
    def n(self) -> int:
        return len(self.numerator)

    @property
    def of(self) -> int:
        return len(self.denominator)

    @property
    def rate(self) -> float | None:
        return self.n / self.of if self.of else None


@dataclass(frozen=True)
class Survival:
    """Time until loss of response (days from the post-induction assessment) among responders;
    censored at the last questionnaire before any booster. ``ids`` align with ``days`` and
    ``events``."""

    curve: KaplanMeier
    ids: tuple[str, ...]
    days: tuple[float, ...]
    events: tuple[bool, ...]


@dataclass(frozen=True)
class Intervals:
    """Days between consecutive treatments after the series (PRODUCT.md §6), one per gap."""

    ids: tuple[str, ...]
    days: tuple[int, ...]

    @property
    def median(self) -> float | None:
        return float(np.median(self.days)) if self.days else None

    @property
    def quartiles(self) -> tuple[float, float] | None:
        if not self.days:
            return None
        q1, q3 = np.percentile(self.days, [25, 75])
        return float(q1), float(q3)


@dataclass(frozen=True)
class ClinicOutcomes:
    counts: Mapping[str, Count]
    survival: Survival
    intervals: Intervals
    patients: int


def clinic_outcomes(insights: Sequence[PatientInsights]) -> ClinicOutcomes:
    """Aggregate patients' insights into the dashboard's counts, curve and intervals."""
    sets: dict[str, list[str]] = {key: [] for key in METRICS}
    surv_ids, surv_days, surv_events = [], [], []
    int_ids, int_days = [], []
    for p in insights:
        pid = p.patient_id
        if p.trajectory.first_infusion is not None:
            sets["treated"].append(pid)
            sets[f"trajectory_{p.trajectory.trajectory.value}"].append(pid)
        if p.booster_proposed:
            sets["booster_proposed"].append(pid)
        if p.booster_review_pending:
            sets["booster_review_pending"].append(pid)
        ind = p.induction
        if ind is None or ind.status == "not_started":
            continue
        sets["started"].append(pid)
        sets[ind.status].append(pid)
        if ind.status != "completed":
            continue
        if p.non_response is not None:
            sets["non_response_flag"].append(pid)
        for days in p.booster_intervals:
            int_ids.append(pid)
            int_days.append(days)
        out = p.induction_outcome
        if out is None or out.change is None:
            sets["not_assessed"].append(pid)
            continue
        sets["assessed"].append(pid)
        change = out.change
        for key, flag in (
            ("response", out.responded),
            ("partial", change.partial),
            ("remission", out.remitted),
            ("worsened", change.worsened),
            ("mcid", change.meaningful_improvement),
        ):
            if flag:
                sets[key].append(pid)
        if out.responded and out.assessment is not None:
            end = out.loss_on or out.follow_up_until or out.assessment.day
            surv_ids.append(pid)
            surv_days.append(float(max((end - out.assessment.day).days, 0)))
            surv_events.append(out.loss_on is not None)
            if out.loss_on is not None:
                sets["lost_response"].append(pid)
        si = p.suicidal
        if si is not None and si.at_baseline:
            sets["si_baseline"].append(pid)
            if si.resolved is not None:
                sets["si_assessed"].append(pid)
                if si.resolved:
                    sets["si_resolved"].append(pid)
    counts = {}
    for key, denominator in METRICS.items():
        den = sets[denominator] if denominator else sets[key]
        counts[key] = Count(key, tuple(sorted(sets[key])), tuple(sorted(den)))
    curve = kaplan_meier(surv_days, surv_events)
    return ClinicOutcomes(
        counts=counts,
        survival=Survival(curve, tuple(surv_ids), tuple(surv_days), tuple(surv_events)),
        intervals=Intervals(tuple(int_ids), tuple(int_days)),
        patients=len(insights),
    )
