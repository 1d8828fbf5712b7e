"""Kaplan–Meier estimate of the time until loss of response, with right-censoring (numpy).

S(t) = prod over event times t_i <= t of (1 - d_i / n_i), where d_i is the number of events at
t_i and n_i the number still at risk just before it (censored at t_i count as at risk at t_i).
Confidence band: Greenwood's variance on the log(-log S) scale (the default of most packages).
Checked against scipy.stats.ecdf with CensoredData and a hand-computed example in the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import ndtri

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class KaplanMeier:
    """One row per distinct time (days) at which something happened, ascending.

    ``survival``: S just after that time (1.0 before the first event). ``lower``/``upper``: the
    95 % pointwise band (NaN where undefined). ``median``: first time S <= 0.5, None if never.
    """

    times: Floats
    at_risk: npt.NDArray[np.int64]
    events: npt.NDArray[np.int64]
    censored: npt.NDArray[np.int64]
    survival: Floats
    lower: Floats
    upper: Floats
    median: float | None
    n: int

    def survival_at(self, t: float) -> float:
        """S(t): the share still responding ``t`` days after the start (step function)."""
        k = int(np.searchsorted(self.times, t, side="right")) - 1
        return 1.0 if k < 0 else float(self.survival[k])

    def known_at(self, t: float) -> float | None:
        """S(t) where the data reach it: None past the longest follow-up (days), where the
        estimate says nothing (it would only carry the last value on)."""
        if not self.n or t > float(self.times[-1]):
            return None
        return self.survival_at(t)

    @property
    def has_band(self) -> bool:
        """Whether the 95 % band is defined anywhere (not while S is still 1)."""
        return bool(np.any(np.isfinite(self.lower)))


def kaplan_meier(
    durations: Sequence[float] | Floats,
    events: Sequence[bool] | npt.NDArray[np.bool_],
    confidence: float = 0.95,
) -> KaplanMeier:
    """``durations`` in days (>= 0, finite); ``events`` True = loss observed, False = censored."""
    t = np.asarray(durations, dtype=np.float64)
    e = np.asarray(events, dtype=bool)
    if t.shape != e.shape or t.ndim != 1:
        raise ValueError("durations and events must be 1-D and of equal length")
    if not np.all(np.isfinite(t)) or np.any(t < 0):
        raise ValueError("durations must be finite and non-negative")
    empty = np.empty(0)
    if t.size == 0:
        ints = np.empty(0, np.int64)
        return KaplanMeier(empty, ints, ints, ints, empty, empty, empty, None, 0)
    times, inverse = np.unique(t, return_inverse=True)
    d = np.bincount(inverse, weights=e, minlength=times.size).astype(np.int64)
    c = np.bincount(inverse, weights=~e, minlength=times.size).astype(np.int64)
    leaving = d + c
    at_risk = t.size - np.concatenate([[0], np.cumsum(leaving)[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = 1.0 - d / at_risk
        survival = np.cumprod(factor)
        green = np.cumsum(np.where(at_risk > d, d / (at_risk * (at_risk - d)), np.inf))
        z = float(ndtri(0.5 + confidence / 2))  # the normal quantile, like norm.ppf
        log_s = np.log(survival)
        se = np.sqrt(green) / np.abs(log_s)
        lower = np.exp(-np.exp(np.log(-log_s) + z * se))
        upper = np.exp(-np.exp(np.log(-log_s) - z * se))
    undefined = (survival <= 0) | (survival >= 1) | ~np.isfinite(se)
    lower = np.where(undefined, np.nan, lower)
    upper = np.where(undefined, np.nan, upper)
    below = np.nonzero(survival <= 0.5)[0]
    median = float(times[below[0]]) if below.size else None
    return KaplanMeier(times, at_risk, d, c, survival, lower, upper, median, int(t.size))
