"""Per infusion and per block: the early response, the peak, and how long the benefit lasted.

Mood is daily mean mood (1-10, higher is better); gains are mood minus the baseline mood, in
points. Day numbers count local days after the infusion's day (day 1 = the next day).
Sources: day 1-3 emergence window and peak by ~72 h (seed article; CLINICAL.md §3: peak ~24 h,
largest at day 2 in Diazgranados 2010); single-infusion fade over 5-8 days (Shiroma 2020).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import numpy as np

from aftercare.insights.data import Block, DailySeries, InfusionEvent
from aftercare.insights.definitions import DEFAULT_TRAJECTORY, TrajectorySettings

PEAK_SEARCH_DAYS = 14  # a single infusion's peak is looked for until the next one, at most 14 d
PRE_DAYS = 3  # the level before an infusion: mean of the 3 days before it
BLOCK_PEAK_DAYS = 14  # a block's peak is looked for in the 14 days after its last infusion


@dataclass(frozen=True)
class InfusionResponse:
    """Daily mood around one infusion. Levels are mood points 1-10; ``None`` = no check-in."""

    number: int  # 1-based over the patient's history
    day: date
    kind: str  # course kind: "induction" or "maintenance"
    pre: float | None  # mean mood on the 3 days before the infusion
    day1: float | None
    day2: float | None
    day3: float | None
    peak: float | None  # highest daily mood from day 1 until the next infusion (<= 14 days)
    peak_day: int | None  # day number of that peak (1-14)
    baseline: float | None  # the patient's baseline mood, for the gains below

    def gain(self, level: float | None) -> float | None:
        """``level`` minus the baseline, in points (None when either is missing)."""
        if level is None or self.baseline is None:
            return None
        return level - self.baseline

    @property
    def peak_gain(self) -> float | None:
        return self.gain(self.peak)


def infusion_responses(
    mood: DailySeries, infusions: Sequence[InfusionEvent], baseline: float | None
) -> list[InfusionResponse]:
    """Day 1/2/3 mood, pre-infusion level and peak for each infusion (oldest first)."""
    if not infusions:
        return []
    lo = infusions[0].day - timedelta(days=PRE_DAYS)
    values = mood.window(lo, infusions[-1].day + timedelta(days=PEAK_SEARCH_DAYS + 1)).tolist()

    def at(day: date, k: int) -> float | None:
        v = values[(day - lo).days + k]
        return None if v != v else v  # NaN check without numpy calls

    out = []
    for i, inf in enumerate(infusions):
        horizon = PEAK_SEARCH_DAYS
        if i + 1 < len(infusions):
            horizon = max(0, min(horizon, (infusions[i + 1].day - inf.day).days - 1))
        pre = [v for k in range(-PRE_DAYS, 0) if (v := at(inf.day, k)) is not None]
        peak = peak_day = None
        for k in range(1, horizon + 1):
            v = at(inf.day, k)
            if v is not None and (peak is None or v > peak):
                peak, peak_day = v, k
        out.append(
            InfusionResponse(
                number=i + 1,
                day=inf.day,
                kind=inf.kind,
                pre=sum(pre) / len(pre) if pre else None,
                day1=at(inf.day, 1),
                day2=at(inf.day, 2),
                day3=at(inf.day, 3),
                peak=peak,
                peak_day=peak_day,
                baseline=baseline,
            )
        )
    return out


class TooEarly(StrEnum):
    """Why a block's benefit cannot be told yet (``Durability.too_early``): not enough days
    have been observed after its last infusion, which is not the same as "no clear rise"."""

    # the block is the latest one and its last infusion was fewer than ``min_episode_days`` (7)
    # days ago, with no clear rise seen so far: its effect is not known yet (peak ~24-72 h,
    # fade over 5-8 days; CLINICAL.md §3), as the trajectory's "too recent to judge"
    RECENT = "recent"
    # the days observed after it hold too few check-ins for any 7-day mean (fewer than 3 in
    # every window), so there is no peak to judge
    FEW_CHECK_INS = "few_check_ins"


@dataclass(frozen=True)
class Durability:
    """How long one block's benefit lasted: days from its last infusion until the smoothed gain
    first fell to half its peak (``event``), or how long it was seen not to (censored).

    ``peak_gain`` in mood points (None without any 7-day mean); ``days`` >= 0; ``responded``:
    the peak reached ``clear_rise`` (only then is a duration meaningful). ``too_early``: set
    (with its reason) when the block cannot be judged yet, None when it was judged; a block
    with ``responded`` False and ``too_early`` None showed no clear rise.
    """

    block: Block
    peak_gain: float | None
    responded: bool
    days: int | None
    event: bool
    too_early: TooEarly | None = None

    @property
    def no_clear_rise(self) -> bool:
        """Judged, and the peak gain stayed below ``clear_rise``."""
        return not self.responded and self.too_early is None


def smoothed(values: np.ndarray, window: int = 7, min_obs: int = 3) -> np.ndarray:
    """Centred moving mean over ``window`` days, NaN where fewer than ``min_obs`` values."""
    h = window // 2
    ok = ~np.isnan(values)
    csum = np.concatenate([[0.0], np.cumsum(np.where(ok, values, 0.0))])
    ccnt = np.concatenate([[0.0], np.cumsum(ok, dtype=np.float64)])
    idx = np.arange(values.size)
    hi, lo = np.minimum(idx + h + 1, values.size), np.maximum(idx - h, 0)
    cnt = ccnt[hi] - ccnt[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(cnt >= min_obs, (csum[hi] - csum[lo]) / cnt, np.nan)


def durability(
    mood: DailySeries,
    block: Block,
    *,
    until: date,
    baseline: float,
    ongoing: bool = False,
    settings: TrajectorySettings = DEFAULT_TRAJECTORY,
) -> Durability:
    """Duration of ``block``'s benefit, observed from its last infusion until ``until``
    (exclusive: the next block's first infusion, or the day after today).

    ``ongoing``: the block is the latest one, observed until today (``until`` is the day after
    today); then, without a clear rise yet, a block whose last infusion was fewer than
    ``settings.min_episode_days`` days ago is too early to tell (``TooEarly.RECENT``) rather
    than "no clear rise"."""
    days = (until - block.end).days - 1
    recent = ongoing and days < settings.min_episode_days
    if days < 1:
        return Durability(block, None, False, None, False, _too_early(recent))
    gain = mood.window(block.end + timedelta(days=1), until) - baseline
    smooth = smoothed(gain, settings.window_days)
    search = smooth[:BLOCK_PEAK_DAYS]
    if np.all(np.isnan(search)):
        return Durability(block, None, False, None, False, _too_early(recent))
    k = int(np.nanargmax(search))
    peak = float(search[k])
    if peak < settings.clear_rise:
        return Durability(block, peak, False, None, False, TooEarly.RECENT if recent else None)
    with np.errstate(invalid="ignore"):
        below = np.nonzero(smooth[k:] <= peak / 2)[0]
    if below.size:
        return Durability(block, peak, True, int(k + below[0] + 1), True)
    seen = np.nonzero(~np.isnan(smooth))[0]
    return Durability(block, peak, True, int(seen[-1] + 1), False)


def _too_early(recent: bool) -> TooEarly:
    """Why a block without any 7-day mean after it cannot be told."""
    return TooEarly.RECENT if recent else TooEarly.FEW_CHECK_INS
