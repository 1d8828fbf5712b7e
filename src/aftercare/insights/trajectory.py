"""Trajectory classes of daily mood after treatment, for many patients at once (numpy).

The source article names four courses after treatment; with "not enough data yet" they are:

- SUSTAINED — sustained improvement: a clear rise that has kept most of its size;
- FADE — gradual fade: a clear rise that has lost a good part of its size on a falling trend,
  whether or not it is back at baseline (CLINICAL.md §3: single-infusion benefit fades over
  5-8 days, Shiroma 2020; after a series, median ~16-18 days to relapse without maintenance);
- VARIABLE — variable response: a clear rise that dipped and came back without a new infusion;
- NO_RESPONSE — no clear response: the best week never rose ``clear_rise`` points above baseline;
- NOT_ENOUGH_DATA — no baseline, too little follow-up, too few check-ins, or none lately.

How it is decided (thresholds in ``TrajectorySettings``; calibrated in ``insights.validation``):

1. Gain = daily mood minus the baseline (mean mood in the 7 days before the first infusion).
2. The judged *episode* runs from the first infusion of a block (an induction series or a
   booster) to the end of the data (or to the next block). Moving means never reach outside it:
   a 15-day one (``peak_window_days``) for the lasting level, a 7-day one (``window_days``) for
   dips and rebounds.
3. Peak = the highest 15-day mean after the block's last infusion (so the acute lifts during a
   series do not count as the lasting gain) and its day; recent = mean gain over the episode's
   last 7 days (the last 7-day mean if fewer than 3 check-ins then).
4. From the peak on, a least-squares line through the daily gains gives the trend (points/day)
   and its standard error. From the day the response was established (the 15-day mean first
   reached 3/4 of the peak) on, ``rebound`` is the largest climb of the 7-day mean above its
   lowest point so far and ``trough`` that lowest point.
5. NO_RESPONSE if peak < clear_rise; else VARIABLE if rebound >= max(variable_rebound × peak,
   variable_min_rebound); else FADE if recent <= fade_retained × peak, the loss is at least
   fade_min_loss and the trend is significantly negative (slope <= fade_slope_t × SE); else
   SUSTAINED. Thresholds are inclusive, up to a rounding tolerance (``EPS``).

``classify`` works on a matrix of many series (one row per patient) in chunks, with a constant
number of passes over the data (single-precision moods, check-in counts and masks in bytes, masks
applied by arithmetic), so 100,000 series of 90 days take about 0.05-0.15 s of CPU time on one
core, depending on the CPU (bench/insights_classify.py, docs/performance.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from aftercare.insights.definitions import DEFAULT_TRAJECTORY, TrajectorySettings

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

MIN_WINDOW_OBS = 3  # check-ins needed in a smoothing window (and in the recent week)
MIN_FIT_OBS = 4  # daily gains needed for a trend line
ESTABLISHED = 0.75  # share of the peak gain at which a response counts as established
EPS = 1e-4  # points: rounding tolerance at the thresholds (single-precision sums)
CHUNK_ROWS = 4096  # rows per chunk: working arrays stay in cache, few Python-level calls


class Trajectory(StrEnum):
    NOT_ENOUGH_DATA = "not_enough_data"
    NO_RESPONSE = "no_response"
    SUSTAINED = "sustained"
    FADE = "fade"
    VARIABLE = "variable"


# Integer codes used in the arrays, in this order.
CLASSES = (
    Trajectory.NOT_ENOUGH_DATA,
    Trajectory.NO_RESPONSE,
    Trajectory.SUSTAINED,
    Trajectory.FADE,
    Trajectory.VARIABLE,
)


class Missing(IntEnum):
    """Why a series is NOT_ENOUGH_DATA (0 = it is not)."""

    NONE = 0
    NO_BASELINE = 1  # fewer than min_baseline_days check-ins in the baseline week
    SHORT_FOLLOW_UP = 2  # fewer than min_follow_up_days since the first infusion
    SHORT_EPISODE = 3  # fewer than min_episode_days since the judged block began
    FEW_CHECK_INS = 4  # fewer than min_post_days check-ins in the episode
    STALE = 5  # no check-in for stale_after_days
    NO_INFUSION = 6  # no completed infusion yet
    SERIES_IN_PROGRESS = 7  # the induction series is still under way (set by insights.patient)
    # fewer than min_episode_days since the judged block's last infusion (set by
    # insights.patient): a series that ended two days ago has not shown its effect yet
    SOON_AFTER_LAST_INFUSION = 8


@dataclass(frozen=True, eq=False)
class TrajectoryBatch:
    """Per-row results; gains and levels in mood points (1-10 scale), days are column indices.

    ``code``: index into ``CLASSES``. ``missing``: a ``Missing`` value. Float fields are NaN
    when they cannot be computed.
    """

    code: npt.NDArray[np.int8]
    missing: npt.NDArray[np.int8]
    peak: Floats  # highest smoothed gain
    peak_day: Ints  # column of the peak (-1 when none)
    recent: Floats  # mean gain over the episode's last 7 days
    slope: Floats  # trend of the daily gain since the peak, points per day
    slope_se: Floats  # its standard error
    intercept: Floats  # trend line's gain at the peak day
    rebound: Floats  # largest climb after a dip since the peak, points
    trough: Floats  # lowest smoothed gain after the peak
    post_days: Ints  # days with a check-in in the episode
    last_day: Ints  # column of the last check-in in the episode (-1 when none)

    def classes(self) -> list[Trajectory]:
        return [CLASSES[c] for c in self.code.tolist()]


def classify(
    mood: npt.ArrayLike,
    baseline: npt.ArrayLike,
    start: npt.ArrayLike,
    end: npt.ArrayLike,
    first: npt.ArrayLike,
    settings: TrajectorySettings = DEFAULT_TRAJECTORY,
    peak_from: npt.ArrayLike | None = None,
) -> TrajectoryBatch:
    """Classify each row of ``mood`` (N × T daily mean moods, 1-10, NaN = no check-in).

    Per row: ``baseline`` mean mood before treatment (NaN = none; compute it with
    ``baseline_mood``); ``start`` column of the judged block's first infusion (may be negative:
    before the matrix); ``end`` exclusive column where the judged episode stops (T for "today is
    the last column"); ``first`` column of the patient's first infusion (may be negative). Days
    strictly after ``start`` and before ``end`` are the episode. ``peak_from``: column of the
    block's last infusion (default ``start``); the peak is looked for after it, so the acute
    lifts during a series do not count as the lasting gain.
    """
    m = np.asarray(mood, dtype=np.float64)
    if m.ndim != 2:
        raise ValueError("mood must be a 2-D array (patients × days)")
    n, t = m.shape
    b = np.broadcast_to(np.asarray(baseline, dtype=np.float64), (n,))
    s, e, f = (np.broadcast_to(np.asarray(v, dtype=np.int64), (n,)) for v in (start, end, first))
    pf = s if peak_from is None else np.broadcast_to(np.asarray(peak_from, dtype=np.int64), (n,))
    if np.any(e > t) or np.any(e < 0):
        raise ValueError("end must be within 0..T")
    out = _empty(n)
    floor = np.full(m.shape[1], -BIG, np.float32)  # a row: fmax with a scalar is slow
    for lo in range(0, n, CHUNK_ROWS):
        rows = slice(lo, min(lo + CHUNK_ROWS, n))
        _classify_chunk(
            m[rows], b[rows], s[rows], e[rows], f[rows], pf[rows], settings, out, rows, floor
        )
    return out


def _empty(n: int) -> TrajectoryBatch:
    nan = np.full(n, np.nan)
    return TrajectoryBatch(
        code=np.zeros(n, np.int8),
        missing=np.zeros(n, np.int8),
        peak=nan.copy(),
        peak_day=np.full(n, -1, np.int64),
        recent=nan.copy(),
        slope=nan.copy(),
        slope_se=nan.copy(),
        intercept=nan.copy(),
        rebound=nan.copy(),
        trough=nan.copy(),
        post_days=np.zeros(n, np.int64),
        last_day=np.full(n, -1, np.int64),
    )


def _prefix_sums(values: npt.NDArray[Any], pad: int, dtype: npt.DTypeLike) -> npt.NDArray[Any]:
    """pre[i] = sum of values[: clip(i - pad, 0, t)] along days (rows): every centred window,
    clipped at both ends, is then a difference of two row slices. A loop over the days is
    faster than ``np.cumsum(axis=0)`` (each step adds two contiguous rows)."""
    t, n = values.shape
    pre = np.empty((t + 1 + 2 * pad, n), dtype)
    pre[: pad + 1] = 0
    for i in range(t):
        np.add(pre[pad + i], values[i], out=pre[pad + 1 + i])
    pre[pad + 1 + t :] = pre[pad + t]
    return pre


BIG = np.float32(1e30)  # a missing mood becomes -BIG: below every mood, and -BIG × 0 = 0


def _day_numbers(t: int, first: int, stop: int, step: int) -> npt.NDArray[Any]:
    """``first, first + step, ...`` (before ``stop``) as a column, in the narrowest unsigned type
    that holds numbers up to ``t``: a mask (as bytes) times them is a narrow, fast product, and
    check-ins are counted in it."""
    dtype = np.uint8 if t < 2**8 else np.uint16 if t < 2**16 else np.uint32
    return np.arange(first, stop, step).astype(dtype)[:, None]


def _first(mask: npt.NDArray[np.bool_], rev: npt.NDArray[Any], t: int) -> Ints:
    """Day of the first True down each column (t when none): t - max(mask × (t - day))."""
    return t - np.multiply(mask.view(np.uint8), rev).max(axis=0).astype(np.int64)


def _last(mask: npt.NDArray[np.bool_], fwd: npt.NDArray[Any]) -> Ints:
    """Day of the last True down each column (-1 when none, or when there are no columns):
    max(mask × (day + 1)) - 1."""
    return np.multiply(mask.view(np.uint8), fwd).max(axis=0, initial=0).astype(np.int64) - 1


def _classify_chunk(
    matrix: Floats,
    base: Floats,
    start: Ints,
    end: Ints,
    first: Ints,
    peak_from: Ints,
    cfg: TrajectorySettings,
    out: TrajectoryBatch,
    rows: slice,
    floor: npt.NDArray[np.float32],
) -> None:
    # Days run down the rows (T × n) so that running sums and minima and the reductions over
    # days are vectorised across patients. A chunk's arrays stay in the last-level cache and the
    # time goes with the bytes moved, so: single precision for moods (1-10, sums of at most a
    # few hundred of them), bytes for masks and counts, masks applied by arithmetic (np.where
    # is slow on random masks), results written in place where the inputs are not needed again.
    # Only the days from the chunk's earliest episode on (``day0``) are worked on: the days
    # before add nothing. ``day`` holds their column numbers; days below are columns of
    # ``matrix``.
    n, t_all = matrix.shape
    day0 = min(max(int(start.min()) + 1, 0), max(t_all - 1, 0))
    t = t_all - day0
    f32 = np.float32
    day = np.arange(day0, t_all, dtype=f32)[:, None]  # float: compares run faster than on ints
    fwd = _day_numbers(t_all, day0 + 1, t_all + 1, 1)
    rev = _day_numbers(t_all, t_all - day0, 0, -1)
    # Convert, turn NaN into -BIG (fmax against a row: a scalar is slower), then transpose: the
    # strided copy moves single-precision values.
    moods = matrix[:, day0:].astype(f32)
    np.fmax(moods, floor[:t], out=moods)
    mood = moods.T.copy()
    in_episode = day > np.clip(start, -1, t_all).astype(f32)
    in_episode &= day < end.astype(f32)
    valid = mood > -BIG  # a check-in (not NaN)
    valid &= in_episode
    # Sums run over the moods themselves (0 where missing or outside the episode: -BIG × 0); the
    # baseline is subtracted from the few per-patient results, which is exact and saves passes.
    mood *= valid
    b = np.where(np.isnan(base), 0.0, base)

    # Prefix sums of the moods (single precision) and of the check-ins (exact counts in bytes
    # for fewer than 256 days: a quarter of the traffic of floats).
    pad = max(cfg.window_days, cfg.peak_window_days) // 2 + 1
    pre_sum = _prefix_sums(mood, pad, f32)
    pre_cnt = _prefix_sums(valid.view(np.uint8), pad, fwd.dtype)
    r = np.arange(n)
    counts = pre_cnt[pad + t].astype(np.int64)  # check-ins in the episode

    def window(pre: npt.NDArray[Any], width: int, lo: int = 0, hi: int = t) -> npt.NDArray[Any]:
        """Sums of the centred ``width``-day windows (clipped), rows ``lo`` to ``hi``."""
        h = width // 2
        return pre[pad + h + 1 + lo : pad + h + 1 + hi] - pre[pad - h + lo : pad - h + hi]

    # The peak is looked for after ``peak_from``, and the trend and the rebound start at the
    # peak or later: they work on the rows from the chunk's earliest ``peak_from`` on (``k``).
    k = min(max(int(peak_from.min()) + 1 - day0, 0), max(t - 1, 0))
    dk, rev_k = day[k:], rev[k:]
    with np.errstate(invalid="ignore", divide="ignore"):
        # 7-day sums and counts; divided only where they are used (the tail, below, and the
        # few rows that need the last 7-day mean), which saves a pass.
        sum7 = window(pre_sum, cfg.window_days, k)
        cnt7 = window(pre_cnt, cfg.window_days, k)
        ok = cnt7 >= max(MIN_WINDOW_OBS, cfg.window_days // 3)
        ok &= in_episode[k:]
        # 15-day means where they count (enough check-ins, in the episode, after ``peak_from``),
        # NaN elsewhere, where fmax skips them: (sum × 1) / (count × 1) is the mean,
        # (sum × 0) / (count × 0) NaN.
        masked = window(pre_sum, cfg.peak_window_days, k)
        count = window(pre_cnt, cfg.peak_window_days, k)
        cand = count >= max(MIN_WINDOW_OBS, cfg.peak_window_days // 3)
        cand &= in_episode[k:]
        cand &= dk > np.clip(peak_from, -1, t_all).astype(f32)
        masked *= cand
        count *= cand
        masked /= count
    peak32 = np.fmax.reduce(masked, axis=0)
    has_smooth = peak32 == peak32
    peak_day = np.where(has_smooth, _first(masked == peak32, rev_k, t_all), -1)
    peak = np.where(has_smooth, peak32.astype(np.float64) - b, np.nan)

    # Recent level: mean gain over the episode's last 7 days, else the last smoothed value
    # (looked up only for the few rows with fewer check-ins in that week). Prefix sums are
    # picked per column through flat indices, which is faster than pairs of index arrays.
    e_hi = (np.clip(end - day0, 0, t) + pad) * n + r
    e_lo = (np.clip(end - 7 - day0, 0, t) + pad) * n + r
    rsum = (pre_sum.take(e_hi) - pre_sum.take(e_lo)).astype(np.float64)
    rcnt = (pre_cnt.take(e_hi) - pre_cnt.take(e_lo)).astype(np.float64)
    few = np.flatnonzero(rcnt < MIN_WINDOW_OBS - 0.5)
    last_smooth_day = _last(np.take(ok, few, axis=1), fwd[k:])
    last_smooth = np.full(n, np.nan)
    found = last_smooth_day >= 0
    at = (last_smooth_day[found] - day0 - k) * n + few[found]
    last_smooth[few[found]] = sum7.take(at) / cnt7.take(at)
    # The rare rows whose last smoothed day is before row ``k``: from the prefix sums.
    early = few[~found]
    if k > 0 and len(early):
        top = pad + cfg.window_days // 2 + 1 + k  # the prefix rows these windows need
        w_sum = window(pre_sum[:top].take(early, axis=1), cfg.window_days, 0, k)
        w_cnt = window(pre_cnt[:top].take(early, axis=1), cfg.window_days, 0, k)
        ok_early = w_cnt >= max(MIN_WINDOW_OBS, cfg.window_days // 3)
        ok_early &= in_episode[:k, early]
        day_early = _last(ok_early, fwd[:k])
        j = np.flatnonzero(day_early >= 0)
        i = day_early[j] - day0
        last_smooth[early[j]] = w_sum[i, j] / w_cnt[i, j]  # moods, like rsum / rcnt
    with np.errstate(invalid="ignore", divide="ignore"):
        recent = np.where(rcnt >= MIN_WINDOW_OBS - 0.5, rsum / rcnt, last_smooth) - b

    # Trend since the peak: least squares through the daily gains, x = days since the peak,
    # from sums over the days from the peak on. The count comes from the prefix sums; sums of
    # days are exact in single precision; sums of (day ×) mood are taken in double precision,
    # where they are exact whatever the order of the additions (so vector-matrix products,
    # which are faster than ``sum(axis=0)``; one vector each: a stacked matrix makes BLAS copy
    # the data into panels first, 1.05x slower in all).
    from_peak = dk >= peak_day.astype(f32)
    from_peak &= valid[k:]
    w = from_peak.astype(f32)  # check-ins from the peak on
    col = np.arange(day0 + k, t_all, dtype=f32)
    p_lo = (pad + np.clip(peak_day - day0, 0, t)) * n + r
    s0 = (pre_cnt[pad + t] - pre_cnt.take(p_lo)).astype(np.float64)  # a count: exact
    st = (col @ w).astype(np.float64)
    stt = ((col * col) @ w).astype(np.float64)
    ones64 = np.ones(t - k)
    wy = np.multiply(mood[k:], w, out=w)  # in place: the moods from the peak on
    wy64 = wy.astype(np.float64)
    my = ones64 @ wy64
    mty = col.astype(np.float64) @ wy64
    np.multiply(wy, mood[k:], out=wy64)  # their squares, rounded to single precision
    myy = ones64 @ wy64
    sy = my - b * s0  # the same sums over gains (mood - baseline)
    sty = mty - b * st
    syy = myy - 2 * b * my + b * b * s0
    p = peak_day.astype(np.float64)
    s1 = st - p * s0
    s2 = stt - 2 * p * st + p * p * s0
    sxy = sty - p * sy
    with np.errstate(invalid="ignore", divide="ignore"):
        sxx = s2 - s1 * s1 / s0
        slope = (sxy - s1 * sy / s0) / sxx
        intercept = (sy - slope * s1) / s0
        rss = np.maximum(syy - intercept * sy - slope * sxy, 0.0)
        slope_se = np.sqrt(rss / (s0 - 2) / sxx)
    fit_ok = has_smooth & (s0 >= MIN_FIT_OBS) & (sxx > 1e-6)
    slope = np.where(fit_ok, slope, np.nan)
    slope_se = np.where(fit_ok, slope_se, np.nan)
    intercept = np.where(fit_ok, intercept, np.nan)

    # Rebound: the largest climb of the smoothed gain above its running minimum, from the day
    # the response was established (the two-week mean first reached 3/4 of the peak gain) on.
    b32 = b.astype(f32)
    established = _first(masked >= ESTABLISHED * (peak32 - b32) + b32, rev_k, t_all)
    in_tail = dk >= established.astype(f32)
    in_tail &= ok
    with np.errstate(invalid="ignore", divide="ignore"):
        # The 7-day means in the tail, NaN outside it ((sum × 0) / (count × 0)), where fmin
        # (the running minimum) and fmax skip them.
        tail = np.multiply(sum7, in_tail, out=sum7)
        cnt7 *= in_tail
        tail /= cnt7
        running_min = np.empty_like(tail)
        running_min[0] = tail[0]
        for i in range(1, t - k):
            np.fmin(running_min[i - 1], tail[i], out=running_min[i])
        tail -= running_min
    climb = np.fmax.reduce(tail, axis=0)
    has_tail = running_min[-1] == running_min[-1]  # some day in the tail
    rebound = np.where(has_tail, climb.astype(np.float64), np.nan)
    trough = np.where(has_tail, running_min[-1].astype(np.float64) - b, np.nan)

    # Last check-in: in the episode's last week for nearly everyone, so the rows from the
    # chunk's earliest such week on are searched first, all rows only for those without one.
    lo = min(max(int(end.min()) - 7 - day0, 0), t)
    last_day = _last(valid[lo:], fwd[lo:])
    gone = np.flatnonzero(last_day < 0)
    last_day[gone] = _last(np.take(valid[:lo], gone, axis=1), fwd[:lo])

    missing = np.zeros(n, np.int8)
    stale = (end - 1 - last_day) > cfg.stale_after_days
    conditions = [
        (Missing.STALE, stale),
        (Missing.FEW_CHECK_INS, (counts < cfg.min_post_days) | ~has_smooth),
        (Missing.SHORT_EPISODE, (end - 1 - start) < cfg.min_episode_days),
        (Missing.SHORT_FOLLOW_UP, (end - 1 - first) < cfg.min_follow_up_days),
        (Missing.NO_BASELINE, np.isnan(base)),
    ]
    for reason, cond in conditions:  # the last one that applies wins: the most basic reason
        missing[cond] = reason

    with np.errstate(invalid="ignore"):  # thresholds are inclusive, up to rounding (EPS)
        no_response = peak < cfg.clear_rise - EPS
        variable = (
            rebound >= np.maximum(cfg.variable_rebound * peak, cfg.variable_min_rebound) - EPS
        )
        fade = (
            (recent <= cfg.fade_retained * peak + EPS)
            & (peak - recent >= cfg.fade_min_loss - EPS)
            & (slope <= cfg.fade_slope_t * slope_se + EPS)
        )
    code = np.full(n, CLASSES.index(Trajectory.SUSTAINED), np.int8)
    code[fade] = CLASSES.index(Trajectory.FADE)
    code[variable] = CLASSES.index(Trajectory.VARIABLE)
    code[no_response] = CLASSES.index(Trajectory.NO_RESPONSE)
    code[missing > 0] = CLASSES.index(Trajectory.NOT_ENOUGH_DATA)

    out.code[rows] = code
    out.missing[rows] = missing
    out.peak[rows] = peak
    out.peak_day[rows] = peak_day
    out.recent[rows] = recent
    out.slope[rows] = slope
    out.slope_se[rows] = slope_se
    out.intercept[rows] = intercept
    out.rebound[rows] = rebound
    out.trough[rows] = trough
    out.post_days[rows] = counts
    out.last_day[rows] = last_day


def baseline_mood(
    mood: npt.ArrayLike, first: npt.ArrayLike, settings: TrajectorySettings = DEFAULT_TRAJECTORY
) -> Floats:
    """Mean daily mood (1-10) on the ``baseline_days`` (7) columns before ``first`` per row, or on
    the ``baseline_fallback_days`` (14) before it when the week has fewer than
    ``min_baseline_days`` (3) check-ins; NaN when that has too few as well (documented baseline
    rule, ``TrajectorySettings``).
    """
    m = np.asarray(mood, dtype=np.float64)
    f = np.asarray(first, dtype=np.int64)
    cols = np.arange(m.shape[1])
    seen = ~np.isnan(m)
    values = np.where(seen, m, 0.0)
    out = np.full(f.shape, np.nan)
    for days in (settings.baseline_fallback_days, settings.baseline_days):
        window = (cols >= f[:, None] - days) & (cols < f[:, None]) & seen
        count = window.sum(axis=1)
        total = (values * window).sum(axis=1)
        ok = count >= settings.min_baseline_days
        out[ok] = total[ok] / count[ok]
    return out
