"""Seeded simulator of synthetic patient histories for the demo clinic (pure numpy, no Django).

Latent model, in PHQ-9 points (0–27), shapes from CLINICAL.md §3 ("Simulation priors implied")::

    severity(t) = S0 · (1 − sustained(t)) · (1 − acute(t)) + AR(1) daily noise

* ``acute``: every infusion (0.5 mg/kg over 40 min) adds a kernel that rises within hours
  (≈55 % at 2 h, ≈80 % at 4 h; Murrough 2013), plateaus to ~36 h (peak 24–48 h) and decays with a
  2.5-day time constant, so a single dose's benefit is mostly gone by day 5–8 (Shiroma 2020).
* ``sustained``: each induction infusion adds an increment that builds toward the patient's
  series effect ``f`` (median ~3 infusions to response, Phillips 2019); after a patient-specific
  hold it decays with time constant ``tau`` (days). Boosters top it back up (maintenance).
* Outcomes: series response ~60 % / partial / none / ~8 % worse for unlabelled archetypes
  (real-world 53.6 % response, 8.4 % worse, McInnes 2022; 50–72 %, Oliver 2022); remission
  (PHQ-9 < 5) falls out for responders with a low baseline or large ``f``.
  ``tau`` ~ lognormal, median 45 d; with ``f`` ≈ 0.6 that gives loss of response ~2–5 weeks
  after the series (trials 16–18 d median, real-world ~80 %/60 % retained at 4/8 weeks).

The archetype fixes timing relative to ``now`` and the outcome class; a draw whose observable
data contradicts its archetype (e.g. a "non-responder" whose last PHQ-9 fell by 25 %) is redrawn
from the same generator (conditioning on the label), so output stays deterministic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from aftercare.demo import names

Floats = npt.NDArray[np.float64]
DAY_S = 86400.0
INDUCTION = 6  # infusions in an induction series (CLINICAL.md §3)
RISE_D = 0.1  # days: acute onset time constant (2.4 h)
ACUTE_HOLD_D, ACUTE_DECAY_D = 1.5, 2.5  # days: peak plateau, then single-dose decay
BUILD_K = 2.0  # infusions: build-up constant of the sustained effect over the series
MAX_REDRAWS = 40


class Archetype(StrEnum):
    MID_INDUCTION = "mid_induction"  # 1-5 of 6 induction infusions done, next one upcoming
    DISCHARGED_TODAY = "discharged_today"  # latest infusion ended a few hours ago today
    EMERGENCE_WINDOW = "emergence_window"  # latest infusion 1-3 local days ago
    NEUROPLASTICITY_WINDOW = "neuroplasticity_window"  # latest infusion 4-14 days ago
    FADING = "fading"  # series done weeks ago, benefit shrinking, not yet back to baseline
    MAINTAINED = "maintained"  # series + monthly-ish boosters, sustained
    NON_RESPONDER = "non_responder"  # completed series, no clear response


@dataclass(frozen=True)
class SimInfusion:
    started_at: datetime  # UTC
    ended_at: datetime  # UTC, 40–60 min after start
    dose_mg_per_kg: float
    route: str
    weight_kg: float
    number: int  # 1-based over the patient's whole history (boosters continue the count)


@dataclass(frozen=True)
class SimCheckIn:
    """Scores 1–10, 10 best, except ``anxiety`` where 10 is worst (as tracking.CheckIn)."""

    at: datetime  # UTC
    mood: int
    energy: int
    anxiety: int
    sleep_quality: int
    interest: int
    suicidal_thoughts: bool
    note: str


@dataclass(frozen=True)
class SimScale:
    at: datetime  # UTC
    instrument: str  # "phq9" | "gad7"
    items: tuple[int, ...]  # each 0–3
    total: int


@dataclass(frozen=True)
class SimPatient:
    first_name: str
    last_name: str
    email: str
    timezone: str
    birth_year: int
    weight_kg: float
    archetype: Archetype
    baseline_phq9: int
    infusions: tuple[SimInfusion, ...]
    upcoming: tuple[datetime, ...]  # planned future infusion starts (UTC)
    checkins: tuple[SimCheckIn, ...]
    scales: tuple[SimScale, ...]


# Outcome classes: (sustained series effect f range, acute amplitude range), fractions of S0.
_OUTCOMES = {
    "responder": ((0.45, 0.75), (0.20, 0.40)),
    "partial": ((0.20, 0.40), (0.10, 0.25)),
    "none": ((-0.05, 0.10), (0.02, 0.10)),
    "worse": ((-0.25, -0.08), (0.00, 0.05)),
}
_POPULATION = (("responder", 0.60), ("partial", 0.20), ("none", 0.12), ("worse", 0.08))


def simulate_clinic(
    *, seed: int, now: datetime, patients: int = 42, history_days: int = 90
) -> list[SimPatient]:
    """Simulate ``patients`` histories ending at ``now`` (tz-aware); archetypes round-robin.

    Patient ``i`` uses the ``i``-th spawned child of ``SeedSequence(seed)``, so it does not
    depend on how many patients follow it.
    """
    children = np.random.SeedSequence(seed).spawn(patients)
    kinds = list(Archetype)
    return [
        simulate_patient(
            np.random.default_rng(child),
            kinds[i % len(kinds)],
            now=now,
            history_days=history_days,
            index=i,
        )
        for i, child in enumerate(children)
    ]


def simulate_patient(
    rng: np.random.Generator, archetype: Archetype, *, now: datetime, history_days: int, index: int
) -> SimPatient:
    """One synthetic patient; check-ins and scales cover the last ``history_days`` local days.

    Infusions are kept even if they predate that window (only with a short ``history_days``).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    patient = _draw(rng, archetype, now, history_days, index)
    for _ in range(MAX_REDRAWS):
        if _recognisable(patient, now):
            break
        patient = _draw(rng, archetype, now, history_days, index)
    return patient


def _u(rng: np.random.Generator, lo: int, hi: int) -> int:
    return int(rng.integers(lo, hi + 1))


def _induction(rng: np.random.Generator) -> list[int]:
    """Day offsets from infusion 1: thrice weekly (~12 d) or twice weekly (~18 d), some slips."""
    cycle = (2, 2, 3) if rng.random() < 0.65 else (3, 4)
    k = _u(rng, 0, len(cycle) - 1)
    gaps = [cycle[(k + i) % len(cycle)] + int(rng.random() < 0.1) for i in range(INDUCTION - 1)]
    return [0, *np.cumsum(gaps).tolist()]


def _plan(rng: np.random.Generator, kind: Archetype) -> tuple[list[int], list[int]]:
    """Local-day offsets (0 = today) of done and of planned infusions, per archetype."""
    ser = _induction(rng)

    def ending(day: int) -> list[int]:
        return [day - ser[-1] + r for r in ser]

    booster = _u(rng, 21, 35)  # monthly-ish maintenance interval (Andrade 2017, §4)
    if kind is Archetype.MID_INDUCTION:
        n = _u(rng, 1, 5)
        shift = -ser[n - 1] - _u(rng, 1, ser[n] - ser[n - 1] - 1)  # latest 1..gap-1 days ago
        days = [r + shift for r in ser]
        return days[:n], days[n:]
    if kind is Archetype.DISCHARGED_TODAY:
        n = _u(rng, 1, INDUCTION + 1)
        if n <= INDUCTION:
            days = [r - ser[n - 1] for r in ser]
            return days[:n], days[n:]
        return [*ending(-_u(rng, 21, 49)), 0], [booster] if rng.random() < 0.5 else []
    if kind in (Archetype.EMERGENCE_WINDOW, Archetype.NEUROPLASTICITY_WINDOW):
        last = -_u(rng, 1, 3) if kind is Archetype.EMERGENCE_WINDOW else -_u(rng, 4, 14)
        nxt = [last + booster] if rng.random() < 0.4 else []
        if rng.random() < 0.25:  # latest infusion was a booster after an earlier series
            return [*ending(last - _u(rng, 21, 49)), last], nxt
        return ending(last), nxt
    if kind is Archetype.FADING:
        return ending(-_u(rng, 28, 56)), [_u(rng, 2, 12)] if rng.random() < 0.5 else []
    if kind is Archetype.NON_RESPONDER:
        return ending(-_u(rng, 7, 42)), []
    shift = -_u(rng, 60, 80)  # MAINTAINED: series began 60-80 days ago, boosters since
    days = [r + shift for r in ser]
    while (nxt := days[-1] + booster) < 0:
        days.append(nxt)
        booster = _u(rng, 21, 35)
    return days, [max(nxt, 1)]


def _kernel(dt: Floats, hold: float, tau: float) -> Floats:
    """Rise within hours after ``dt`` = 0 (days), plateau for ``hold`` days, decay with ``tau``."""
    pos = np.maximum(dt, 0.0)
    return np.where(
        dt > 0, (1 - np.exp(-pos / RISE_D)) * np.exp(-np.maximum(pos - hold, 0) / tau), 0
    )


@dataclass(frozen=True)
class _Latent:
    s0: float  # baseline severity, PHQ-9 points
    t_inf: Floats  # infusion starts, days relative to now
    deltas: Floats  # sustained increments (fraction of s0)
    acute: float  # acute amplitude (fraction of s0)
    hold: float  # days the sustained effect holds before decaying
    tau: float  # days, decay time constant of the sustained effect
    noise: Floats  # AR(1) daily noise, PHQ-9 points, index 0 = first day of the window

    def sustained(self, t: Floats) -> Floats:
        dt = t[:, None] - self.t_inf[None, :]
        return (_kernel(dt, self.hold, self.tau) * self.deltas).sum(axis=1)

    def severity(self, t: Floats, day_idx: npt.NDArray[np.int64]) -> Floats:
        dt = t[:, None] - self.t_inf[None, :]
        acute = np.minimum(0.7, self.acute * _kernel(dt, ACUTE_HOLD_D, ACUTE_DECAY_D).sum(axis=1))
        det = self.s0 * (1 - self.sustained(t)) * (1 - acute)
        return np.clip(det + self.noise[day_idx], 0, 27)


def _local(tz: ZoneInfo, day: date, minutes: float) -> datetime:
    return (datetime.combine(day, time(0), tz) + timedelta(minutes=minutes)).astimezone(UTC)


def _discharge_end(
    rng: np.random.Generator, now: datetime, tz: ZoneInfo, dur: timedelta
) -> datetime:
    """End 2–6 h before ``now`` on now's local date, started no earlier than 07:00 local.

    Fallback when ``now`` is too early in the local day (before ~09:45): yesterday 15:00–17:00
    local, i.e. the patient is in the first night after an infusion rather than "today".
    """
    today = now.astimezone(tz).date()
    lo = max(now - timedelta(hours=6), _local(tz, today, 7 * 60) + dur)
    hi = now - timedelta(hours=2)
    if lo <= hi:
        return lo + (hi - lo) * float(rng.random())
    return _local(tz, today - timedelta(days=1), 15 * 60 + _u(rng, 0, 120))


def _items(rng: np.random.Generator, total: int, weights: Floats) -> tuple[int, ...]:
    """Items 0–3 summing to ``total``: ``total`` of the 3-per-item answer slots, by weight."""
    slots = np.repeat(weights, 3) / weights.sum() / 3
    picked = rng.choice(slots.size, size=total, replace=False, p=slots)
    return tuple(int(v) for v in np.bincount(picked // 3, minlength=weights.size))


def _draw(
    rng: np.random.Generator, kind: Archetype, now: datetime, history_days: int, index: int
) -> SimPatient:
    tzname = str(rng.choice(names.TIMEZONES, p=names.TIMEZONE_WEIGHTS))
    tz = ZoneInfo(tzname)
    today = now.astimezone(tz).date()
    first, last = str(rng.choice(names.FIRST_NAMES)), str(rng.choice(names.LAST_NAMES))
    weight = round(float(np.clip(rng.normal(82, 17), 48, 150)), 1)
    s0 = int(np.clip(round(rng.normal(19.5, 3.0)), 11, 27))  # mostly 15–24 (TRD)

    done, planned = _plan(rng, kind)
    dur = timedelta(minutes=40 + min(int(rng.exponential(4)), 12))  # pump time 40–57 min
    discharged_end = (
        _discharge_end(rng, now, tz, dur) if kind is Archetype.DISCHARGED_TODAY else None
    )
    if discharged_end and discharged_end.astimezone(tz).date() < today:  # early-morning fallback
        done, planned = [d - 1 for d in done], [d - 1 for d in planned]

    outcome = {Archetype.FADING: "responder", Archetype.MAINTAINED: "responder"}.get(kind)
    if kind is Archetype.NON_RESPONDER:
        outcome = "worse" if rng.random() < 0.2 else "none"
    if outcome is None:
        labels, probs = zip(*_POPULATION, strict=True)
        outcome = str(rng.choice(labels, p=probs))
    (f_lo, f_hi), (a_lo, a_hi) = _OUTCOMES[outcome]
    f, acute, hold = rng.uniform(f_lo, f_hi), rng.uniform(a_lo, a_hi), rng.uniform(3, 10)
    tau = float(45 * math.exp(rng.normal(0, 0.4)))
    if kind is Archetype.FADING:  # pick tau so 35–65 % of the series effect is left now
        tau = max(-done[-1] - hold, 1.0) / -math.log(rng.uniform(0.35, 0.65))

    base_dose = float(rng.choice([0.5, 0.75, 1.0], p=[0.8, 0.15, 0.05]))
    titrate = base_dose == 0.5 and f < 0.3 and rng.random() < 0.4  # 0.75 from infusion 4
    infusions: list[SimInfusion] = []
    for number, day in enumerate(done, 1):
        start = _local(tz, today + timedelta(days=day), 8 * 60 + 15 * _u(rng, 0, 28))
        end = start + dur + timedelta(minutes=_u(rng, 0, 5))
        if discharged_end is not None and number == len(done):
            start, end = discharged_end - dur, discharged_end
        dose = 0.75 if titrate and number >= 4 else base_dose
        w = round(weight + float(rng.normal(0, 0.6)), 1)
        infusions.append(SimInfusion(start, end, dose, "iv", w, number))
    upcoming = []
    for day in planned:
        at = _local(tz, today + timedelta(days=day), 8 * 60 + 15 * _u(rng, 0, 28))
        while at <= now:
            at += timedelta(days=1)
        upcoming.append(at)

    def rel(at: datetime) -> float:
        return (at - now).total_seconds() / DAY_S

    t_inf = np.array([rel(i.started_at) for i in infusions])
    gain = (1 - np.exp(-np.arange(INDUCTION + 1) / BUILD_K)) / (1 - math.exp(-INDUCTION / BUILD_K))
    deltas = np.zeros(len(infusions))
    deltas[: min(INDUCTION, len(infusions))] = (f * np.diff(gain))[: len(infusions)]
    noise = np.zeros(history_days)
    shocks = rng.normal(0, 1.6 * math.sqrt(1 - 0.75**2), history_days)
    noise[0] = rng.normal(0, 1.6)
    for i in range(1, history_days):
        noise[i] = 0.75 * noise[i - 1] + shocks[i]
    lat = _Latent(float(s0), t_inf, deltas, acute, hold, tau, noise)
    for j in range(INDUCTION, len(infusions)):  # boosters restore 85–100 % of the series effect
        before = float(lat.sustained(t_inf[j : j + 1] - 1e-6)[0])
        deltas[j] = max(0.0, f * rng.uniform(0.85, 1.0) - before)

    window_start = today - timedelta(days=history_days - 1)

    def day_idx(ats: list[datetime]) -> npt.NDArray[np.int64]:
        return np.array([(a.astimezone(tz).date() - window_start).days for a in ats], np.int64)

    # Check-ins: evenings on ~75–90 % of days (a disengaged ~12 % far fewer), a few extra
    # post-infusion ones, starting 3–10 days before infusion 1 when that lies in the window.
    start_day = max(-(history_days - 1), done[0] - _u(rng, 3, 10))
    engage = rng.uniform(0.4, 0.6) if rng.random() < 0.12 else rng.uniform(0.75, 0.92)
    ats = [
        _local(tz, today + timedelta(days=d), rng.uniform(17.5 * 60, 22.5 * 60))
        for d in range(start_day, 1)
        if rng.random() < engage
    ]
    for inf in infusions:
        p_extra = 0.6 if inf.ended_at == discharged_end else 0.3
        if inf.ended_at.astimezone(tz).date() >= window_start and rng.random() < p_extra:
            ats.append(inf.ended_at + timedelta(minutes=_u(rng, 80, 210)))
    ats = sorted(a for a in ats if a <= now)
    ats = [a for i, a in enumerate(ats) if i == 0 or a - ats[i - 1] > timedelta(hours=1)]
    sev = lat.severity(t_ci, day_idx(ats))
    n = len(ats)
    g0 = float(np.clip(rng.normal(0.55 * s0 + 2, 3), 5, 21))  # GAD-7 baseline, correlated
    g_k = rng.uniform(0.5, 0.9)  # anxiety improves less than depression (Oliver 2022: −30 %)
    gad = np.clip(g0 * (1 - g_k * (1 - sev / s0)), 0, 21)
    good = 10 - 9 * sev / 27  # 1–10, 10 best
    off = rng.normal(0, 0.4, 4)
    t_ci = np.array([rel(a) for a in ats])
    after = t_ci[:, None] - np.array([rel(i.ended_at) for i in infusions])[None, :]
    fresh = ((after >= 0) & (after < 8 / 24)).any(axis=1)  # same day, shortly after infusion
    mood = good + off[0] + rng.normal(0, 0.7, n)
    energy = 5.5 + 0.8 * (good - 5.5) + off[1] + rng.normal(0, 0.9, n) - 1.2 * fresh
    interest = 5.5 + 0.9 * (good - 5.5) + off[2] + rng.normal(0, 0.8, n)
    sleep = 5.5 + 0.6 * (good - 5.5) + off[3] + rng.normal(0, 1.1, n)
    anxiety = 1 + 9 * gad / 21 + rng.normal(0, 0.8, n)
    si_prop = rng.uniform(0.1, 0.4) if rng.random() < 0.45 else 0.01  # item-9 endorsers, §1.1
    si = rng.random(n) < si_prop / (1 + np.exp(-(sev - 17) / 2.5))
    score = np.clip(np.rint(np.stack([mood, energy, anxiety, sleep, interest])), 1, 10).astype(int)
    checkins = []
    for i, at in enumerate(ats):
        note = ""
        if fresh[i] and rng.random() < 0.4:
            note = str(rng.choice(names.NOTES_INFUSION))
        elif rng.random() < 0.12:
            m = score[0, i]
            pool = (
                names.NOTES_GOOD if m >= 7 else names.NOTES_LOW if m <= 4 else names.NOTES_NEUTRAL
            )
            note = str(rng.choice(pool))
        mo, en, an, sl, it = (int(v) for v in score[:, i])
        checkins.append(SimCheckIn(at, mo, en, an, sl, it, bool(si[i]), note))

    # Scales (PHQ-9 + GAD-7): baseline before infusion 1, before infusions 3 and 6, then every
    # 14 days (±1, ~85 % completed) in the evening after the series.

    def mins(lo: int, hi: int) -> timedelta:
        return timedelta(minutes=_u(rng, lo, hi))

    scale_ats = [infusions[0].started_at - mins(20, 90)]
    scale_ats += [infusions[k].started_at - mins(10, 40) for k in (2, 5) if k < len(infusions)]
    if len(infusions) >= INDUCTION:
        end_day = infusions[INDUCTION - 1].started_at.astimezone(tz).date()
        for k in range(1, 30):
            day = end_day + timedelta(days=14 * k + _u(rng, -1, 1))
            at = _local(tz, day, rng.uniform(18 * 60, 22 * 60))
            if at > now:
                break
            if rng.random() < 0.85:
                scale_ats.append(at)
    scale_ats = sorted(a for a in scale_ats if a <= now and a.astimezone(tz).date() >= window_start)
    phq_w, gad_w = rng.gamma(4, 1, 9), rng.gamma(4, 1, 7)
    s_sev = lat.severity(np.array([rel(a) for a in scale_ats]), day_idx(scale_ats))
    scales: list[SimScale] = []
    for i, at in enumerate(scale_ats):
        total = int(np.clip(round(s_sev[i] + rng.normal(0, 1.0)), 0, 27))
        if at < infusions[0].started_at:
            total = s0
        w = phq_w.copy()
        w[8] *= (0.05 + 2 * si_prop) * (0.2 + 1 / (1 + math.exp(-(total - 16) / 3)))
        g_total = int(np.clip(round(g0 * (1 - g_k * (1 - total / s0)) + rng.normal(0, 1)), 0, 21))
        scales.append(SimScale(at, "phq9", (items := _items(rng, total, w)), sum(items)))
        scales.append(SimScale(at, "gad7", (items := _items(rng, g_total, gad_w)), sum(items)))

    return SimPatient(
        first_name=first,
        last_name=last,
        email=f"{first}.{last}.{index + 1:03d}@example.org".lower(),
        timezone=tzname,
        birth_year=now.year - _u(rng, 21, 72),
        weight_kg=weight,
        archetype=kind,
        baseline_phq9=s0,
        infusions=tuple(infusions),
        upcoming=tuple(upcoming),
        checkins=tuple(checkins),
        scales=tuple(scales),
    )


def _mean_mood(p: SimPatient, lo: datetime, hi: datetime) -> float | None:
    moods = [c.mood for c in p.checkins if lo <= c.at < hi]
    return sum(moods) / len(moods) if moods else None


def _recognisable(p: SimPatient, now: datetime) -> bool:
    """Does the observable data show the archetype's outcome? (Missing data counts as yes.)"""
    if p.archetype is Archetype.NON_RESPONDER:  # no PHQ-9 response, final drop < 25 %
        post = [
            s.total for s in p.scales if s.instrument == "phq9" and s.at > p.infusions[0].started_at
        ]
        return not post or (min(post) > p.baseline_phq9 / 2 and post[-1] > 0.75 * p.baseline_phq9)
    if p.archetype not in (Archetype.FADING, Archetype.MAINTAINED):
        return True
    start, end6 = p.infusions[0].started_at, p.infusions[INDUCTION - 1].ended_at
    pre = _mean_mood(p, start - timedelta(days=30), start)
    early = _mean_mood(p, end6 + timedelta(days=1), end6 + timedelta(days=4))
    peak = _mean_mood(p, end6 + timedelta(days=1), end6 + timedelta(days=8))
    recent = _mean_mood(p, now - timedelta(days=7), now + timedelta(seconds=1))
    ok = pre is None or early is None or early > pre + 1
    if p.archetype is Archetype.FADING and None not in (pre, peak, recent):
        ok = ok and pre + 0.5 < recent < peak - 0.5  # type: ignore[operator]
    return ok
