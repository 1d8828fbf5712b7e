"""The insights' explanations in the active language, with dates in the active format."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext

from aftercare.insights import explain
from aftercare.insights.definitions import OutcomeDefinitions
from aftercare.insights.patient import PatientInsights


def _day(day: date) -> str:
    return date_format(day, "j M Y")


def explanation(
    insight: PatientInsights, definitions: OutcomeDefinitions, infusion_days: Sequence[date]
) -> dict[str, str]:
    """Paragraphs for the trajectory, the questionnaire outcome, the booster window and the
    non-response flag (empty strings where there is nothing to say)."""
    out = {
        "trajectory_text": explain.explain_trajectory(
            insight.trajectory, infusion_days, gettext=gettext, format_day=_day
        ),
        "scale_text": "",
        "booster_text": "",
        "non_response_text": "",
    }
    if insight.induction_outcome is not None:
        out["scale_text"] = explain.explain_scale(
            insight.induction_outcome, definitions=definitions, gettext=gettext, format_day=_day
        )
    if insight.booster is not None:
        out["booster_text"] = explain.explain_booster(
            insight.booster, proposed=insight.booster_proposed, gettext=gettext, format_day=_day
        )
    if insight.non_response is not None:
        out["non_response_text"] = explain.explain_non_response(
            insight.non_response, definitions=definitions, gettext=gettext, format_day=_day
        )
    return out
