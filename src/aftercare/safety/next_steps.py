"""What the patient reads right after a submission that raised a high alert which is not a
crisis: panic, dissociation that has not cleared, urges to use ketamine, mood or PHQ-9 well
below where they started.

Before this, such a check-in got the usual "thank you": the care team knew, the patient did not
know that they knew, when they would look, or what to do in the meantime. The screen says all
three, then offers the clinic first (safety.wording.crisis_contacts, clinic_first), since these
are not suicide crises; urgent answers and crisis words keep the crisis screen
(safety.crisis.shows_crisis_screen), which this never replaces.

One decision for the web pages and the API (api/crisis.py), like the crisis screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from aftercare.safety.crisis import shows_crisis_screen

# Answers about suicide that are not urgent (PHQ-9 item 9 "several days") keep the page that puts
# the crisis numbers beside them (CLINICAL.md §5), not this clinic-first screen.
SUICIDE_RULES = frozenset({"suicidal_thoughts", "phq9_item9"})

TITLE = _("Saved. Here is what to do now.")
TOLD = _("Your care team has been told and aims to look at this within %(time)s.")
IF_WORSE = _("If it gets worse before they reach you, do not wait:")

# Low mood, on the check-in scale or the PHQ-9: seed article, “Warning Signs to Watch For”
# (worsening depression) and “Maintenance Planning” (do not wait to be back at baseline before
# asking about the next treatment).
_LOW_MOOD_STEPS = (
    _(
        "You do not have to push through this alone. Your care team can talk with you about what "
        "comes next, including when your next treatment should be."
    ),
    _(
        "Keep to small, steady things today: sleep at your usual time, eat, take a short walk, "
        "send a message to someone you trust."
    ),
    _("If thoughts of suicide or of hurting yourself come, call one of the numbers below at once."),
)


@dataclass(frozen=True)
class Advice:
    reason: Promise  # what the patient told us, in their terms
    steps: tuple[Promise, ...]  # what to do now, most important first


ADVICE: dict[str, Advice] = {
    # Seed article: severe anxiety or panic attacks are a warning sign. Slow breathing with a long
    # out-breath, and knowing that panic passes: NHS, “Panic disorder” (self-help). Chest pain or
    # breathlessness is not to be waited out as panic: NHS, “Chest pain” (call 999).
    "severe_anxiety": Advice(
        _("You told us about severe anxiety or panic."),
        (
            _(
                "If panic comes, sit or lie down somewhere safe. Breathe in gently through your "
                "nose and out slowly through your mouth, letting each breath out last longer than "
                "the breath in. Keep going for a few minutes: panic passes, even when it feels as "
                "if it will not."
            ),
            _("Ask someone you trust to stay with you, or to stay on the phone with you."),
            _("Leave coffee and alcohol for now: both can make anxiety worse."),
            _(
                "Chest pain, breathlessness that does not ease, or fainting are not something to "
                "wait out: call the emergency number."
            ),
        ),
    ),
    # Seed article: prolonged dissociation is a warning sign; no driving until fully back to
    # normal, no big decisions just after treatment. Acute dissociation usually clears within
    # about 1.5 hours (TRANSFORM-2, Popova et al. 2019; safety/rules.py).
    "prolonged_dissociation": Advice(
        _("You told us you still feel detached or unreal, on a day after your treatment."),
        (
            _(
                "Stay somewhere safe and familiar, with someone if you can. Do not drive, cycle "
                "or use machines until you feel fully yourself again."
            ),
            _(
                "Grounding can help: feel your feet on the floor, hold something cold, and name "
                "five things you can see."
            ),
            _("Leave big decisions for later."),
            _(
                "If you become confused, see or hear things others do not, or feel unsafe, call "
                "the clinic now, or the emergency number."
            ),
        ),
    ),
    # Seed article: intense urges to use ketamine outside medical settings are a warning sign;
    # abuse and misuse monitoring: SPRAVATO label (REMS).
    "ketamine_cravings": Advice(
        _("You told us about urges to use ketamine outside the clinic."),
        (
            _(
                "Telling your care team was the right thing to do. They will talk it through "
                "with you."
            ),
            _(
                "Urges rise and fall. Put off acting on this one, and do something that takes your "
                "attention: a walk, a shower, a call to a friend."
            ),
            _(
                "Stay away from ketamine your clinic has not given you. If you have taken some, "
                "do not drive and do not stay on your own."
            ),
        ),
    ),
    "mood_worsening": Advice(
        _("Your mood has been much lower than before your treatment for a few days."),
        _LOW_MOOD_STEPS,
    ),
    "phq9_worsening": Advice(
        _("Your answers show your depression is worse than before your treatment."),
        _LOW_MOOD_STEPS,
    ),
    "phq9_loss_of_response": Advice(
        _("Your answers show your symptoms are back to where they were before treatment."),
        _LOW_MOOD_STEPS,
    ),
}


@dataclass(frozen=True)
class NextSteps:
    title: str
    told: str  # that the care team knows, and how soon they aim to look
    reasons: list[str]
    steps: list[str]
    if_worse: str


def within(minutes: int) -> str:
    """A response time as a patient says it: "4 hours", "30 minutes", "1 hour 30 minutes"."""
    hours, rest = divmod(max(1, minutes), 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if rest:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", rest) % {"n": rest})
    return " ".join(parts)


def next_steps(alerts: Sequence[Any], *, ack_minutes: int) -> NextSteps | None:
    """The screen for ``alerts`` raised by one submission, or None: no high alert with advice,
    or the crisis screen shows instead. ``ack_minutes``: the clinic's time to acknowledge a high
    alert (SafetySettings.high_ack_minutes)."""
    if shows_crisis_screen(alerts) or any(a.rule_id in SUICIDE_RULES for a in alerts):
        return None
    fired: list[str] = []
    for alert in alerts:
        if alert.severity == "high" and alert.rule_id in ADVICE and alert.rule_id not in fired:
            fired.append(alert.rule_id)
    if not fired:
        return None
    steps: list[str] = []
    for rule_id in fired:
        steps += [str(step) for step in ADVICE[rule_id].steps if str(step) not in steps]
    return NextSteps(
        title=str(TITLE),
        told=str(TOLD) % {"time": within(ack_minutes)},
        reasons=[str(ADVICE[rule_id].reason) for rule_id in fired],
        steps=steps,
        if_worse=str(IF_WORSE),
    )
