"""What the patient reads right after a submission that raised alerts: the crisis screen.

One decision for the web pages and the API: an urgent alert, or crisis words of high severity
in what the patient wrote, put the screen (why, where to get help now, that the care team knows)
in the response to the submission itself. Any other alert is for the care team to act on; the
patient is thanked as usual and sees its status on their home page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aftercare.safety import wording
from aftercare.safety.rules import speaks_of_self_harm

# Rules whose high severity means the patient wrote of suicide or self-harm (rules.py,
# JOURNAL_PHRASES).
CRISIS_WORD_RULES = frozenset({"note_crisis_language", "journal_crisis_language"})


def _wrote_crisis_words(alert: Any) -> bool:
    return alert.rule_id in CRISIS_WORD_RULES and alert.severity == "high"


def shows_crisis_screen(alerts: Sequence[Any]) -> bool:
    """Whether the response to a submission that raised ``alerts`` is the crisis screen."""
    return any(alert.is_urgent or _wrote_crisis_words(alert) for alert in alerts)


def private_words_need_help(*, shared: bool, body: str, body_before: str = "") -> bool:
    """Whether a journal entry the care team cannot read (``shared`` False: no alert) shows its
    writer the crisis screen: it now holds words of suicide or self-harm that ``body_before``
    (the entry before an edit) did not, so the same words are not answered twice."""
    return not shared and speaks_of_self_harm(body) and not speaks_of_self_harm(body_before)


@dataclass(frozen=True)
class CrisisScreen:
    title: str
    reasons: list[str]
    intro: str
    care_team_told: str | None  # None: the care team was not told (a concern, a private entry)
    # A concern with no sign of crisis: the clinic is the first number offered, not a suicide
    # line (the concern may be dizziness or a racing heart).
    clinic_first: bool = False


def crisis_screen(
    alerts: Sequence[Any], *, concern: bool = False, private_words: bool = False
) -> CrisisScreen:
    """The screen's sentences: for urgent answers, else for crisis words (in a saved note or
    shared entry, whose alert the care team has; or in a private entry, ``private_words``,
    which raised none), else for “Something concerns me”."""
    urgent = [a.rule_id for a in alerts if a.is_urgent]
    if urgent:
        return CrisisScreen(
            str(wording.URGENT_TITLE),
            wording.urgent_reasons(urgent),
            str(wording.URGENT_INTRO),
            str(wording.CARE_TEAM_TOLD),
        )
    concern_words = concern and any(
        speaks_of_self_harm(str((a.triggering_answers or {}).get("text", ""))) for a in alerts
    )
    if private_words or concern_words or any(_wrote_crisis_words(a) for a in alerts):
        return CrisisScreen(
            str(wording.WORDS_TITLE),
            [str(wording.WORDS_REASON)],
            str(wording.URGENT_INTRO),
            None if private_words else str(wording.CARE_TEAM_TOLD),
        )
    if concern:
        return CrisisScreen(
            str(wording.CONCERN_TITLE), [], str(wording.CONCERN_INTRO), None, clinic_first=True
        )
    return CrisisScreen(
        str(wording.URGENT_TITLE), [], str(wording.URGENT_INTRO), str(wording.CARE_TEAM_TOLD)
    )
