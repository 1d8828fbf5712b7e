"""Outcome definitions and analysis settings, with the published defaults and their sources.

CLINICAL.md §2 recommends storing the definition set as configuration (instrument, threshold,
consecutive-visit requirement) because the literature mixes them; a clinic can override the
published defaults (``aftercare.outcomes.models.ClinicDefinitions``). Everything here is a frozen
dataclass: construct a new one with ``dataclasses.replace`` to change a value.
"""

from __future__ import annotations

from dataclasses import dataclass

# Instruments the definitions can be computed from, with their score ranges (CLINICAL.md §1.1, 1.2).
INSTRUMENT_MAX = {"phq9": 27, "gad7": 21}


@dataclass(frozen=True)
class OutcomeDefinitions:
    """How response, partial response, remission, worsening and loss of response are decided.

    Scores are questionnaire totals (PHQ-9 0-27, GAD-7 0-21); fractions are 0-1 reductions from
    baseline; visit counts are whole questionnaires.

    - ``instrument``: "phq9" (default; McInnes 2022 computed response and remission from PHQ-9,
      CLINICAL.md §2) or "gad7".
    - ``response_reduction``: 0.5 — response is a reduction of at least 50 % from baseline
      (McInnes 2022 for PHQ-9; Phillips 2019 / Murrough 2013 for MADRS; CLINICAL.md §2).
    - ``partial_reduction``: 0.25 — partial response is a 25-49 % reduction (convention,
      CLINICAL.md §2 [U]).
    - ``remission_below``: 5 — remission is a total strictly below 5 (PHQ-9 < 5, McInnes 2022;
      SUSTAIN-3 tables; CLINICAL.md §2).
    - ``mcid_points``: 5 — the smallest individually meaningful change of the PHQ-9 total
      (Löwe et al. 2004, 2 × SEM; CLINICAL.md §1.1).
    - ``worsening_min_increase``: 1 — worsening is any increase from baseline after induction
      (McInnes 2022: 8.4 % worsened; CLINICAL.md §2).
    - ``response_confirm_visits`` / ``remission_confirm_visits``: 1 — a single assessment, as in
      McInnes 2022; 2 gives the ASPIRE "consistent remission" rule (two consecutive visits,
      CLINICAL.md §2).
    - ``loss_confirm_visits``: 2 — loss of response needs this many consecutive questionnaires
      no longer meeting the response threshold (SUSTAIN-1 uses two consecutive assessments,
      CLINICAL.md §2 [U]; configurable for that reason).
    - ``post_induction_days``: (14, 31) — the post-induction assessment is the first
      questionnaire 14-31 days after the series' last infusion (McInnes 2022's window,
      CLINICAL.md §3).
    - ``baseline_max_days``: 30 — a baseline questionnaire must be taken at most this many days
      before the first infusion (project default: the PHQ-9 recall window is 2 weeks, and
      Sanacora 2017 asks for a baseline measure before treatment; CLINICAL.md §1.1, §4).
    """

    instrument: str = "phq9"
    response_reduction: float = 0.5
    partial_reduction: float = 0.25
    remission_below: int = 5
    mcid_points: int = 5
    worsening_min_increase: int = 1
    response_confirm_visits: int = 1
    remission_confirm_visits: int = 1
    loss_confirm_visits: int = 2
    post_induction_days: tuple[int, int] = (14, 31)
    baseline_max_days: int = 30

    def __post_init__(self) -> None:
        if self.instrument not in INSTRUMENT_MAX:
            raise ValueError(f"Unknown instrument {self.instrument!r}")
        top = INSTRUMENT_MAX[self.instrument]
        if not 0 < self.partial_reduction < self.response_reduction <= 1:
            raise ValueError("Need 0 < partial_reduction < response_reduction <= 1")
        if not 0 < self.remission_below <= top:
            raise ValueError(f"remission_below must be within 1-{top}")
        if not 0 < self.mcid_points <= top or not 0 < self.worsening_min_increase <= top:
            raise ValueError(f"mcid_points and worsening_min_increase must be within 1-{top}")
        visits = (
            self.response_confirm_visits,
            self.remission_confirm_visits,
            self.loss_confirm_visits,
        )
        if not all(1 <= v <= 5 for v in visits):
            raise ValueError("Confirmation needs 1-5 consecutive visits")
        lo, hi = self.post_induction_days
        if not 0 <= lo <= hi <= 180:
            raise ValueError("post_induction_days must be 0 <= first <= last <= 180")
        if not 1 <= self.baseline_max_days <= 365:
            raise ValueError("baseline_max_days must be within 1-365")

    @property
    def max_score(self) -> int:
        return INSTRUMENT_MAX[self.instrument]


@dataclass(frozen=True)
class TrajectorySettings:
    """Rules for the daily-mood trajectory (mood 1-10, higher is better). Project defaults.

    Daily mood has no validated response threshold, so these are project defaults calibrated on
    simulated cohorts shaped after CLINICAL.md §3 (``insights.validation``; docs/validation.md).

    - ``baseline_days``: 7 — baseline mood is the mean daily mood on the 7 local days before the
      first infusion (issue #7's documented rule; Sanacora 2017 asks for a pre-treatment
      baseline, CLINICAL.md §4).
    - ``min_baseline_days``: 3 — days with a check-in needed for a baseline (as
      ``insights.early_response``).
    - ``baseline_fallback_days``: 14 — when the week before has fewer than 3 check-ins, the
      baseline is the mean over the 14 days before the first infusion instead (project default,
      so that a few missed days do not leave a patient without a baseline).
    - ``clear_rise``: 2.0 points — the smallest peak gain (best 7-day mean minus baseline) that
      counts as a clear response; about a fifth of the scale, in line with the ~20 %
      patient-anchored MCID of PHQ-9 (Kounali 2022, CLINICAL.md §1.1), and above the noise peak
      of 7-day means of a flat series.
    - ``min_follow_up_days``: 14 — days since the first infusion before any class is given: the
      series' response builds over ~2-3 weeks (Phillips 2019: median 3 infusions; CLINICAL.md §3).
    - ``min_episode_days``: 7 — days after the latest infusion before its effect is judged
      (peak ~24-72 h, single-infusion fade over 5-8 days, Shiroma 2020; CLINICAL.md §3).
    - ``min_post_days``: 5 — days with a check-in in the judged period.
    - ``stale_after_days``: 14 — with no check-in for this long the trajectory is not current.
    - ``fade_retained``: 0.7 — a gradual fade has lost at least 30 % of its peak gain (at most
      70 % retained) on a falling trend ...
    - ``fade_min_loss``: 1.0 point — ... and at least one point of mood.
    - ``fade_slope_t``: -2.0 — the falling trend's slope must be this many standard errors below 0.
    - ``variable_rebound``: 0.5 — a variable response climbs back by at least half its peak gain
      after a dip, without a new infusion ...
    - ``variable_min_rebound``: 1.5 points — ... and by at least this many points.
    - ``window_days``: 7 — width of the moving mean that smooths daily mood (dips, rebounds).
    - ``peak_window_days``: 15 — width of the moving mean for the peak level: long enough that
      the few-day acute lift after each infusion (CLINICAL.md §3: peak ~24-72 h, gone over
      5-8 days) does not count as the lasting gain.
    - ``series_gap_days``: 7 — infusions at most this many days apart belong to one block (an
      induction series is ~6 infusions over 2-3 weeks, CLINICAL.md §3); a booster starts a block.
    """

    baseline_days: int = 7
    min_baseline_days: int = 3
    baseline_fallback_days: int = 14
    clear_rise: float = 2.0
    min_follow_up_days: int = 14
    min_episode_days: int = 7
    min_post_days: int = 5
    stale_after_days: int = 14
    fade_retained: float = 0.7
    fade_min_loss: float = 1.0
    fade_slope_t: float = -2.0
    variable_rebound: float = 0.5
    variable_min_rebound: float = 1.5
    window_days: int = 7
    peak_window_days: int = 15
    series_gap_days: int = 7

    def __post_init__(self) -> None:
        if not (
            1 <= self.min_baseline_days <= self.baseline_days <= self.baseline_fallback_days <= 28
        ):
            raise ValueError(
                "Need 1 <= min_baseline_days <= baseline_days <= baseline_fallback_days <= 28"
            )
        if not 0 < self.clear_rise <= 9:
            raise ValueError("clear_rise must be within (0, 9] mood points")
        if not 0 < self.fade_retained < 1 or not 0 < self.variable_rebound <= 1:
            raise ValueError("fade_retained and variable_rebound are fractions in (0, 1)")
        for width in (self.window_days, self.peak_window_days):
            if width < 3 or width % 2 == 0 or width > 61:
                raise ValueError("Window widths must be odd, within 3-61 days")
        if min(self.min_follow_up_days, self.min_episode_days, self.min_post_days) < 1:
            raise ValueError("Day counts must be at least 1")


@dataclass(frozen=True)
class BoosterPriors:
    """Published priors for how long benefit lasts after a block of infusions, in days.

    The quantity forecast is the time from a block's last infusion until half of its peak mood
    gain is lost; with little history of the patient's own, these priors stand in.

    - ``median_days``: 17 — median time to relapse after a 6-infusion series without
      maintenance: 18 d (Murrough 2013 Biol Psychiatry), mean 16 d (Shiroma 2014); CLINICAL.md §3.
    - ``log_sd``: 0.93 — spread between patients on the log scale, chosen so that the 90th
      percentile is ~56 days, where the real-world KM still has ~60 % responding without
      maintenance (McInnes 2022: ~80 %/60 % at 4/8 weeks); CLINICAL.md §3. The two sources
      differ (trials vs. real-world), hence a wide prior [U, project choice].
    - ``within_log_sd``: 0.35 — how much one patient's durations vary from block to block on the
      log scale [U, project default; no published figure].
    - ``window_quantiles``: (0.25, 0.75) — the proposed window is the central half of the
      forecast; the 80 % range (0.1, 0.9) is shown as its uncertainty.
    """

    median_days: float = 17.0
    log_sd: float = 0.93
    within_log_sd: float = 0.35
    window_quantiles: tuple[float, float] = (0.25, 0.75)
    range_quantiles: tuple[float, float] = (0.1, 0.9)

    def __post_init__(self) -> None:
        if not 1 <= self.median_days <= 365:
            raise ValueError("median_days must be within 1-365")
        if not (0 < self.within_log_sd <= 3 and 0 < self.log_sd <= 3):
            raise ValueError("log standard deviations must be positive")
        for lo, hi in (self.window_quantiles, self.range_quantiles):
            if not 0 < lo < hi < 1:
                raise ValueError("quantiles must satisfy 0 < low < high < 1")


DEFAULT_DEFINITIONS = OutcomeDefinitions()
DEFAULT_TRAJECTORY = TrajectorySettings()
DEFAULT_PRIORS = BoosterPriors()
