"""Everything about one patient's response, from ``PatientData`` (many patients at once where it
matters: ``trajectories`` classifies all of them in one numpy pass).

Per infusion: day 1/2/3 mood and peak (``episodes``). Per course: completion and, for the
induction series, the questionnaire outcome (``scales``). Per patient: the baseline, the
trajectory class (``trajectory``), how long earlier blocks' benefit lasted, the proposed booster
window (``booster``), a flag for non-response after the series, and suicidal-thought resolution.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from aftercare.insights.booster import BoosterForecast, Observation, Trend, forecast
from aftercare.insights.data import Block, CourseInfo, PatientData, ScaleScore, blocks
from aftercare.insights.definitions import (
    DEFAULT_DEFINITIONS,
    DEFAULT_PRIORS,
    DEFAULT_TRAJECTORY,
    BoosterPriors,
    OutcomeDefinitions,
    TrajectorySettings,
)
from aftercare.insights.episodes import (
    Durability,
    InfusionResponse,
    durability,
    infusion_responses,
)
from aftercare.insights.scales import ScaleOutcome, baseline_score, scale_outcome
from aftercare.insights.trajectory import CLASSES, Missing, Trajectory, classify

MAX_EPISODE_DAYS = 180  # the judged episode looks back at most this far (peak search)
DROPOUT_AFTER_DAYS = 14  # an unfinished series with no infusion for 14 days and none planned
# (a series has gaps of 2-4 days, CLINICAL.md §3; project default) counts as dropped out.
DEFAULT_SERIES = 6  # infusions in an induction series when no course says (CLINICAL.md §3)
SI_WINDOW_DAYS = 7  # check-ins looked at before the post-induction assessment


@dataclass(frozen=True)
class Episode:
    """The judged stretch: from ``block``'s first infusion to ``end`` (exclusive, local days)."""

    block: Block
    end: date
    newer_block_days: int | None  # a newer block began this many days ago (too recent to judge)


def episode_for(
    data: PatientData, settings: TrajectorySettings = DEFAULT_TRAJECTORY
) -> Episode | None:
    """The latest block, or the one before it when the latest began < min_episode_days ago."""
    bl = blocks(data.infusions, settings.series_gap_days)
    if not bl:
        return None
    latest = bl[-1]
    since = (data.today - latest.start).days
    if since < settings.min_episode_days and len(bl) > 1:
        return Episode(bl[-2], latest.start, since)
    return Episode(latest, data.today + timedelta(days=1), None)


def mood_baseline(
    data: PatientData, settings: TrajectorySettings = DEFAULT_TRAJECTORY
) -> tuple[float | None, int]:
    """Baseline mood and the days it rests on: the mean daily mood in the ``baseline_days`` (7)
    before the first infusion, or in the ``baseline_fallback_days`` (14) before it when the week
    has fewer than ``min_baseline_days`` (3) check-ins (``TrajectorySettings``)."""
    if not data.infusions:
        return None, 0
    first = data.infusions[0].day
    seen = 0
    for days in (settings.baseline_days, settings.baseline_fallback_days):
        values = [
            v
            for v in data.mood.window(first - timedelta(days=days), first).tolist()
            if v == v  # not NaN
        ]
        seen = len(values)
        if seen >= settings.min_baseline_days:
            return sum(values) / seen, seen
    return None, seen


@dataclass(frozen=True)
class TrajectoryResult:
    """The trajectory class with the numbers behind it. Levels are mood points (1-10)."""

    trajectory: Trajectory
    missing: Missing
    baseline: float | None  # mean mood in the week before the first infusion
    baseline_days: int  # days with a check-in in that week
    first_infusion: date | None
    episode: Episode | None
    peak: float | None  # highest 7-day mean mood in the episode
    peak_on: date | None
    recent: float | None  # mean mood over the episode's last 7 days
    slope: float | None  # trend since the peak, points per day
    slope_se: float | None
    trend_start: float | None  # the trend line's level on the peak day
    trough: float | None  # lowest 7-day mean after the peak
    rebound: float | None  # largest climb back after a dip, points
    post_days: int  # days with a check-in in the episode
    last_check_in: date | None
    today: date

    def _gain(self, level: float | None) -> float | None:
        return None if level is None or self.baseline is None else level - self.baseline

    @property
    def peak_gain(self) -> float | None:
        return self._gain(self.peak)

    @property
    def recent_gain(self) -> float | None:
        return self._gain(self.recent)

    @property
    def retained(self) -> float | None:
        """Share of the peak gain still present (recent gain / peak gain), when the peak > 0."""
        peak, recent = self.peak_gain, self.recent_gain
        if peak is None or recent is None or peak <= 0:
            return None
        return recent / peak

    @property
    def follow_up_days(self) -> int | None:
        return None if self.first_infusion is None else (self.today - self.first_infusion).days


def _opt(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def trajectories(
    patients: Sequence[PatientData], settings: TrajectorySettings = DEFAULT_TRAJECTORY
) -> list[TrajectoryResult]:
    """Trajectory of each patient, classified together in one matrix (rows right-aligned)."""
    episodes = [episode_for(p, settings) for p in patients]
    baselines = [mood_baseline(p, settings) for p in patients]
    spans = [min((ep.end - ep.block.start).days, MAX_EPISODE_DAYS) if ep else 1 for ep in episodes]
    width = max(spans, default=1)
    n = len(patients)
    matrix = np.full((n, width), np.nan)
    start = np.full(n, -1, np.int64)
    peak_from = np.full(n, -1, np.int64)
    first = np.full(n, -1, np.int64)
    end = np.full(n, width, np.int64)
    base = np.full(n, np.nan)
    for r, (p, ep, (b, _)) in enumerate(zip(patients, episodes, baselines, strict=True)):
        if ep is None:
            continue
        day0 = ep.end - timedelta(days=width)
        matrix[r] = p.mood.window(day0, ep.end)
        start[r] = (ep.block.start - day0).days
        peak_from[r] = (ep.block.end - day0).days
        first[r] = (p.infusions[0].day - day0).days
        base[r] = np.nan if b is None else b
    batch = classify(matrix, base, start, end, first, settings, peak_from)
    out = []
    for r, (p, ep, (b, seen)) in enumerate(zip(patients, episodes, baselines, strict=True)):
        if ep is None:
            out.append(_no_infusion(p, b, seen))
            continue
        day0 = ep.end - timedelta(days=width)

        def level(gain: float, b: float | None = b) -> float | None:
            return None if b is None or math.isnan(gain) else b + float(gain)

        peak_day = int(batch.peak_day[r])
        last = int(batch.last_day[r])
        trajectory, missing = CLASSES[int(batch.code[r])], Missing(int(batch.missing[r]))
        if missing == Missing.NONE and _series_in_progress(p, ep, settings):
            trajectory, missing = Trajectory.NOT_ENOUGH_DATA, Missing.SERIES_IN_PROGRESS
        elif missing == Missing.NONE and _soon_after_last_infusion(p, ep, settings):
            trajectory, missing = Trajectory.NOT_ENOUGH_DATA, Missing.SOON_AFTER_LAST_INFUSION
        out.append(
            TrajectoryResult(
                trajectory=trajectory,
                missing=missing,
                baseline=b,
                baseline_days=seen,
                first_infusion=p.infusions[0].day,
                episode=ep,
                peak=level(batch.peak[r]),
                peak_on=day0 + timedelta(days=peak_day) if peak_day >= 0 else None,
                recent=level(batch.recent[r]),
                slope=_opt(batch.slope[r]),
                slope_se=_opt(batch.slope_se[r]),
                trend_start=level(batch.intercept[r]),
                trough=level(batch.trough[r]),
                rebound=_opt(batch.rebound[r]),
                post_days=int(batch.post_days[r]),
                last_check_in=day0 + timedelta(days=last) if last >= 0 else None,
                today=p.today,
            )
        )
    return out


def _series_in_progress(p: PatientData, ep: Episode, settings: TrajectorySettings) -> bool:
    """The judged block is the first one and the induction course is still under way: the
    series' response builds over its infusions (CLINICAL.md §3), so it is not judged yet."""
    if ep.block.first != 0 or ep.newer_block_days is not None:
        return False
    induction = next((c for c in course_results(p, settings) if c.course.kind == "induction"), None)
    return induction is not None and induction.status == "in_progress"


def _soon_after_last_infusion(p: PatientData, ep: Episode, settings: TrajectorySettings) -> bool:
    """The judged block is the current one and its last infusion was fewer than
    ``min_episode_days`` ago: the effect of that infusion is not known yet (peak ~24-72 h,
    CLINICAL.md §3), and the lasting level is looked for only after it."""
    return ep.newer_block_days is None and (p.today - ep.block.end).days < settings.min_episode_days


def _no_infusion(p: PatientData, baseline: float | None, seen: int) -> TrajectoryResult:
    return TrajectoryResult(
        Trajectory.NOT_ENOUGH_DATA, Missing.NO_INFUSION, baseline, seen, None, None, None, None,
        None, None, None, None, None, None, 0, None, p.today,
    )  # fmt: skip


@dataclass(frozen=True)
class CourseResult:
    """One course: infusions done of those planned, and its status.

    ``status``: "completed" (planned number done), "dropped_out" (started, unfinished, nothing
    planned and no infusion for ``DROPOUT_AFTER_DAYS``), "in_progress" or "not_started".
    """

    course: CourseInfo
    done: int
    status: str
    first_day: date | None
    last_day: date | None  # of the last completed infusion


def course_results(
    data: PatientData, settings: TrajectorySettings = DEFAULT_TRAJECTORY
) -> list[CourseResult]:
    """Per course (oldest first). Without course records the first block is taken as an
    induction series of ``DEFAULT_SERIES`` infusions and later blocks as maintenance."""
    courses = list(data.courses)
    by_course: dict[int, list[date]] = {}
    if courses:
        for inf in data.infusions:
            if inf.course_id is not None:
                by_course.setdefault(inf.course_id, []).append(inf.day)
    else:
        bl = blocks(data.infusions, settings.series_gap_days)
        if bl:
            courses.append(CourseInfo(-1, "induction", DEFAULT_SERIES, bl[0].start))
            by_course[-1] = [i.day for i in data.infusions[bl[0].first : bl[0].last + 1]]
            if len(bl) > 1:
                courses.append(CourseInfo(-2, "maintenance", len(bl) - 1, bl[1].start))
                by_course[-2] = [i.day for i in data.infusions[bl[1].first :]]
    out = []
    for course in sorted(courses, key=lambda c: (c.started_on, c.id)):
        days = sorted(by_course.get(course.id, []))
        done = len(days)
        planned_ahead = any(d >= data.today for d in data.scheduled)
        if done == 0:
            status = "not_started"
        elif done >= course.planned:
            status = "completed"
        elif (
            course.kind == "induction"
            and not planned_ahead
            and (data.today - days[-1]).days > DROPOUT_AFTER_DAYS
        ):
            status = "dropped_out"
        else:
            status = "in_progress"
        out.append(
            CourseResult(
                course, done, status, days[0] if days else None, days[-1] if days else None
            )
        )
    return out


@dataclass(frozen=True)
class NonResponseFlag:
    """Non-response after a completed induction series, for review (PRODUCT.md §5).

    Scores are questionnaire totals; ``reduction`` a fraction (negative = higher than baseline);
    mood levels in points.
    """

    series_end: date
    infusions: int
    baseline_score: int | None
    score: int | None
    score_day: date | None
    reduction: float | None
    partial: bool
    worsened: bool
    baseline_mood: float | None
    peak_mood: float | None


@dataclass(frozen=True)
class SuicidalThoughts:
    """Suicidal thoughts before treatment and at the post-induction assessment.

    At baseline: PHQ-9 item 9 >= 1 on the baseline questionnaire, or a "yes" check-in in the week
    before the first infusion. Resolved: item 9 = 0 on the post-induction PHQ-9 and no "yes"
    check-in in the 7 days up to it (McInnes 2022 and Oliver 2022 report SI reduction/freedom
    after induction; CLINICAL.md §3). ``resolved`` is None until that assessment exists.
    """

    at_baseline: bool
    baseline_item9: int | None
    item9: int | None
    resolved: bool | None
    reduced: bool | None


@dataclass(frozen=True)
class PatientInsights:
    patient_id: str
    today: date
    baseline_score: ScaleScore | None
    infusions: tuple[InfusionResponse, ...]
    trajectory: TrajectoryResult
    courses: tuple[CourseResult, ...]
    induction: CourseResult | None
    induction_outcome: ScaleOutcome | None
    durability: tuple[Durability, ...]  # per block, oldest first (the latest may be ongoing)
    booster: BoosterForecast | None
    booster_proposed: bool  # a fade is under way (or half the gain is lost): window shown
    booster_review_pending: bool  # proposed, and nothing is scheduled before the window ends
    non_response: NonResponseFlag | None
    booster_intervals: tuple[int, ...]  # days between the starts of consecutive blocks after
    # the induction series (the first from the series' last infusion)
    suicidal: SuicidalThoughts | None
    series_end: date | None  # last infusion of a completed induction series


def analyse_patient(
    data: PatientData,
    *,
    definitions: OutcomeDefinitions = DEFAULT_DEFINITIONS,
    settings: TrajectorySettings = DEFAULT_TRAJECTORY,
    priors: BoosterPriors = DEFAULT_PRIORS,
    trajectory: TrajectoryResult | None = None,
    detail: bool = True,
    minimal: bool = False,
) -> PatientInsights:
    """All insights for one patient. Pass ``trajectory`` when already computed in a batch.

    ``detail=False`` leaves out the per-infusion rows (``infusions`` is then empty).
    ``minimal=True`` computes only what the clinic dashboard counts: the booster forecast (and
    the durability of earlier blocks it rests on) only for fading patients.
    """
    traj = trajectory or trajectories([data], settings)[0]
    infusions = data.infusions
    baseline = traj.baseline
    responses = tuple(infusion_responses(data.mood, infusions, baseline)) if detail else ()
    courses = tuple(course_results(data, settings))
    induction = next((c for c in courses if c.course.kind == "induction"), None)
    bl = blocks(infusions, settings.series_gap_days)

    series_end = None
    outcome = None
    base_score = (
        baseline_score(data.scores, infusions[0].started_at, definitions) if infusions else None
    )
    if induction is not None and induction.status == "completed" and induction.last_day:
        series_end = _nth_day(data, induction)
        later = [b for b in bl if b.start > series_end]
        outcome = scale_outcome(
            data.scores,
            first_infusion_at=infusions[0].started_at,
            series_end=series_end,
            censor_on=later[0].start if later else None,
            definitions=definitions,
        )

    durations = []
    judged_now = traj.episode is not None and traj.episode.newer_block_days is None
    fading = traj.trajectory == Trajectory.FADE and judged_now
    if baseline is not None and (not minimal or fading):
        for i, block in enumerate(bl):
            latest = i + 1 == len(bl)
            until = data.today + timedelta(days=1) if latest else bl[i + 1].start
            durations.append(
                durability(
                    data.mood,
                    block,
                    until=until,
                    baseline=baseline,
                    ongoing=latest,
                    settings=settings,
                )
            )

    booster, proposed = _booster(data, traj, bl, durations, induction, settings, priors)
    pending = False
    if booster is not None and proposed:
        pending = not any(data.today <= d <= booster.window_end for d in data.scheduled)

    intervals: list[int] = []
    if series_end is not None:
        prev = series_end
        for block in bl:
            if block.start > series_end:
                intervals.append((block.start - prev).days)
                prev = block.start
    return PatientInsights(
        patient_id=data.patient_id,
        today=data.today,
        baseline_score=base_score,
        infusions=responses,
        trajectory=traj,
        courses=courses,
        induction=induction,
        induction_outcome=outcome,
        durability=tuple(durations),
        booster=booster,
        booster_proposed=proposed,
        booster_review_pending=pending,
        non_response=_non_response(
            data, traj, induction, series_end, outcome, base_score, definitions, settings
        ),
        booster_intervals=tuple(intervals),
        suicidal=_suicidal(data, series_end, definitions, settings),
        series_end=series_end,
    )


def _nth_day(data: PatientData, induction: CourseResult) -> date:
    """Day of the series' planned-th infusion (its last one)."""
    days = sorted(
        i.day
        for i in data.infusions
        if i.course_id == induction.course.id or induction.course.id < 0
    )
    return days[min(induction.course.planned, len(days)) - 1]


def _booster(
    data: PatientData,
    traj: TrajectoryResult,
    bl: list[Block],
    durations: list[Durability],
    induction: CourseResult | None,
    settings: TrajectorySettings,
    priors: BoosterPriors,
) -> tuple[BoosterForecast | None, bool]:
    """Forecast for the latest block once the induction series is over and it worked."""
    ep = traj.episode
    if ep is None or not durations or (induction is not None and induction.status == "in_progress"):
        return None, False
    judged = bl.index(ep.block)
    responded = traj.trajectory in (Trajectory.SUSTAINED, Trajectory.FADE, Trajectory.VARIABLE)
    if ep.newer_block_days is not None:
        # A booster was just given: forecast its block from the history, judged one included.
        if not durations[judged].responded:
            return None, False
        history = [
            Observation(d.days, d.event)
            for d in durations[: judged + 1]
            if d.responded and d.days is not None
        ]
        fc = forecast(last_infusion=bl[-1].end, today=data.today, history=history, priors=priors)
        return fc, False
    if not responded:
        return None, False
    history = [
        Observation(d.days, d.event)
        for d in durations[:judged]
        if d.responded and d.days is not None
    ]
    trend = None
    assert traj.peak_on is not None
    assert traj.peak_gain is not None
    if traj.slope is not None and traj.slope_se is not None and traj.trend_start is not None:
        assert traj.baseline is not None
        trend = Trend(
            peak_day=float((traj.peak_on - ep.block.end).days),
            peak_gain=traj.peak_gain,
            intercept=traj.trend_start - traj.baseline,
            slope=traj.slope,
            slope_se=traj.slope_se,
        )
    retained = traj.retained
    half_lost = retained is not None and retained <= 0.5
    fading = traj.trajectory == Trajectory.FADE
    fc = forecast(
        last_infusion=ep.block.end,
        today=data.today,
        history=history,
        trend=trend if fading else None,
        half_lost=half_lost and fading,
        priors=priors,
    )
    return fc, fading


def _non_response(
    data: PatientData,
    traj: TrajectoryResult,
    induction: CourseResult | None,
    series_end: date | None,
    outcome: ScaleOutcome | None,
    base: ScaleScore | None,
    definitions: OutcomeDefinitions,
    settings: TrajectorySettings,
) -> NonResponseFlag | None:
    """Flag when the completed series brought no response by questionnaire, or - without a
    post-induction questionnaire yet - no clear rise in mood and no response on the latest one."""
    if induction is None or series_end is None or outcome is None:
        return None
    if (data.today - series_end).days < settings.min_episode_days:
        return None
    change = outcome.change if outcome.assessed else outcome.latest
    if outcome.assessed:
        assert outcome.change is not None
        if outcome.responded:
            return None
    elif traj.trajectory != Trajectory.NO_RESPONSE or (change is not None and change.response):
        return None
    score_day = None
    if change is not None:
        later = [s for s in data.scores if base is None or s.taken_at > base.taken_at]
        score_day = (outcome.assessment or later[-1]).day if (outcome.assessment or later) else None
    return NonResponseFlag(
        series_end=series_end,
        infusions=induction.done,
        baseline_score=None if base is None else base.total,
        score=None if change is None else change.score,
        score_day=score_day,
        reduction=None if change is None else change.reduction,
        partial=bool(change and change.partial),
        worsened=bool(change and change.worsened),
        baseline_mood=traj.baseline,
        peak_mood=traj.peak,
    )


def _suicidal(
    data: PatientData,
    series_end: date | None,
    definitions: OutcomeDefinitions,
    settings: TrajectorySettings,
) -> SuicidalThoughts | None:
    if not data.infusions:
        return None
    first = data.infusions[0]
    phq9 = data.phq9_scores
    base = baseline_score(phq9, first.started_at, definitions)
    week = data.suicidal.window(first.day - timedelta(days=settings.baseline_days), first.day)
    base_item9 = None if base is None else base.item9
    at_baseline = any(v > 0 for v in week.tolist()) or bool(base_item9)
    if not at_baseline:
        return SuicidalThoughts(False, base_item9, None, None, None)
    assessment = None
    if series_end is not None:
        lo, hi = definitions.post_induction_days
        assessment = next(
            (s for s in phq9 if lo <= (s.day - series_end).days <= hi and s.item9 is not None),
            None,
        )
    if assessment is None:
        return SuicidalThoughts(True, base_item9, None, None, None)
    recent = data.suicidal.window(
        assessment.day - timedelta(days=SI_WINDOW_DAYS - 1), assessment.day + timedelta(days=1)
    )
    yes_lately = any(v > 0 for v in recent.tolist())  # NaN > 0 is False
    item9 = assessment.item9
    resolved = item9 == 0 and not yes_lately
    reduced = None if not base_item9 or item9 is None else item9 < base_item9
    return SuicidalThoughts(True, base_item9, item9, resolved, reduced)
