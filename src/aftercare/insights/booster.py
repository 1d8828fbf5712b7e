"""A proposed booster window: when will half of the current gain be lost?

The quantity forecast is D, the days from the current block's last infusion until its smoothed
mood gain has fallen to half its peak (``episodes.durability``). The article advises not to wait
until the benefit is gone before the next treatment; half the gain lost is the point we aim
*before*: the proposed window is the central half of the forecast distribution of D.

Model (log scale, days): ln D ~ Normal(mu_p, within_log_sd²) for the patient's blocks, with the
patient's own mu_p ~ Normal(ln median_days, log_sd²) a priori (published priors,
``BoosterPriors``; CLINICAL.md §3). Earlier blocks of this patient update mu_p: fully observed
durations directly, censored ones ("still not half lost after c days") through the expected
log-duration beyond c (an EM step, iterated). When the current block already shows a falling
trend, the straight line through it gives a second estimate, combined by precision. The result
is conditioned on D exceeding the days already elapsed while the gain is still above half.
With no earlier blocks and no trend, the forecast is the published prior alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from scipy.special import ndtr, ndtri

from aftercare.insights.definitions import DEFAULT_PRIORS, BoosterPriors

EM_ITERATIONS = 25
DUE_NOW_WINDOW_DAYS = 7  # when half the gain is already lost: propose the coming week
MAX_DAYS = 365  # forecasts are capped at a year after the last infusion


class Basis(StrEnum):
    PRIORS = "priors"  # published figures only
    HISTORY = "history"  # the patient's earlier blocks (and the priors)
    TREND = "trend"  # the current block's falling trend (and the priors)
    HISTORY_AND_TREND = "history_and_trend"


@dataclass(frozen=True)
class Observation:
    """One earlier block: ``days`` until half the gain was lost (``event``) or seen not to be."""

    days: float
    event: bool


@dataclass(frozen=True)
class Trend:
    """The current block's straight-line fade: gain (points) = intercept + slope × (day - peak).

    ``peak_day`` and the projection are in days after the block's last infusion;
    ``slope`` and ``slope_se`` in points per day; ``peak_gain`` in points.
    """

    peak_day: float
    peak_gain: float
    intercept: float
    slope: float
    slope_se: float


@dataclass(frozen=True)
class BoosterForecast:
    """Dates are local days. ``median``: most likely day half the gain is lost; ``window``:
    proposed booster window (central half of the forecast); ``range``: 80 % range.
    ``due_now``: half the gain is already lost. ``events``/``censored``: earlier blocks used."""

    last_infusion: date
    median: date
    window_start: date
    window_end: date
    range_start: date
    range_end: date
    due_now: bool
    basis: Basis
    events: int
    censored: int
    median_days: float  # days after the last infusion
    trend_days: float | None  # the current trend's own projection, days after the last infusion


def _pdf(z: float) -> float:
    """Standard normal density."""
    return math.exp(-z * z / 2) / math.sqrt(2 * math.pi)


def _posterior(observations: Sequence[Observation], priors: BoosterPriors) -> tuple[float, float]:
    """Mean and SD of mu_p given the observations (log days)."""
    mu0, s0, sw = math.log(priors.median_days), priors.log_sd, priors.within_log_sd
    logs = [(math.log(max(o.days, 0.5)), o.event) for o in observations]
    mu, var = mu0, s0**2
    for _ in range(EM_ITERATIONS if any(not e for _, e in logs) else 1):
        filled = []
        sd = math.sqrt(var + sw**2)
        for value, event in logs:
            if event:
                filled.append(value)
            else:  # expected log-duration given it exceeds the censoring time
                a = (value - mu) / sd
                tail = max(float(ndtr(-a)), 1e-12)
                filled.append(mu + sd * _pdf(a) / tail)
        precision = 1 / s0**2 + len(filled) / sw**2
        new_mu = (mu0 / s0**2 + sum(filled) / sw**2) / precision
        var = 1 / precision
        if abs(new_mu - mu) < 1e-6:
            mu = new_mu
            break
        mu = new_mu
    return mu, math.sqrt(var)


def _truncated_quantile(mu: float, sd: float, floor: float, q: float) -> float:
    """Quantile ``q`` of Normal(mu, sd) conditioned on exceeding ``floor`` (all in log days)."""
    lo = float(ndtr((floor - mu) / sd))
    p = lo + q * (1 - lo)
    return mu + sd * float(ndtri(min(p, 1 - 1e-12)))


def forecast(
    *,
    last_infusion: date,
    today: date,
    history: Sequence[Observation] = (),
    trend: Trend | None = None,
    half_lost: bool = False,
    priors: BoosterPriors = DEFAULT_PRIORS,
) -> BoosterForecast:
    """Forecast for the block whose last infusion was on ``last_infusion``.

    ``history``: earlier blocks of this patient. ``trend``: the current fade, if any (its
    ``slope`` must be negative to project). ``half_lost``: the current gain is already at or
    below half its peak.
    """
    if today < last_infusion:
        raise ValueError("today is before the last infusion")
    elapsed = (today - last_infusion).days
    mu, sd_mu = _posterior(history, priors)
    sd = math.sqrt(sd_mu**2 + priors.within_log_sd**2)
    events = sum(1 for o in history if o.event)
    basis = Basis.HISTORY if history else Basis.PRIORS

    trend_days = None
    if trend is not None and trend.slope < 0 and trend.peak_gain > 0:
        to_half = (trend.peak_gain / 2 - trend.intercept) / trend.slope
        trend_days = trend.peak_day + max(to_half, 0.0)
        if 0 < trend_days <= MAX_DAYS:
            rel_se = abs(to_half / trend.slope) * trend.slope_se / max(trend_days, 1.0)
            t_sd = max(rel_se, 0.1)
            precision = 1 / sd**2 + 1 / t_sd**2
            mu = (mu / sd**2 + math.log(trend_days) / t_sd**2) / precision
            sd = math.sqrt(1 / precision)
            basis = Basis.HISTORY_AND_TREND if history else Basis.TREND
        else:
            trend_days = None

    if half_lost:
        start = today
        return BoosterForecast(
            last_infusion=last_infusion,
            median=today,
            window_start=start,
            window_end=start + timedelta(days=DUE_NOW_WINDOW_DAYS),
            range_start=start,
            range_end=start + timedelta(days=DUE_NOW_WINDOW_DAYS),
            due_now=True,
            basis=basis,
            events=events,
            censored=len(history) - events,
            median_days=float(elapsed),
            trend_days=trend_days,
        )

    floor = math.log(max(elapsed, 0.5))

    def day(q: float) -> date:
        days = min(math.exp(_truncated_quantile(mu, sd, floor, q)), MAX_DAYS)
        return last_infusion + timedelta(days=max(round(days), elapsed))

    return BoosterForecast(
        last_infusion=last_infusion,
        median=day(0.5),
        window_start=day(priors.window_quantiles[0]),
        window_end=day(priors.window_quantiles[1]),
        range_start=day(priors.range_quantiles[0]),
        range_end=day(priors.range_quantiles[1]),
        due_now=False,
        basis=basis,
        events=events,
        censored=len(history) - events,
        median_days=min(math.exp(_truncated_quantile(mu, sd, floor, 0.5)), MAX_DAYS),
        trend_days=trend_days,
    )
