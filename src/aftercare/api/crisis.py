"""The crisis screen as data, from the same sentences the web pages use (safety/wording.py)."""

from collections.abc import Sequence
from typing import Any

from aftercare.accounts.models import Clinic
from aftercare.safety import crisis, wording


def _contacts(clinic: Clinic) -> list[dict[str, str]]:
    return [{"label": c.label, "href": c.href} for c in wording.crisis_contacts(clinic)]


def crisis_for(clinic: Clinic, alerts: Sequence[Any]) -> dict[str, Any] | None:
    """What the web crisis screen shows after a saved submission (an urgent answer, or crisis
    words in a note: safety.crisis); None when the web page shows none."""
    if not crisis.shows_crisis_screen(alerts):
        return None
    screen = crisis.crisis_screen(alerts)
    return {
        "saved": True,
        "title": screen.title,
        "reasons": screen.reasons,
        "intro": screen.intro,
        "care_team_told": screen.care_team_told,
        "contacts": _contacts(clinic),
        "emergency": wording.emergency_sentence(clinic),
    }


def unsaved_crisis(clinic: Clinic, message: str) -> dict[str, Any]:
    """An answer about safety (or crisis words) on a submission that could not be saved, as the
    web pages say it (``message``: a safety.wording name, from safety.screening.unsaved_help or
    UNSAVED_QUESTIONNAIRE); the care team has been told (safety.screening.screen_unsaved_*)."""
    return {
        "saved": False,
        "title": str(getattr(wording, message)),
        "reasons": [],
        "intro": str(wording.HELP_NOW),
        "care_team_told": str(wording.CARE_TEAM_TOLD),
        "contacts": _contacts(clinic),
        "emergency": wording.emergency_sentence(clinic),
    }
