"""Numeric building blocks of the demo simulator: schedule, latent severity, item answers.

Units: times are float days relative to ``now`` (negative = past); severity is in PHQ-9 points
(0-27). Shapes follow CLINICAL.md section 3 ("Simulation priors implied").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

INDUCTION = 6  # infusions in an induction series (CLINICAL.md section 3)
RISE_D = 0.1  # days: onset time constant (2.4 h -> ~55 % of the drop at 2 h, ~80 % at 4 h)
ACUTE_HOLD_D = 1.5  # days: acute plateau, peak ~24-48 h (Shiroma 2020; Murrough 2013)
ACUTE_DECAY_D = 2.5  # days: single-dose benefit mostly gone by day 5-8 (Shiroma 2020)
BUILD_K = 3.0  # infusions: sustained build-up; median ~2-3 infusions to response (Phillips 2019)
AR_PHI, AR_SD = 0.75, 1.6  # day-to-day AR(1) noise: lag-1 correlation, stationary SD (points)


def uint(rng: np.random.Generator, lo: int, hi: int) -> int:
    """Uniform integer in ``[lo, hi]`` (inclusive)."""
    return int(rng.integers(lo, hi + 1))


def induction_offsets(rng: np.random.Generator) -> list[int]:
    """Day offsets of the 6 induction infusions from the first one.

    Thrice weekly (gaps 2-2-3, ~12 days, 65 %) or twice weekly (3-4, ~18 days); each gap
    slips by a day 10 % of the time, so the series spans ~2-3 weeks (CLINICAL.md section 3).
    """
    cycle = (2, 2, 3) if rng.random() < 0.65 else (3, 4)
    k = uint(rng, 0, len(cycle) - 1)
    gaps = [cycle[(k + i) % len(cycle)] + int(rng.random() < 0.1) for i in range(INDUCTION - 1)]
    return [0, *np.cumsum(gaps).tolist()]


def sustained_increments(f: float, n_infusions: int) -> Floats:
    """Sustained-effect increments (fraction of baseline) of induction infusions 1..6.

    Saturating build-up that reaches the series effect ``f`` after infusion 6; boosters
    (infusions 7+) get 0 here and are topped up by the caller.
    """
    k = np.arange(INDUCTION + 1)
    gain = (1 - np.exp(-k / BUILD_K)) / (1 - math.exp(-INDUCTION / BUILD_K))
    out = np.zeros(n_infusions)
    m = min(INDUCTION, n_infusions)
    out[:m] = (f * np.diff(gain))[:m]
    return out


def ar1(rng: np.random.Generator, n: int) -> Floats:
    """Stationary AR(1) series of ``n`` daily values (PHQ-9 points)."""
    shocks = rng.normal(0, AR_SD * math.sqrt(1 - AR_PHI**2), n)
    out = np.empty(n)
    if n:
        out[0] = rng.normal(0, AR_SD)
    for i in range(1, n):
        out[i] = AR_PHI * out[i - 1] + shocks[i]
    return out


def kernel(dt: Floats, hold: float, tau: float) -> Floats:
    """Response to an infusion ``dt`` days ago: rise within hours, plateau ``hold`` days, then
    exponential decay with time constant ``tau`` days; 0 before the infusion."""
    pos = np.maximum(dt, 0.0)
    shape = (1 - np.exp(-pos / RISE_D)) * np.exp(-np.maximum(pos - hold, 0) / tau)
    return np.where(dt > 0, shape, 0.0)


@dataclass
class Latent:
    """severity(t) = s0 * (1 - sustained(t)) * (1 - acute(t)) + noise[day], clipped to 0-27."""

    s0: float  # baseline severity, PHQ-9 points
    t_inf: Floats  # infusion starts, days relative to now
    t_hold: Floats  # per infusion: when its sustained hold starts (last infusion of its block)
    deltas: Floats  # sustained increments, fraction of s0 (negative = worsening)
    acute: float  # acute amplitude per infusion, fraction of s0
    hold: float  # days the sustained effect holds before decaying
    tau: float  # days, decay time constant of the sustained effect
    noise: Floats  # AR(1) daily noise, PHQ-9 points, index 0 = first local day of the window

    def sustained(self, t: Floats) -> Floats:
        """Sustained effect (fraction of s0): each increment rises with its infusion and holds
        until ``hold`` days after the last infusion of its block (series or booster), then
        decays with ``tau``."""
        rise = kernel(t[:, None] - self.t_inf[None, :], math.inf, 1.0)
        decay = np.exp(-np.maximum(t[:, None] - self.t_hold[None, :] - self.hold, 0) / self.tau)
        return (rise * decay * self.deltas).sum(axis=1)

    def severity(self, t: Floats, day_idx: Ints) -> Floats:
        dt = t[:, None] - self.t_inf[None, :]
        acute = np.minimum(0.7, self.acute * kernel(dt, ACUTE_HOLD_D, ACUTE_DECAY_D).sum(axis=1))
        det = self.s0 * (1 - self.sustained(t)) * (1 - acute)
        return np.clip(det + self.noise[day_idx], 0, 27)

    def top_up(self, j: int, target: float) -> None:
        """Booster ``j`` restores the sustained effect to ``target`` (never lowers it)."""
        before = float(self.sustained(self.t_inf[j : j + 1] - 1e-6)[0])
        self.deltas[j] = max(0.0, target - before)


@dataclass(frozen=True)
class Readout:
    """How one patient's latent severity shows up in check-ins and questionnaires."""

    s0: float  # baseline severity, PHQ-9 points
    g0: float  # baseline GAD-7 (0-21), correlated with s0
    g_k: float  # share of the depression improvement that anxiety follows (Oliver 2022: -30 %)
    offsets: Floats  # personal rating habits (mood, energy, sleep, interest), scale points
    si_prop: float  # propensity to endorse suicidal thoughts / PHQ-9 item 9
    phq_w: Floats  # personal PHQ-9 item profile (9 weights)
    gad_w: Floats  # personal GAD-7 item profile (7 weights)

    @classmethod
    def draw(cls, rng: np.random.Generator, s0: float) -> Readout:
        return cls(
            s0=s0,
            g0=float(np.clip(rng.normal(0.55 * s0 + 2, 3), 5, 21)),
            g_k=rng.uniform(0.5, 0.9),
            offsets=rng.normal(0, 0.4, 4),
            # ~45 % endorse item 9 at baseline in treated populations (CLINICAL.md 1.1)
            si_prop=rng.uniform(0.1, 0.4) if rng.random() < 0.45 else 0.01,
            phq_w=rng.gamma(4, 1, 9),
            gad_w=rng.gamma(4, 1, 7),
        )

    def gad(self, sev: Floats) -> Floats:
        return np.clip(self.g0 * (1 - self.g_k * (1 - sev / self.s0)), 0, 21)

    def checkins(
        self, rng: np.random.Generator, sev: Floats, fresh: npt.NDArray[np.bool_]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        """Rows mood, energy, anxiety, sleep quality, interest (1-10; 10 best, anxiety 10 worst)
        and suicidal-thoughts flags for severities ``sev``; ``fresh`` = hours after an infusion."""
        n, off = sev.size, self.offsets
        good = 9 - 7.5 * sev / 27  # latent wellbeing: 9 at PHQ-9 0, 1.5 at PHQ-9 27
        raw = np.stack([
            good + off[0] + rng.normal(0, 0.7, n),  # mood
            5.5 + 0.8 * (good - 5.5) + off[1] + rng.normal(0, 0.9, n) - 1.2 * fresh,  # energy
            1 + 9 * self.gad(sev) / 21 + rng.normal(0, 0.8, n),  # anxiety
            5.5 + 0.6 * (good - 5.5) + off[2] + rng.normal(0, 1.1, n),  # sleep quality
            5.5 + 0.9 * (good - 5.5) + off[3] + rng.normal(0, 0.8, n),  # interest
        ])  # fmt: skip
        si = rng.random(n) < self.si_prop / (1 + np.exp(-(sev - 17) / 2.5))
        return np.clip(np.rint(raw), 1, 10).astype(np.int64), si

    def scales(
        self, rng: np.random.Generator, total: int
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """PHQ-9 items summing to ``total`` and correlated GAD-7 items (each 0-3); item 9 is
        likelier for endorsers and at high severity (CLINICAL.md 1.1)."""
        w = self.phq_w.copy()
        w[8] *= (0.03 + 1.2 * self.si_prop) * (0.2 + 1 / (1 + math.exp(-(total - 16) / 3)))
        gad = float(self.gad(np.array([float(total)]))[0]) + rng.normal(0, 1)
        g_total = int(np.clip(round(gad), 0, 21))
        return answer_items(rng, total, w), answer_items(rng, g_total, self.gad_w)


def answer_items(rng: np.random.Generator, total: int, weights: Floats) -> tuple[int, ...]:
    """Item answers 0-3 summing to ``total``: pick ``total`` of the 3-per-item answer slots
    without replacement, each item's slots weighted by ``weights``."""
    slots = np.repeat(weights / weights.sum() / 3, 3)
    picked = rng.choice(slots.size, size=total, replace=False, p=slots)
    return tuple(int(v) for v in np.bincount(picked // 3, minlength=weights.size))


def local_utc(tz: ZoneInfo, day: date, minutes: float) -> datetime:
    """UTC instant of ``minutes`` after local midnight of ``day`` in ``tz``."""
    return (datetime.combine(day, time(0), tz) + timedelta(minutes=minutes)).astimezone(UTC)


def discharge_end(
    rng: np.random.Generator, now: datetime, tz: ZoneInfo, dur: timedelta
) -> datetime:
    """End of a "discharged today" infusion: 2-6 h before ``now``, on now's local date, and
    started no earlier than 07:00 local.

    Fallback when ``now`` is too early in the local day for that (before ~09:45 local):
    yesterday 15:00-17:00 local, i.e. the patient is in the first night after the infusion.
    """
    today = now.astimezone(tz).date()
    lo = max(now - timedelta(hours=6), local_utc(tz, today, 7 * 60) + dur)
    hi = now - timedelta(hours=2)
    if lo <= hi:
        return lo + (hi - lo) * float(rng.random())
    return local_utc(tz, today - timedelta(days=1), 15 * 60 + uint(rng, 0, 120))
