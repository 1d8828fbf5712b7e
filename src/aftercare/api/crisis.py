"""The crisis screen as data, from the same sentences the web pages use (safety/wording.py)."""

from collections.abc import Sequence
from typing import Any

from aftercare.accounts.models import Clinic, Patient
from aftercare.safety import crisis, wording
from aftercare.safety.models import SafetySettings
from aftercare.safety.next_steps import next_steps
from aftercare.tracking.texts import WARNING_ITEM


def _contacts(clinic: Clinic) -> list[dict[str, str]]:
    return [{"label": c.label, "href": c.href} for c in wording.crisis_contacts(clinic)]


def crisis_for(
    clinic: Clinic, alerts: Sequence[Any], *, warning: bool = False
) -> dict[str, Any] | None:
    """What the web crisis screen shows after a saved submission (an urgent answer, or crisis
    words in a note: safety.crisis); None when the web page shows none.

    ``warning``: a questionnaire answer about safety that is not urgent (PHQ-9 item 9 "several
    days"): the web score page shows the crisis numbers beside it (CLINICAL.md §5: item 9 above 0
    surfaces crisis resources), and so does this."""
    if not crisis.shows_crisis_screen(alerts):
        if not warning:
            return None
        return {
            "saved": True,
            "title": str(WARNING_ITEM),
            "reasons": [],
            "intro": str(wording.HELP_NOW),
            "care_team_told": str(wording.CARE_TEAM_TOLD) if alerts else None,
            "contacts": _contacts(clinic),
            "emergency": wording.emergency_sentence(clinic),
        }
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


def next_steps_for(patient: Patient, alerts: Sequence[Any]) -> dict[str, Any] | None:
    """What the web page shows after a saved submission that raised a high alert which is not a
    crisis (safety.next_steps): that the care team knows and when it aims to look, what to do
    until then, and whom to call, the clinic first; None when the web page shows none."""
    if not any(alert.severity == "high" for alert in alerts):
        return None  # no query for the clinic's settings on an ordinary check-in
    minutes = SafetySettings.for_clinic(patient.clinic_id).high_ack_minutes
    steps = next_steps(alerts, ack_minutes=minutes)
    if steps is None:
        return None
    contacts = wording.crisis_contacts(patient.clinic, clinic_first=True)
    return {
        "title": steps.title,
        "reasons": steps.reasons,
        "told": steps.told,
        "steps": steps.steps,
        "if_worse": steps.if_worse,
        "contacts": [{"label": c.label, "href": c.href} for c in contacts],
        "emergency": wording.emergency_sentence(patient.clinic),
    }
