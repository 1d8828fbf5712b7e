"""Seeded simulator of synthetic patient histories for the demo clinic (pure numpy, no Django).

Latent daily depression severity in PHQ-9 points (see ``model.Latent``), shaped after
CLINICAL.md section 3 ("Simulation priors implied"):

* acute effect of each 0.5 mg/kg / 40 min IV infusion: drop by 2-4 h, peak ~24-48 h, gone
  over ~5-8 days (Murrough 2013; Shiroma 2020);
* sustained effect building over the 6-infusion series (median ~2-3 infusions to response,
  Phillips 2019), held 4-10 days after the series' last infusion, then decaying with a
  per-patient time constant ``tau`` (lognormal, median 100 d, sigma 0.6). Calibrated on the
  real-world PRO data, the closest analogue: at 14-31 d after induction ~56 % respond and ~26 %
  remit (PHQ-9 < 5), ~90 %/~55 % of responders still respond at 4/8 weeks (McInnes 2022:
  53.6 %, 28.9 %, ~80 %/60 %); the fast-relapsing tail of ``tau`` covers the trials' 16-18 d
  median. Boosters top the sustained effect back up to 85-100 % of the series effect;
* outcome classes for archetypes that do not fix the outcome: 60 % responders, 20 % partial,
  15 % none, 5 % worse; with measurement noise ~11 % score above baseline afterwards
  (McInnes 2022: 8.4 % worsened).

Check-in scores, PHQ-9 and GAD-7 are noisy read-outs of the latent severity. The archetype
fixes timing relative to ``now`` and the outcome class; a draw whose observable data contradicts
its archetype (e.g. a "non-responder" whose PHQ-9 fell 25 %) is redrawn from the same generator,
i.e. we condition on the label, so output stays deterministic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

import numpy as np

from aftercare.demo import names
from aftercare.demo.model import (
    INDUCTION,
    Ints,
    Latent,
    Readout,
    ar1,
    discharge_end,
    induction_offsets,
    local_utc,
    sustained_increments,
    uint,
)

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
    ended_at: datetime  # UTC, 40-57 min after start
    dose_mg_per_kg: float
    route: str
    weight_kg: float
    number: int  # 1-based over the whole history (boosters continue the count: 7, 8, ...)


@dataclass(frozen=True)
class SimCheckIn:
    """Scores 1-10, 10 best, except ``anxiety`` where 10 is worst (as ``tracking.CheckIn``)."""

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
    items: tuple[int, ...]  # each 0-3; 9 items (PHQ-9) or 7 (GAD-7)
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


# Outcome classes: (sustained series effect f, acute amplitude), fractions of baseline severity.
_OUTCOMES = {
    "responder": ((0.75, 0.95), (0.15, 0.30)),
    "partial": ((0.20, 0.45), (0.10, 0.25)),
    "none": ((0.00, 0.15), (0.02, 0.10)),
    "worse": ((-0.25, -0.08), (0.00, 0.05)),
}
_POPULATION_LABELS = ("responder", "partial", "none", "worse")
_POPULATION_P = (0.60, 0.20, 0.15, 0.05)


def simulate_clinic(
    *, seed: int, now: datetime, patients: int = 42, history_days: int = 90
) -> list[SimPatient]:
    """Simulate ``patients`` histories ending at ``now`` (tz-aware), archetypes round-robin.

    Patient ``i`` uses the ``i``-th child of ``SeedSequence(seed)``, so it does not depend on
    how many patients follow it.
    """
    kinds = list(Archetype)
    children = np.random.SeedSequence(seed).spawn(patients)
    return [
        simulate_patient(
            np.random.default_rng(c),
            kinds[i % len(kinds)],
            now=now,
            history_days=history_days,
            index=i,
        )
        for i, c in enumerate(children)
    ]


def simulate_patient(
    rng: np.random.Generator, archetype: Archetype, *, now: datetime, history_days: int, index: int
) -> SimPatient:
    """One synthetic patient; check-ins and scales cover the last ``history_days`` local days.

    Infusions are always complete (with a short ``history_days`` they may predate the window).
    ``index`` makes the e-mail address unique within a clinic.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if history_days < 1:
        raise ValueError("history_days must be >= 1")
    now = now.astimezone(UTC)
    patient = _draw(rng, archetype, now, history_days, index)
    for _ in range(MAX_REDRAWS):  # almost always accepted at once
        if _recognisable(patient, now):
            break
        patient = _draw(rng, archetype, now, history_days, index)
    return patient


def _plan(rng: np.random.Generator, kind: Archetype) -> tuple[list[int], list[int]]:
    """Local-day offsets (0 = today, negative = past) of done and of planned infusions."""
    ser = induction_offsets(rng)
    booster = uint(rng, 21, 35)  # monthly-ish maintenance interval (CLINICAL.md section 4)

    def series_ending(day: int) -> list[int]:
        return [day - ser[-1] + r for r in ser]

    if kind is Archetype.MID_INDUCTION:
        n = uint(rng, 1, 5)
        latest = -uint(rng, 1, ser[n] - ser[n - 1] - 1)  # so the next one is still ahead
        days = [latest - ser[n - 1] + r for r in ser]
        return days[:n], days[n:]
    if kind is Archetype.DISCHARGED_TODAY:
        n = uint(rng, 1, INDUCTION + 1)  # 7 = a booster after an earlier series
        if n <= INDUCTION:
            days = [r - ser[n - 1] for r in ser]
            return days[:n], days[n:]
        return [*series_ending(-uint(rng, 21, 49)), 0], [booster] if rng.random() < 0.5 else []
    if kind in (Archetype.EMERGENCE_WINDOW, Archetype.NEUROPLASTICITY_WINDOW):
        latest = -uint(rng, 1, 3) if kind is Archetype.EMERGENCE_WINDOW else -uint(rng, 4, 14)
        planned = [latest + booster] if rng.random() < 0.4 else []
        if rng.random() < 0.25:  # the latest was a booster after an earlier series
            return [*series_ending(latest - uint(rng, 21, 49)), latest], planned
        return series_ending(latest), planned
    if kind is Archetype.FADING:
        return series_ending(-uint(rng, 28, 56)), [uint(rng, 2, 12)] if rng.random() < 0.5 else []
    if kind is Archetype.NON_RESPONDER:
        return series_ending(-uint(rng, 7, 42)), []
    shift = -uint(rng, 60, 80)  # MAINTAINED: series began 60-80 days ago, boosters since
    days = [shift + r for r in ser]
    while (nxt := days[-1] + booster) < 0:
        days.append(nxt)
        booster = uint(rng, 21, 35)
    return days, [max(nxt, 1)]


def _draw(
    rng: np.random.Generator, kind: Archetype, now: datetime, history_days: int, index: int
) -> SimPatient:
    tzname = str(rng.choice(names.TIMEZONES, p=names.TIMEZONE_WEIGHTS))
    tz = ZoneInfo(tzname)
    today = now.astimezone(tz).date()
    first, last = str(rng.choice(names.FIRST_NAMES)), str(rng.choice(names.LAST_NAMES))
    weight = round(float(np.clip(rng.normal(82, 17), 48, 150)), 1)
    s0 = int(np.clip(round(rng.normal(19.5, 3.0)), 11, 27))  # mostly 15-24: TRD at intake

    done, planned = _plan(rng, kind)
    dur = timedelta(minutes=40 + min(int(rng.exponential(4)), 12))  # 40-52 min pump time
    discharged = discharge_end(rng, now, tz, dur) if kind is Archetype.DISCHARGED_TODAY else None
    if discharged and discharged.astimezone(tz).date() < today:  # early-morning fallback
        done, planned = [d - 1 for d in done], [d - 1 for d in planned]

    if kind in (Archetype.FADING, Archetype.MAINTAINED):
        outcome = "responder"
    elif kind is Archetype.NON_RESPONDER:
        outcome = "worse" if rng.random() < 0.2 else "none"
    else:
        outcome = str(rng.choice(_POPULATION_LABELS, p=_POPULATION_P))
    (f_lo, f_hi), (a_lo, a_hi) = _OUTCOMES[outcome]
    f, acute, hold = rng.uniform(f_lo, f_hi), rng.uniform(a_lo, a_hi), rng.uniform(4, 10)
    tau = 100 * math.exp(rng.normal(0, 0.6))  # days
    if kind is Archetype.FADING:  # choose tau so that 35-65 % of the series effect is left now
        tau = max(-done[-1] - hold, 1.0) / -math.log(rng.uniform(0.35, 0.65))

    base_dose = float(rng.choice([0.5, 0.75, 1.0], p=[0.8, 0.15, 0.05]))
    titrate = base_dose == 0.5 and f < 0.3 and rng.random() < 0.4  # 0.75 from infusion 4 on
    infusions = []
    for number, day in enumerate(done, 1):
        start = local_utc(tz, today + timedelta(days=day), 8 * 60 + 15 * uint(rng, 0, 28))
        end = start + dur + timedelta(minutes=uint(rng, 0, 5))
        if discharged is not None and number == len(done):
            start, end = discharged - dur, discharged
        dose = 0.75 if titrate and number >= 4 else base_dose
        w = round(weight + float(rng.normal(0, 0.6)), 1)
        infusions.append(SimInfusion(start, end, dose, "iv", w, number))
    upcoming = []
    for day in planned:  # clinic hours 08:00-15:00 local, pushed past now if needed
        at = local_utc(tz, today + timedelta(days=day), 8 * 60 + 15 * uint(rng, 0, 28))
        while at <= now:
            at += timedelta(days=1)
        upcoming.append(at)

    def rel(ats: list[datetime]) -> np.ndarray:
        return np.array([(a - now).total_seconds() / 86400 for a in ats], dtype=float)

    window_start = today - timedelta(days=history_days - 1)

    def day_idx(ats: list[datetime]) -> Ints:
        return np.array([(a.astimezone(tz).date() - window_start).days for a in ats], np.int64)

    t_inf = rel([i.started_at for i in infusions])
    t_hold = t_inf.copy()  # boosters hold from themselves, the series from its last infusion
    t_hold[:INDUCTION] = t_inf[min(INDUCTION, len(t_inf)) - 1]
    deltas = sustained_increments(f, len(infusions))
    lat = Latent(float(s0), t_inf, t_hold, deltas, acute, hold, tau, ar1(rng, history_days))
    for j in range(INDUCTION, len(infusions)):  # boosters restore 85-100 % of the series effect
        lat.top_up(j, f * rng.uniform(0.85, 1.0))
    readout = Readout.draw(rng, float(s0))

    # Check-ins: evenings on ~75-92 % of days (a disengaged ~12 % on 40-60 %) plus some
    # post-infusion ones; from 1-3 weeks before infusion 1 (a baseline) if inside the window.
    start_day = max(-(history_days - 1), done[0] - uint(rng, 7, 21))
    engage = rng.uniform(0.4, 0.6) if rng.random() < 0.12 else rng.uniform(0.75, 0.92)
    ats = [
        local_utc(tz, today + timedelta(days=d), rng.uniform(17.5 * 60, 22.5 * 60))
        for d in range(start_day, 1)
        if rng.random() < engage or d == start_day  # onboarding day: always a first check-in
    ]
    for inf in infusions:
        p_extra = 0.6 if inf.ended_at == discharged else 0.3
        if inf.ended_at.astimezone(tz).date() >= window_start and rng.random() < p_extra:
            ats.append(inf.ended_at + timedelta(minutes=uint(rng, 80, 210)))
    ats = sorted(a for a in ats if a <= now)
    ats = [a for i, a in enumerate(ats) if i == 0 or a - ats[i - 1] > timedelta(hours=1)]
    t_ci = rel(ats)
    sev = lat.severity(t_ci, day_idx(ats))
    after = t_ci[:, None] - rel([i.ended_at for i in infusions])[None, :]
    fresh = ((after >= 0) & (after < 8 / 24)).any(axis=1)  # within 8 h after an infusion
    score, si = readout.checkins(rng, sev, fresh)
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
        mood, energy, anxiety, sleep, interest = (int(v) for v in score[:, i])
        checkins.append(SimCheckIn(at, mood, energy, anxiety, sleep, interest, bool(si[i]), note))

    # Scales (PHQ-9 + GAD-7): baseline before infusion 1, before infusions 3 and 6, then every
    # 14 (+-1) days in the evening after the series, ~85 % completed.
    scale_ats = [infusions[0].started_at - timedelta(minutes=uint(rng, 20, 90))]
    for k in (2, 5):
        if k < len(infusions):
            scale_ats.append(infusions[k].started_at - timedelta(minutes=uint(rng, 10, 40)))
    if len(infusions) >= INDUCTION:
        series_end = infusions[INDUCTION - 1].started_at.astimezone(tz).date()
        for k in range(1, 100):
            on = series_end + timedelta(days=14 * k + uint(rng, -1, 1))
            at = local_utc(tz, on, rng.uniform(18 * 60, 22 * 60))
            if at > now:
                break
            if rng.random() < 0.85:
                scale_ats.append(at)
    scale_ats = sorted(a for a in scale_ats if a <= now and a.astimezone(tz).date() >= window_start)
    s_sev = lat.severity(rel(scale_ats), day_idx(scale_ats))
    scales = []
    for i, at in enumerate(scale_ats):
        total = int(np.clip(round(s_sev[i] + rng.normal(0, 1.0)), 0, 27))
        phq, gad = readout.scales(rng, s0 if at < infusions[0].started_at else total)
        scales += [SimScale(at, "phq9", phq, sum(phq)), SimScale(at, "gad7", gad, sum(gad))]

    return SimPatient(
        first_name=first,
        last_name=last,
        email=f"{first}.{last}.{index + 1:03d}@example.org".lower(),
        timezone=tzname,
        birth_year=now.year - uint(rng, 21, 72),
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
    """Does the observable data show the archetype's outcome? Missing data counts as yes."""
    first = p.infusions[0].started_at
    if p.archetype is Archetype.NON_RESPONDER:  # no PHQ-9 response, final drop < 25 %
        post = [s.total for s in p.scales if s.instrument == "phq9" and s.at > first]
        return not post or (min(post) > p.baseline_phq9 / 2 and post[-1] > 0.75 * p.baseline_phq9)
    if p.archetype not in (Archetype.FADING, Archetype.MAINTAINED):
        return True
    end6 = p.infusions[INDUCTION - 1].ended_at
    pre = _mean_mood(p, first - timedelta(days=30), first)
    early = _mean_mood(p, end6 + timedelta(days=1), end6 + timedelta(days=4))
    peak = _mean_mood(p, end6 + timedelta(days=1), end6 + timedelta(days=8))
    recent = _mean_mood(p, now - timedelta(days=7), now + timedelta(seconds=1))
    if pre is not None and early is not None and early <= pre + 1:
        return False
    if p.archetype is Archetype.FADING and pre is not None and peak is not None and recent:
        return pre + 0.5 < recent < peak - 0.5
    return True
