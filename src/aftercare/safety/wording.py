"""Every crisis and safety sentence a patient reads, in one place for clinical review.

Our own words (never the seed article's sentences). Tests assert this text, so a change here
is a reviewed change. Numbers come from the clinic (Clinic.crisis_line_*, emergency_number,
phone); 988 is the US Suicide & Crisis Lifeline, call or text (CLINICAL.md §5).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Clinic

# The crisis screen: shown in the same response as an urgent answer.
HELP_TITLE = _("Help is available now")
OPEN_PLAN = _("Open your safety plan")
URGENT_TITLE = _("Your answers are saved. Please reach out now.")
URGENT_INTRO = _("You do not have to handle this alone. Talking to someone now can help.")
CARE_TEAM_TOLD = _(
    "Your care team has been told. They may not see it straight away, so please do not wait "
    "for them: use one of these numbers now."
)
EMERGENCY = _("If you are in danger right now, or might harm yourself, call %(number)s.")

# An answer about safety on a form that could not be saved: the care team is told at once
# (safety/screening.py, screen_unsaved_*), the patient fixes the form.
UNSAVED_CHECK_IN = _(
    "You answered yes to a question about your safety. Your care team has been told, but the "
    "rest of your check-in is not saved yet: please fix the answer marked below and save again."
)
UNSAVED_CHECK_IN_EDIT = _(
    "You answered yes to a question about your safety. Your care team has been told, but your "
    "change is not saved yet: please fix the answer marked below and save again."
)
UNSAVED_QUESTIONNAIRE = _(
    "You answered a question about your safety. Your care team has been told, but your answers "
    "are not saved yet: please fix the answer marked below and send them again."
)
UNSAVED_CHECK_IN_WORDS = _(
    "Some of what you wrote sounds like you may be thinking of ending your life or hurting "
    "yourself. Your care team has been told, but your check-in is not saved yet: please fix the "
    "answer marked below and save again."
)
UNSAVED_CHECK_IN_EDIT_WORDS = _(
    "Some of what you wrote sounds like you may be thinking of ending your life or hurting "
    "yourself. Your care team has been told, but your change is not saved yet: please fix the "
    "answer marked below and save again."
)
HELP_NOW = _("If you need help now, do not wait:")

# Crisis words (safety.rules.speaks_of_self_harm) in a saved check-in note or journal entry.
WORDS_TITLE = _("Saved. Help is here if you need it.")
WORDS_REASON = _(
    "Some of what you wrote sounds like you may be thinking of ending your life or hurting "
    "yourself."
)
WORDS_PRIVATE = _(
    "Your care team has not been told. If you would like them to know, share the entry with "
    "them or tell them what worries you."
)

# What the patient told us, in their terms, per rule that can make the screen urgent.
URGENT_REASONS: dict[str, Promise] = {
    "suicidal_thoughts": _("You told us you have had thoughts of suicide or of hurting yourself."),
    "phq9_item9": _(
        "Your answers say you have been thinking you would be better off dead, or of hurting "
        "yourself."
    ),
    "psychotic_symptoms": _(
        "You told us you have been seeing or hearing things others do not, or feeling that "
        "people are against you."
    ),
}

# After “Something concerns me”.
CONCERN_TITLE = _("Your care team has been told")
CONCERN_INTRO = _(
    "Someone from your care team will get in touch. If it cannot wait, or if you feel unsafe, "
    "use one of these numbers now."
)
CONCERN_BUTTON = _("Something concerns me")
CONCERN_PROMPT = _("Tell your care team what worries you")  # the form marks it optional
CONCERN_SEND = _("Tell my care team")
CONCERN_PAGE_INTRO = _(
    "Anything that worries you is worth telling your care team: a symptom, a feeling, a "
    "question. Someone will get in touch."
)
IF_IT_CANNOT_WAIT = _("If it cannot wait")

# Contact options.
CALL_CRISIS = _("Call %(number)s — %(name)s")
TEXT_CRISIS = _("Text %(number)s")
CALL_CLINIC = _("Call your clinic: %(number)s")
CALL_EMERGENCY = _("Call %(number)s (emergency)")

# Status of what the patient sent, on their own pages.
# What it was (by Alert.Source) and when it was sent, so it is not read as about the last thing
# the patient did (e.g. a private journal entry saved just now).
STATUS_WHAT = {
    "check_in": _("your check-in"),
    "scale": _("your questionnaire"),
    "journal": _("your shared journal entry"),
    "concern": _("your message"),
}
STATUS_WAITING = _(
    "About %(what)s of %(when)s: your care team has been told, and no one has opened it yet. "
    "If you need help now, use the numbers at the bottom of this page."
)
STATUS_SEEN = _("About %(what)s of %(when)s: your care team saw it at %(time)s.")
STATUS_RESOLVED = _(
    "About %(what)s of %(when)s: your care team saw it at %(time)s and has followed up."
)

# The safety & setback plan (seed article, “Planning for Setbacks”).
PLAN_INTRO = _(
    "Your plan for hard days, written with your care team. A bad day does not mean treatment "
    "has failed; this plan is for when things start to slide."
)
PLAN_EMPTY = _("Nothing written yet. You can start it, or fill it in with your clinician.")


@dataclass(frozen=True)
class ContactOption:
    label: str
    href: str
    primary: bool = False


def _tel(number: str) -> str:
    return "tel:" + number.strip()


def crisis_contacts(clinic: Clinic, *, clinic_first: bool = False) -> list[ContactOption]:
    """The numbers to offer in a crisis, most direct first; with ``clinic_first`` (a concern
    that is not a crisis), the clinic, then emergencies, then the crisis line. Empty numbers
    are left out."""
    crisis, clinic_options, emergency = [], [], []
    if clinic.crisis_line_phone:
        crisis.append(
            ContactOption(
                str(CALL_CRISIS)
                % {"number": clinic.crisis_line_phone, "name": clinic.crisis_line_name},
                _tel(clinic.crisis_line_phone),
                primary=not clinic_first,
            )
        )
    if clinic.crisis_line_text:
        crisis.append(
            ContactOption(
                str(TEXT_CRISIS) % {"number": clinic.crisis_line_text},
                "sms:" + clinic.crisis_line_text.strip(),
            )
        )
    if clinic.phone:
        clinic_options.append(
            ContactOption(
                str(CALL_CLINIC) % {"number": clinic.phone},
                _tel(clinic.phone),
                primary=clinic_first,
            )
        )
    if clinic.emergency_number:
        emergency.append(
            ContactOption(
                str(CALL_EMERGENCY) % {"number": clinic.emergency_number},
                _tel(clinic.emergency_number),
            )
        )
    if clinic_first:
        return clinic_options + emergency + crisis
    return crisis + clinic_options + emergency


def emergency_sentence(clinic: Clinic) -> str:
    return str(EMERGENCY) % {"number": clinic.emergency_number}


def urgent_reasons(rule_ids: list[str]) -> list[str]:
    """The patient-facing sentence for each urgent rule that fired, once each, in order."""
    seen: list[str] = []
    for rule_id in rule_ids:
        reason = URGENT_REASONS.get(rule_id)
        if reason is not None and str(reason) not in seen:
            seen.append(str(reason))
    return seen
