"""Questionnaire-based outcomes: response, partial response, remission, worsening, loss of response.

Every threshold comes from an ``OutcomeDefinitions`` (published defaults and sources there;
CLINICAL.md §1.1 and §2). Scores are totals of the definitions' instrument (PHQ-9 0-27 by default).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from aftercare.insights.data import ScaleScore
from aftercare.insights.definitions import DEFAULT_DEFINITIONS, OutcomeDefinitions


@dataclass(frozen=True)
class ScoreChange:
    """One score compared with the baseline score (same instrument).

    ``change``: score minus baseline in points (negative = better).
    ``reduction``: fraction of the baseline score gone, e.g. 0.5 for 20 -> 10; ``None`` when the
    baseline is 0 (no reduction is possible). Negative when the score rose.
    """

    baseline: int
    score: int
    change: int
    reduction: float | None
    response: bool  # reduction >= response_reduction (50 %)
    partial: bool  # partial_reduction (25 %) <= reduction < response_reduction
    remission: bool  # score < remission_below (5)
    worsened: bool  # score rose by >= worsening_min_increase (any increase)
    meaningful_improvement: bool  # fell by >= mcid_points (5)
    meaningful_worsening: bool  # rose by >= mcid_points (5)


def score_change(
    baseline: int, score: int, definitions: OutcomeDefinitions = DEFAULT_DEFINITIONS
) -> ScoreChange:
    """Classify ``score`` against ``baseline`` (both totals within 0..max of the instrument)."""
    top = definitions.max_score
    for name, value in (("baseline", baseline), ("score", score)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            raise ValueError(f"{name} must be a whole number within 0-{top}")
    change = score - baseline
    reduction = None if baseline == 0 else (baseline - score) / baseline
    d = definitions
    # Comparing -change with the fraction of the baseline avoids rounding at exactly 50 %/25 %.
    response = reduction is not None and -change >= d.response_reduction * baseline - 1e-9
    partial = (
        reduction is not None and not response and -change >= d.partial_reduction * baseline - 1e-9
    )
    return ScoreChange(
        baseline=baseline,
        score=score,
        change=change,
        reduction=reduction,
        response=response,
        partial=partial,
        remission=score < d.remission_below,
        worsened=change >= d.worsening_min_increase,
        meaningful_improvement=-change >= d.mcid_points,
        meaningful_worsening=change >= d.mcid_points,
    )


def baseline_score(
    scores: Sequence[ScaleScore],
    first_infusion_at: datetime,
    definitions: OutcomeDefinitions = DEFAULT_DEFINITIONS,
) -> ScaleScore | None:
    """The last score taken before the first infusion started, within ``baseline_max_days``.

    Documented baseline rule (issue #7; Sanacora 2017 asks for a baseline severity measure before
    treatment, CLINICAL.md §4).
    """
    earliest = first_infusion_at - timedelta(days=definitions.baseline_max_days)
    before = [s for s in scores if earliest <= s.taken_at < first_infusion_at]

    return max(before, key=lambda s: s.taken_at) if before else None


@dataclass(frozen=True)
class ScaleOutcome:
    """Outcome of an induction series by questionnaire, measured from the patient's baseline.

    ``assessment``: the post-induction assessment (first score ``post_induction_days`` after the
    series' last infusion, 14-31 days by default). ``responded``/``remitted`` apply the
    consecutive-visit confirmation from the assessment on. Loss of response: among responders,
    the first run of ``loss_confirm_visits`` consecutive scores no longer meeting the response
    threshold; ``loss_on`` is the day of the first of them. ``follow_up_until`` is the day of the
    last score used (before ``censor_on`` when given, e.g. the first booster).
    ``loss_pending``: the latest scores no longer meet response but are too few to confirm it.
    """

    baseline: ScaleScore | None
    assessment: ScaleScore | None
    change: ScoreChange | None
    responded: bool
    remitted: bool
    loss_on: date | None
    loss_pending: bool
    follow_up_until: date | None
    latest: ScoreChange | None

    @property
    def assessed(self) -> bool:
        return self.change is not None


def _confirmed(flags: Sequence[bool], visits: int) -> bool:
    """True when the first ``visits`` flags exist and are all true."""
    return len(flags) >= visits and all(flags[:visits])


def scale_outcome(
    scores: Sequence[ScaleScore],
    *,
    first_infusion_at: datetime,
    series_end: date,
    censor_on: date | None = None,
    definitions: OutcomeDefinitions = DEFAULT_DEFINITIONS,
) -> ScaleOutcome:
    """Response, remission and loss of response after an induction series ending ``series_end``.

    ``scores`` oldest first (any order is accepted). Scores on or after ``censor_on`` (e.g. the
    first maintenance infusion, to match "without maintenance" figures) are not used for loss of
    response.
    """
    ordered = sorted(scores, key=lambda s: s.taken_at)
    base = baseline_score(ordered, first_infusion_at, definitions)
    lo, hi = definitions.post_induction_days
    after = [s for s in ordered if lo <= (s.day - series_end).days]
    assessment = next((s for s in after if (s.day - series_end).days <= hi), None)
    latest_after = [s for s in ordered if s.taken_at > first_infusion_at]
    if base is None or assessment is None:
        latest = (
            score_change(base.total, latest_after[-1].total, definitions)
            if base is not None and latest_after
            else None
        )
        return ScaleOutcome(base, assessment, None, False, False, None, False, None, latest)
    from_assessment = [s for s in after if s.taken_at >= assessment.taken_at]
    changes = [score_change(base.total, s.total, definitions) for s in from_assessment]
    responded = _confirmed([c.response for c in changes], definitions.response_confirm_visits)
    remitted = _confirmed([c.remission for c in changes], definitions.remission_confirm_visits)
    loss_on, pending = None, False
    usable = [
        (s, c)
        for s, c in zip(from_assessment, changes, strict=True)
        if censor_on is None or s.day < censor_on
    ]
    if responded:
        k = definitions.loss_confirm_visits
        for i in range(len(usable)):
            run = usable[i : i + k]
            if all(not c.response for _, c in run):
                if len(run) == k:
                    loss_on = run[0][0].day
                else:
                    pending = True
                break
    follow_up = usable[-1][0].day if usable else None
    if loss_on is not None:
        follow_up = loss_on
    latest = score_change(base.total, latest_after[-1].total, definitions)
    return ScaleOutcome(
        baseline=base,
        assessment=assessment,
        change=changes[0],
        responded=responded,
        remitted=remitted,
        loss_on=loss_on,
        loss_pending=pending,
        follow_up_until=follow_up,
        latest=latest,
    )
