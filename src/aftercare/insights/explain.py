"""Explanations in plain words, with the numbers, for the clinician.

Each function returns sentences built from ``_("...") % {...}`` templates. ``gettext`` is the
translation function to use (Django's ``gettext`` on the web side; the identity by default, so
this module stays free of Django); the templates are written as ``_()`` calls so that
``makemessages`` finds them. ``format_day`` turns a date into text (e.g. Django's
``date_format``). Mood is on the 1-10 check-in scale; questionnaire totals as scored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from aftercare.insights.booster import Basis, BoosterForecast
from aftercare.insights.definitions import (
    DEFAULT_DEFINITIONS,
    DEFAULT_PRIORS,
    DEFAULT_TRAJECTORY,
    OutcomeDefinitions,
    TrajectorySettings,
)
from aftercare.insights.patient import NonResponseFlag, TrajectoryResult
from aftercare.insights.scales import ScaleOutcome
from aftercare.insights.trajectory import Missing, Trajectory

Translate = Callable[[str], str]
FormatDay = Callable[[date], str]
INSTRUMENT_NAMES = {"phq9": "PHQ-9", "gad7": "GAD-7"}


def _identity(text: str) -> str:
    return text


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _pts(value: float) -> str:
    return f"{value:.1f}"


def _when(day: date, infusion_days: Sequence[date], _: Translate) -> str:
    """E.g. "day 2 after infusion 6" for the latest infusion on or before ``day``."""
    before = [i for i, d in enumerate(infusion_days) if d <= day]
    if not before:
        return ""
    k = before[-1]
    n = (day - infusion_days[k]).days
    return _("day %(day)s after infusion %(number)s") % {"day": n, "number": k + 1}


def explain_trajectory(
    result: TrajectoryResult,
    infusion_days: Sequence[date] = (),
    *,
    settings: TrajectorySettings = DEFAULT_TRAJECTORY,
    gettext: Translate = _identity,
    format_day: FormatDay = _day,
) -> str:
    """One paragraph on why the trajectory got its class."""
    _ = gettext
    fmt = format_day
    ep = result.episode
    if result.trajectory == Trajectory.NOT_ENOUGH_DATA:
        return _missing(result, settings, _, fmt)
    assert ep is not None
    assert result.baseline is not None
    assert result.peak is not None
    assert result.peak_on is not None
    assert result.peak_gain is not None
    values = {
        "baseline": _pts(result.baseline),
        "peak": _pts(result.peak),
        "peak_on": fmt(result.peak_on),
        "when": _when(result.peak_on, infusion_days, _),
        "recent": _pts(result.recent) if result.recent is not None else "?",
        "clear": _pts(settings.clear_rise),
        "gain": _pts(result.peak_gain),
    }
    sentences = []
    if ep.newer_block_days is not None:
        sentences.append(
            _("The infusion on %(day)s is too recent to judge; this describes the time before it.")
            % {"day": fmt(ep.end)}
        )
    kind = result.trajectory
    if kind == Trajectory.NO_RESPONSE:
        sentences.append(
            _(
                "The best two weeks after the infusion on %(end)s averaged %(peak)s against a "
                "baseline of %(baseline)s, a change of %(gain)s points; a clear response needs a "
                "rise of at least %(clear)s points."
            )
            % {**values, "end": fmt(ep.block.end)}
        )
        return " ".join(sentences)
    sentences.append(
        # Says which average: the tables beside it give 7-day means, which peak higher.
        _(
            "Mood rose from %(baseline)s (baseline) to a two-week average of %(peak)s by "
            "%(peak_on)s (%(when)s)."
        )
        % values
    )
    retained = result.retained
    if kind == Trajectory.SUSTAINED:
        sentences.append(
            _("It has held: the last 7 days averaged %(recent)s, %(kept)s%% of the gain.")
            % {**values, "kept": round(100 * (retained if retained is not None else 1))}
        )
    elif kind == Trajectory.FADE:
        assert retained is not None
        assert result.slope is not None
        sentences.append(
            _(
                "Since then it has fallen by %(rate)s points a day; the last 7 days averaged "
                "%(recent)s, so %(lost)s%% of the gain is lost."
            )
            % {**values, "rate": f"{-result.slope:.2f}", "lost": round(100 * (1 - retained))}
        )
        if result.recent_gain is not None and result.recent_gain <= 0:
            sentences.append(_("Mood is back at or below its baseline."))
        elif retained <= 0.5:
            sentences.append(_("More than half of the gain is lost; mood is still above baseline."))
        else:
            sentences.append(_("Mood is still above its baseline."))
    else:
        assert result.trough is not None
        assert result.rebound is not None
        sentences.append(
            _(
                "It later dipped to %(trough)s and climbed back by %(rebound)s points without a "
                "new infusion; the last 7 days averaged %(recent)s."
            )
            % {
                **values,
                "trough": _pts(result.trough),
                "rebound": _pts(result.rebound),
            }
        )
    return " ".join(sentences)


def _missing(
    result: TrajectoryResult, settings: TrajectorySettings, _: Translate, fmt: FormatDay
) -> str:
    reason = result.missing
    if reason == Missing.NO_INFUSION:
        return _("No completed infusion is recorded yet.")
    if reason == Missing.NO_BASELINE:
        return _(
            "There is no baseline: %(seen)s days with a check-in in the %(days)s days before the "
            "first infusion, and %(need)s are needed."
        ) % {
            "seen": result.baseline_days,
            "days": settings.baseline_fallback_days,
            "need": settings.min_baseline_days,
        }
    if reason == Missing.SHORT_FOLLOW_UP:
        return _(
            "The first infusion was %(days)s days ago; a trajectory is judged from day %(need)s "
            "on, when the series has had time to work."
        ) % {"days": result.follow_up_days, "need": settings.min_follow_up_days}
    if reason == Missing.SERIES_IN_PROGRESS:
        return _(
            "The induction series is still under way; the trajectory is judged once it is complete."
        )
    if reason == Missing.SOON_AFTER_LAST_INFUSION:
        assert result.episode is not None
        return _(
            "The last infusion was on %(day)s; its effect is judged from %(need)s days after it "
            "(the response usually peaks at about 24-72 hours)."
        ) % {"day": fmt(result.episode.block.end), "need": settings.min_episode_days}
    if reason == Missing.STALE and result.last_check_in is not None:
        return _("No check-in since %(day)s, so the trajectory is not current.") % {
            "day": fmt(result.last_check_in)
        }
    assert result.episode is not None
    return _(
        "Not enough check-ins after the infusion on %(day)s to judge its effect yet "
        "(%(seen)s days with a check-in so far)."
    ) % {"day": fmt(result.episode.block.end), "seen": result.post_days}


def explain_scale(
    outcome: ScaleOutcome,
    *,
    definitions: OutcomeDefinitions = DEFAULT_DEFINITIONS,
    gettext: Translate = _identity,
    format_day: FormatDay = _day,
) -> str:
    """The questionnaire outcome of the induction series in words."""
    _ = gettext
    name = INSTRUMENT_NAMES[definitions.instrument]
    if outcome.baseline is None:
        return _("No %(name)s was taken in the %(days)s days before the first infusion.") % {
            "name": name,
            "days": definitions.baseline_max_days,
        }
    change = outcome.change
    if change is None or outcome.assessment is None:
        lo, hi = definitions.post_induction_days
        return _(
            "%(name)s before treatment: %(base)s. No %(name)s yet %(lo)s-%(hi)s days after the "
            "series, when the post-induction assessment is due."
        ) % {"name": name, "base": outcome.baseline.total, "lo": lo, "hi": hi}
    if outcome.responded:
        verdict = _("response")
    elif change.partial:
        verdict = _("partial response")
    else:
        verdict = _("no response")
    values = {
        "name": name,
        "base": change.baseline,
        "score": change.score,
        "day": format_day(outcome.assessment.day),
        "verdict": verdict,
        "pct": abs(round(100 * change.reduction)) if change.reduction is not None else 0,
        "remission": definitions.remission_below,
    }
    if change.change > 0:
        text = (
            _(
                "%(name)s went from %(base)s before treatment to %(score)s on %(day)s, %(pct)s%% "
                "higher: %(verdict)s."
            )
            % values
        )
    else:
        text = (
            _(
                "%(name)s went from %(base)s before treatment to %(score)s on %(day)s, %(pct)s%% "
                "lower: %(verdict)s."
            )
            % values
        )
    if outcome.remitted:
        text += " " + _("Below %(remission)s: remission.") % values
    if change.worsened:
        text += " " + _("The score is higher than before treatment.")
    if outcome.loss_on is not None:
        text += " " + _(
            "Response was lost on %(day)s (%(visits)s questionnaires in a row below the response "
            "threshold)."
        ) % {"day": format_day(outcome.loss_on), "visits": definitions.loss_confirm_visits}
    elif outcome.loss_pending:
        text += (
            " "
            + _(
                "The latest %(name)s no longer meets the response threshold; another is needed to "
                "confirm a loss of response."
            )
            % values
        )
    return text


def explain_booster(
    forecast: BoosterForecast,
    *,
    proposed: bool = True,
    gettext: Translate = _identity,
    format_day: FormatDay = _day,
) -> str:
    """The proposed booster window, its uncertainty and what it rests on."""
    _ = gettext
    fmt = format_day
    bases = {
        Basis.PRIORS: _(
            "published figures for how long benefit lasts after a series (median about "
            "%(median)s days)"
        )
        % {"median": round(DEFAULT_PRIORS.median_days)},
        Basis.HISTORY: _(
            "how long the benefit lasted after this patient's earlier treatments (%(n)s)"
        )
        % {"n": forecast.events + forecast.censored},
        Basis.TREND: _("the current downward trend and published figures"),
        Basis.HISTORY_AND_TREND: _(
            "the current downward trend and this patient's earlier treatments (%(n)s)"
        )
        % {"n": forecast.events + forecast.censored},
    }
    values = {
        "start": fmt(forecast.window_start),
        "end": fmt(forecast.window_end),
        "median": fmt(forecast.median),
        "lo": fmt(forecast.range_start),
        "hi": fmt(forecast.range_end),
        "basis": bases[forecast.basis],
    }
    if forecast.due_now:
        return (
            _(
                "Half of the gain is already lost: a booster review is due now (%(start)s to "
                "%(end)s)."
            )
            % values
        )
    if not proposed:
        return (
            _(
                "Going by %(basis)s, half of the gain from the latest treatment is expected to be "
                "lost around %(median)s (likely %(start)s to %(end)s; 80%% range %(lo)s to %(hi)s)."
            )
            % values
        )
    return (
        _(
            "Proposed booster window %(start)s to %(end)s: half of the gain is expected to be lost "
            "around %(median)s (80%% range %(lo)s to %(hi)s), based on %(basis)s."
        )
        % values
    )


def explain_non_response(
    flag: NonResponseFlag,
    *,
    definitions: OutcomeDefinitions = DEFAULT_DEFINITIONS,
    gettext: Translate = _identity,
    format_day: FormatDay = _day,
) -> str:
    """Why the series is flagged for review, with the numbers."""
    _ = gettext
    values = {
        "n": flag.infusions,
        "end": format_day(flag.series_end),
        "name": INSTRUMENT_NAMES[definitions.instrument],
        "need": round(100 * definitions.response_reduction),
    }
    parts = [_("No response after the %(n)s-infusion series that ended on %(end)s.") % values]
    if flag.score is not None and flag.baseline_score is not None and flag.score_day:
        pct = round(100 * flag.reduction) if flag.reduction is not None else 0
        parts.append(
            _(
                "%(name)s %(base)s before treatment, %(score)s on %(day)s (a %(pct)s%% reduction; "
                "response needs %(need)s%%)."
            )
            % {
                **values,
                "base": flag.baseline_score,
                "score": flag.score,
                "day": format_day(flag.score_day),
                "pct": pct,
            }
        )
    if flag.baseline_mood is not None and flag.peak_mood is not None:
        parts.append(
            _("Daily mood: baseline %(base)s, best two weeks %(peak)s.")
            % {"base": _pts(flag.baseline_mood), "peak": _pts(flag.peak_mood)}
        )
    parts.append(_("For review by the care team."))
    return " ".join(parts)
