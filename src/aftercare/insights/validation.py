"""Validation on simulated cohorts with known ground truth (``aftercare insights validate``).

Three checks, each on cohorts shaped after CLINICAL.md §3 ("Simulation priors implied"):

1. Trajectory classes. Daily mood (1-10) for 90 days: a baseline of 7-21 days, a 6-infusion
   series over 11-18 days (thrice or twice weekly), each infusion giving an acute lift that
   peaks within a day and is gone over ~5-8 days (Murrough 2013, Shiroma 2020), and a lasting
   gain that builds over the series (Phillips 2019: median 3 infusions to response), holds 4-10
   days and then, per class: holds (sustained, some with boosters every 3-5 weeks), decays to
   10-60 % of its size by today (gradual fade; post-series relapse median ~16-18 days in trials,
   slower in real-world clinics), switches between good stretches and dips of 5-12 days
   (variable), or never rises more than 0.8 points (no clear response). Not-enough-data cases:
   follow-up under 14 days, no baseline week, or no check-ins for 15-30 days. Noise: AR(1)
   day-to-day (lag-1 0.7, SD 0.45) plus 0.7 SD per check-in, rounded to whole scores; check-ins
   missing completely at random at the given rate (30 % by default).
2. Booster window. Patients with 0-3 earlier blocks whose half-loss times vary around a personal
   typical value drawn from the published prior (``BoosterPriors``); the error of the forecast
   median against the true half-loss time of the current block, in days.
3. Clinic figures. PHQ-9 before and 14-20 days after the series and then weekly (85 %
   completed); post-induction classes drawn with McInnes 2022's real-world rates (response
   53.6 %, remission 28.9 %, worsened 8.4 %), and among responders time until loss of response
   from a Weibull with ~80 %/60 % still responding at 4/8 weeks (McInnes 2022 KM). The same
   functions as the dashboard (``scales``, ``cohort``, ``survival``) must recover them.

Everything is seeded and deterministic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from aftercare.insights.booster import Observation, forecast
from aftercare.insights.cohort import clinic_outcomes
from aftercare.insights.data import CourseInfo, DailySeries, InfusionEvent, PatientData, ScaleScore
from aftercare.insights.definitions import (
    DEFAULT_PRIORS,
    DEFAULT_TRAJECTORY,
    TrajectorySettings,
)
from aftercare.insights.patient import analyse_patient, trajectories
from aftercare.insights.trajectory import CLASSES, Trajectory, baseline_mood, classify

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

TARGET_MACRO_F1 = 0.85
DAYS = 90
# Ground-truth class shares in the simulated cohort.
SHARES = {
    Trajectory.NOT_ENOUGH_DATA: 0.12,
    Trajectory.NO_RESPONSE: 0.20,
    Trajectory.SUSTAINED: 0.26,
    Trajectory.FADE: 0.26,
    Trajectory.VARIABLE: 0.16,
}
ACUTE_DECAY_DAYS = 2.0  # acute lift's time constant: mostly gone by day 5-8 (Shiroma 2020)
RESPONSE_RATE, REMISSION_RATE, WORSENED_RATE = 0.536, 0.289, 0.084  # McInnes 2022
STILL_RESPONDING = ((28, 0.80), (56, 0.60))  # McInnes 2022 KM, days: share still responding


@dataclass(frozen=True, eq=False)
class SeriesCohort:
    """Simulated daily moods (N × DAYS, NaN = missing) with their ground truth.

    ``start``/``end``/``first``: columns as ``trajectory.classify`` takes them.
    ``truth``: index into ``trajectory.CLASSES``.
    """

    mood: Floats
    start: Ints
    end: Ints
    first: Ints
    peak_from: Ints
    truth: npt.NDArray[np.int8]


def simulate_series(n: int, *, seed: int, missing: float = 0.3, days: int = DAYS) -> SeriesCohort:
    """``n`` simulated patients (see the module docstring), vectorised over patients."""
    if n < 1 or not 0 <= missing < 1 or days < 60:
        raise ValueError("need n >= 1, 0 <= missing < 1 and days >= 60")
    rng = np.random.default_rng(seed)
    kinds = list(SHARES)
    truth_kind = rng.choice(len(kinds), size=n, p=list(SHARES.values()))
    truth = np.array([CLASSES.index(kinds[k]) for k in truth_kind], np.int8)
    cls = np.array([kinds[k] for k in truth_kind])
    t = np.arange(days)[None, :].astype(np.float64)

    first = rng.integers(8, 31, n)
    ned_kind = rng.integers(0, 3, n)  # 0 short follow-up, 1 no baseline, 2 stale
    short = (cls == Trajectory.NOT_ENOUGH_DATA) & (ned_kind == 0)
    first = np.where(short, days - rng.integers(3, 14, n), first)
    thrice = rng.random(n) < 0.65
    gaps = np.where(thrice[:, None], rng.choice([2, 2, 3], (n, 5)), rng.choice([3, 4], (n, 5)))
    gaps += rng.random((n, 5)) < 0.1
    inf_days = np.concatenate([first[:, None], first[:, None] + np.cumsum(gaps, axis=1)], axis=1)
    last = inf_days[:, -1]

    base = np.clip(rng.normal(3.6, 0.9, n), 1.5, 6.0)
    responder = np.isin(cls, [Trajectory.SUSTAINED, Trajectory.FADE, Trajectory.VARIABLE])
    gain = np.where(responder, rng.uniform(2.6, 5.5, n), rng.uniform(-1.2, 0.8, n))
    gain = np.minimum(gain, 9.3 - base)
    acute_amp = np.where(responder, rng.uniform(0.3, 1.5, n), rng.uniform(0.0, 0.6, n))
    hold = rng.uniform(4, 10, n)

    # Lasting gain: builds over the series, holds, then decays with time constant tau.
    build = np.clip((t - first[:, None]) / np.maximum(last - first, 1)[:, None], 0, 1) ** 0.7
    after = np.maximum(t - last[:, None] - hold[:, None], 0)
    fade = cls == Trajectory.FADE
    left = rng.uniform(0.1, 0.6, n)
    tau = np.where(
        fade,
        np.maximum(days - 1 - last - hold, 5) / -np.log(left),
        rng.uniform(300, 1500, n),
    )
    lasting = gain[:, None] * build * np.exp(-after / tau[:, None])

    # Boosters for some sustained patients: the lasting gain is kept, each adds an acute lift.
    boosted = (cls == Trajectory.SUSTAINED) & (rng.random(n) < 0.4)
    booster_days = np.full((n, 3), -1, np.int64)
    for i in np.nonzero(boosted)[0]:
        d, k = int(last[i]), 0
        while k < 3 and (d := d + int(rng.integers(21, 36))) < days:
            booster_days[i, k] = d
            k += 1

    # Variable: the lasting gain switches between good stretches and dips without infusions.
    regime = np.ones((n, days))
    for i in np.nonzero(cls == Trajectory.VARIABLE)[0]:
        d, high = int(last[i]) + int(rng.integers(2, 6)), True
        while d < days:
            span = int(rng.integers(6, 15)) if high else int(rng.integers(5, 13))
            if not high:
                regime[i, d : d + span] = rng.uniform(0.0, 0.25)
            d, high = d + span, not high
    lasting *= regime

    acute = np.zeros((n, days))
    all_days = np.concatenate([inf_days, booster_days], axis=1)
    for k in range(all_days.shape[1]):
        dt = t - all_days[:, k : k + 1]
        on = (all_days[:, k : k + 1] >= 0) & (dt >= 0)
        acute += np.where(
            on, acute_amp[:, None] * np.exp(-np.maximum(dt - 1, 0) / ACUTE_DECAY_DAYS), 0
        )

    noise = np.empty((n, days))
    noise[:, 0] = rng.normal(0, 0.45, n)
    shocks = rng.normal(0, 0.45 * math.sqrt(1 - 0.7**2), (n, days))
    for d in range(1, days):
        noise[:, d] = 0.7 * noise[:, d - 1] + shocks[:, d]
    mood = base[:, None] + lasting + acute + noise + rng.normal(0, 0.7, (n, days))
    mood = np.clip(np.rint(mood), 1, 10)

    lost = rng.random((n, days)) < missing
    start_day = first - rng.integers(7, 22, n)
    lost |= t < start_day[:, None]
    no_base = (cls == Trajectory.NOT_ENOUGH_DATA) & (ned_kind == 1)
    lost |= no_base[:, None] & (t < first[:, None])
    stale = (cls == Trajectory.NOT_ENOUGH_DATA) & (ned_kind == 2)
    lost |= stale[:, None] & (t >= days - rng.integers(15, 31, n)[:, None])
    mood[lost] = np.nan

    # The judged block, as patient.episode_for picks it.
    start = first.copy()
    peak_from = last.copy()
    end = np.full(n, days, np.int64)
    for i in np.nonzero(boosted)[0]:
        starts = [int(d) for d in booster_days[i] if d >= 0]
        if starts:
            latest = starts[-1]
            if days - 1 - latest < DEFAULT_TRAJECTORY.min_episode_days:
                start[i] = starts[-2] if len(starts) > 1 else first[i]
                peak_from[i] = starts[-2] if len(starts) > 1 else last[i]
                end[i] = latest
            else:
                start[i] = peak_from[i] = latest
    return SeriesCohort(mood, start, end, first, peak_from, truth)


@dataclass(frozen=True, eq=False)
class ClassReport:
    """Confusion matrix (rows = truth, columns = predicted, in ``CLASSES`` order) and scores."""

    confusion: Ints
    precision: Floats
    recall: Floats
    f1: Floats
    macro_f1: float
    missing: float
    n: int


def score_classes(truth: npt.ArrayLike, predicted: npt.ArrayLike, missing: float) -> ClassReport:
    """Precision, recall, F1 per class and their unweighted mean (macro-F1)."""
    k = len(CLASSES)
    tr, pr = np.asarray(truth, np.int64), np.asarray(predicted, np.int64)
    confusion = np.bincount(tr * k + pr, minlength=k * k).reshape(k, k)
    tp = np.diag(confusion).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.nan_to_num(tp / confusion.sum(axis=0))
        recall = np.nan_to_num(tp / confusion.sum(axis=1))
        f1 = np.nan_to_num(2 * precision * recall / (precision + recall))
    return ClassReport(confusion, precision, recall, f1, float(f1.mean()), missing, int(tr.size))


def validate_classes(
    n: int = 4000,
    *,
    seed: int = 7,
    missing: float = 0.3,
    settings: TrajectorySettings = DEFAULT_TRAJECTORY,
) -> ClassReport:
    cohort = simulate_series(n, seed=seed, missing=missing)
    base = baseline_mood(cohort.mood, cohort.first, settings)
    batch = classify(
        cohort.mood, base, cohort.start, cohort.end, cohort.first, settings, cohort.peak_from
    )
    return score_classes(cohort.truth, batch.code, missing)


@dataclass(frozen=True)
class BoosterReport:
    """Absolute error (days) of the forecast median vs. the true half-loss time, and how often
    the truth fell in the proposed window (central half) and the 80 % range."""

    n: int
    mae_priors: float  # forecast from the published priors only
    mae_history: float  # forecast from the patient's own earlier blocks (and the priors)
    mae_with_trend: float  # ... plus the current block's falling trend
    in_window: float
    in_range: float


def _booster_patient(rng: np.random.Generator, today: date) -> tuple[PatientData, float]:
    """A responder with 0-3 earlier blocks; returns the data and the current block's true
    half-loss time in days after its last infusion."""
    priors = DEFAULT_PRIORS
    mu = rng.normal(math.log(priors.median_days), priors.log_sd)
    blocks_n = int(rng.integers(1, 5))
    durations = np.clip(np.exp(mu + rng.normal(0, priors.within_log_sd, blocks_n)), 6, 150)
    base, gain = float(rng.uniform(2.5, 4.5)), float(rng.uniform(3.0, 5.0))
    # Schedule: series of 6 over ~12 days, then a booster when ~60 % of the gain is lost.
    infusion_days: list[int] = [0, 2, 4, 7, 9, 11]
    ends = [11]
    for d in durations[:-1]:
        nxt = ends[-1] + int(d * 1.3) + int(rng.integers(1, 4))
        infusion_days.append(nxt)
        ends.append(nxt)
    current = durations[-1]
    today_off = ends[-1] + int(rng.uniform(0.45, 0.95) * current)
    hold = 3.0
    t = np.arange(-14, today_off + 1, dtype=np.float64)
    level = np.zeros_like(t)
    for k, end in enumerate(ends):
        nxt = ends[k + 1] if k + 1 < len(ends) else today_off + 1
        tau = max(durations[k] - hold, 1.0) / math.log(2)
        on = (t > (infusion_days[0] if k == 0 else end)) & (t < nxt)
        build = 1.0 if k else np.clip((t - 0) / 11, 0, 1)
        level = np.where(on, gain * build * np.exp(-np.maximum(t - end - hold, 0) / tau), level)
    mood = np.clip(np.rint(base + level + rng.normal(0, 0.7, t.size)), 1, 10)
    mood[rng.random(t.size) < 0.3] = np.nan
    day0 = today - timedelta(days=int(today_off + 14))
    days = [day0 + timedelta(days=i) for i in range(t.size)]
    keep = ~np.isnan(mood)
    series = DailySeries.from_days([d for d, k in zip(days, keep, strict=True) if k], mood[keep])
    start = datetime(2026, 1, 1, tzinfo=UTC)
    infusions = tuple(
        InfusionEvent(
            start + timedelta(days=d),
            day0 + timedelta(days=14 + d),
            1 if i < 6 else 2,
            "induction" if i < 6 else "maintenance",
        )
        for i, d in enumerate(infusion_days)
    )
    courses = (CourseInfo(1, "induction", 6, infusions[0].day),)
    data = PatientData("sim", today, mood=series, infusions=infusions, courses=courses)
    return data, float(current)


def validate_booster(n: int = 300, *, seed: int = 7) -> BoosterReport:
    rng = np.random.default_rng(seed)
    today = date(2026, 6, 15)
    err_p, err_h, err_t, in_w, in_r = [], [], [], [], []
    for _ in range(n):
        data, truth = _booster_patient(rng, today)
        result = analyse_patient(data)
        last = data.infusions[-1].day
        history = [
            Observation(d.days, d.event)
            for d in result.durability[:-1]
            if d.responded and d.days is not None
        ]
        prior = forecast(last_infusion=last, today=today, priors=DEFAULT_PRIORS)
        own = forecast(last_infusion=last, today=today, history=history)
        err_p.append(abs((prior.median - last).days - truth))
        err_h.append(abs((own.median - last).days - truth))
        full = result.booster or own
        err_t.append(abs((full.median - last).days - truth))
        true_day = last + timedelta(days=round(truth))
        in_w.append(full.window_start <= true_day <= full.window_end)
        in_r.append(full.range_start <= true_day <= full.range_end)
    return BoosterReport(
        n,
        float(np.mean(err_p)),
        float(np.mean(err_h)),
        float(np.mean(err_t)),
        float(np.mean(in_w)),
        float(np.mean(in_r)),
    )


@dataclass(frozen=True)
class FiguresReport:
    """Generated vs. recovered clinic figures (rates 0-1, days)."""

    n: int
    response: tuple[float, float]
    remission: tuple[float, float]
    worsened: tuple[float, float]
    still_responding_4wk: tuple[float, float]
    still_responding_8wk: tuple[float, float]
    median_days: tuple[float, float | None]


def _weibull() -> tuple[float, float]:
    """Shape and scale (days) of a Weibull through the two STILL_RESPONDING points."""
    (t1, s1), (t2, s2) = STILL_RESPONDING
    k = math.log(math.log(s2) / math.log(s1)) / math.log(t2 / t1)
    eta = t1 / (-math.log(s1)) ** (1 / k)
    return k, eta


def validate_figures(n: int = 2000, *, seed: int = 7) -> FiguresReport:
    rng = np.random.default_rng(seed)
    k, eta = _weibull()
    today = date(2026, 6, 15)
    t0 = datetime(2026, 1, 1, 9, tzinfo=UTC)
    patients = []
    for i in range(n):
        s0 = int(np.clip(round(rng.normal(19.5, 3.5)), 10, 27))
        u = rng.random()
        if u < REMISSION_RATE:
            post, kind = int(rng.integers(0, 5)), "remission"
        elif u < RESPONSE_RATE:
            post, kind = int(rng.integers(5, s0 // 2 + 1)), "response"
        elif u < 1 - WORSENED_RATE:
            post, kind = int(rng.integers(s0 // 2 + 1, s0 + 1)), "none"
        else:
            post, kind = min(s0 + int(rng.integers(1, 6)), 27), "worsened"
        series_end = 11
        assess = series_end + int(rng.integers(14, 21))
        loss_at = assess + eta * rng.weibull(k) if kind in ("remission", "response") else math.inf
        follow = assess + int(rng.uniform(30, 180))
        scores = [ScaleScore(t0 - timedelta(hours=1), date(2026, 1, 1), s0, 0)]
        scores.append(
            ScaleScore(
                t0 + timedelta(days=assess), date(2026, 1, 1) + timedelta(days=assess), post, 0
            )
        )
        day = assess + 7
        while day <= follow:
            if rng.random() < 0.85:
                lost = day >= loss_at
                value = (
                    int(rng.integers(s0 // 2 + 1, s0 + 1))
                    if lost
                    else int(rng.integers(0, s0 // 2 + 1))
                )
                scores.append(
                    ScaleScore(
                        t0 + timedelta(days=day), date(2026, 1, 1) + timedelta(days=day), value, 0
                    )
                )
            day += 7
        infusions = tuple(
            InfusionEvent(t0 + timedelta(days=d), date(2026, 1, 1) + timedelta(days=d), 1)
            for d in (0, 2, 4, 7, 9, series_end)
        )
        patients.append(
            PatientData(
                str(i),
                today,
                infusions=infusions,
                scores=tuple(scores),
                courses=(CourseInfo(1, "induction", 6, date(2026, 1, 1)),),
            )
        )
    trajs = trajectories(patients)
    insights = [analyse_patient(p, trajectory=tr) for p, tr in zip(patients, trajs, strict=True)]
    out = clinic_outcomes(insights)
    c = out.counts
    curve = out.survival.curve
    return FiguresReport(
        n=n,
        response=(RESPONSE_RATE, c["response"].rate or 0.0),
        remission=(REMISSION_RATE, c["remission"].rate or 0.0),
        worsened=(WORSENED_RATE, c["worsened"].rate or 0.0),
        still_responding_4wk=(STILL_RESPONDING[0][1], curve.survival_at(28)),
        still_responding_8wk=(STILL_RESPONDING[1][1], curve.survival_at(56)),
        median_days=(eta * math.log(2) ** (1 / k), curve.median),
    )


def report_lines(classes: ClassReport, booster: BoosterReport, figures: FiguresReport) -> list[str]:
    """The validation table as Markdown lines; the last line is the macro-F1."""
    names = [c.value for c in CLASSES]
    lines = [
        f"Trajectory classes: {classes.n} simulated patients, {classes.missing:.0%} of check-ins "
        "missing (rows = truth, columns = predicted)",
        "",
        "| truth \\ predicted | " + " | ".join(names) + " | recall |",
        "|---" * (len(names) + 2) + "|",
    ]
    for i, name in enumerate(names):
        row = " | ".join(str(v) for v in classes.confusion[i])
        lines.append(f"| {name} | {row} | {classes.recall[i]:.2f} |")
    lines.append("| precision | " + " | ".join(f"{p:.2f}" for p in classes.precision) + " | |")
    lines.append("| F1 | " + " | ".join(f"{f:.2f}" for f in classes.f1) + " | |")
    lines += [
        "",
        f"Booster window: {booster.n} simulated patients with 0-3 earlier blocks",
        "",
        "| forecast from | mean absolute error of the median (days) |",
        "|---|---|",
        f"| published priors only | {booster.mae_priors:.1f} |",
        f"| own history + priors | {booster.mae_history:.1f} |",
        f"| own history + current trend + priors | {booster.mae_with_trend:.1f} |",
        "",
        f"True half-loss day inside the proposed window: {booster.in_window:.0%}; "
        f"inside the 80 % range: {booster.in_range:.0%}",
        "",
        f"Clinic figures: {figures.n} simulated patients (generated → recovered by the dashboard)",
        "",
        "| figure | generated | recovered |",
        "|---|---|---|",
        f"| response rate | {figures.response[0]:.1%} | {figures.response[1]:.1%} |",
        f"| remission rate | {figures.remission[0]:.1%} | {figures.remission[1]:.1%} |",
        f"| worsened | {figures.worsened[0]:.1%} | {figures.worsened[1]:.1%} |",
        f"| still responding at 4 weeks (KM) | {figures.still_responding_4wk[0]:.0%} | "
        f"{figures.still_responding_4wk[1]:.0%} |",
        f"| still responding at 8 weeks (KM) | {figures.still_responding_8wk[0]:.0%} | "
        f"{figures.still_responding_8wk[1]:.0%} |",
        f"| KM median time until loss of response (days) | {figures.median_days[0]:.0f} | "
        + (f"{figures.median_days[1]:.0f}" if figures.median_days[1] is not None else "not reached")
        + " |",
        "",
        f"macro-F1 {classes.macro_f1:.3f} (target {TARGET_MACRO_F1})",
    ]
    return lines


def validate(seed: int = 7) -> tuple[list[str], bool]:
    """Run all three checks; returns the report lines and whether the target was met."""
    classes = validate_classes(seed=seed)
    lines = report_lines(classes, validate_booster(seed=seed), validate_figures(seed=seed))
    return lines, classes.macro_f1 >= TARGET_MACRO_F1
