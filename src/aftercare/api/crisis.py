"""The crisis screen as data, from the same sentences the web pages use (safety/wording.py)."""

from collections.abc import Sequence
from typing import Any

from aftercare.accounts.models import Clinic
from aftercare.safety import wording


def _contacts(clinic: Clinic) -> list[dict[str, str]]:
    return [{"label": c.label, "href": c.href} for c in wording.crisis_contacts(clinic)]


def crisis_for(clinic: Clinic, alerts: Sequence[Any]) -> dict[str, Any] | None:
    """What the web crisis screen shows after a saved submission; None without an urgent alert."""
    urgent = [a.rule_id for a in alerts if a.is_urgent]
    if not urgent:
        return None
    return {
        "saved": True,
        "title": str(wording.URGENT_TITLE),
        "reasons": wording.urgent_reasons(urgent),
        "intro": str(wording.URGENT_INTRO),
        "care_team_told": str(wording.CARE_TEAM_TOLD),
        "contacts": _contacts(clinic),
        "emergency": wording.emergency_sentence(clinic),
    }


def unsaved_crisis(clinic: Clinic, *, questionnaire: bool = False) -> dict[str, Any]:
    """An urgent yes on a check-in (or a questionnaire's safety answer) that could not be saved,
    as the web pages say it; the care team has been told (safety.screening.screen_unsaved_*)."""
    title = wording.UNSAVED_QUESTIONNAIRE if questionnaire else wording.UNSAVED_CHECK_IN
    return {
        "saved": False,
        "title": str(title),
        "reasons": [],
        "intro": str(wording.HELP_NOW),
        "care_team_told": str(wording.CARE_TEAM_TOLD),
        "contacts": _contacts(clinic),
        "emergency": wording.emergency_sentence(clinic),
    }
