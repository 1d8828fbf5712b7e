"""Journal prompts that fit where the patient is in recovery, in our own words.

Three groups, following the source article (shared/seeds/after-infusion-navigating-recovery.md):

- FRESH, treatment day and days 1–3 ("The Rest of Treatment Day": capture the experience while it
  is fresh, write freely, note images, feelings and questions).
- INSIGHTS, days 4–14 of the neuroplasticity window ("The First Week": process insights, build
  habits; "Emotional Processing": journal about what comes up).
- APPOINTMENT, any other time (before treatment, weeks 3–4, maintenance, long term): questions and
  observations to bring to the next appointment ("When to Contact Your Provider").

The phase comes from the phase engine (guidance.phases); the boundary of the neuroplasticity
window is its ``in_neuroplasticity_window`` flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aftercare.guidance.phases import Phase, PhaseState


class PromptGroup(StrEnum):
    FRESH = "fresh"
    INSIGHTS = "insights"
    APPOINTMENT = "appointment"


@dataclass(frozen=True)
class Prompt:
    key: str
    text: Promise


GROUP_TITLES: dict[PromptGroup, Promise] = {
    PromptGroup.FRESH: _("While the experience is fresh"),
    PromptGroup.INSIGHTS: _("Making sense of what is changing"),
    PromptGroup.APPOINTMENT: _("For your next appointment"),
}

PROMPTS: dict[PromptGroup, tuple[Prompt, ...]] = {
    PromptGroup.FRESH: (
        Prompt("fresh-moments", _("What stands out from the session: images, sounds, moments?")),
        Prompt(
            "fresh-feelings", _("Which feelings came up, during or since? Any that surprised you?")
        ),
        Prompt(
            "fresh-free", _("Write whatever comes to mind, without trying to make sense of it.")
        ),
        Prompt("fresh-questions", _("What questions did the experience leave you with?")),
    ),
    PromptGroup.INSIGHTS: (
        Prompt("insight-seeing", _("Has anything shifted in how you see yourself or your life?")),
        Prompt("insight-habit", _("Which small habit would you like to start or keep this week?")),
        Prompt(
            "insight-easier",
            _("What feels easier than before, even a little? What still feels hard?"),
        ),
        Prompt(
            "insight-therapy", _("What would you like to work on in your next therapy session?")
        ),
    ),
    PromptGroup.APPOINTMENT: (
        Prompt("appt-questions", _("What do you want to ask your care team next time?")),
        Prompt(
            "appt-changes",
            _("What changes have you noticed since your last treatment, good or bad?"),
        ),
        Prompt("appt-setbacks", _("Were there hard days lately? What helped, even a little?")),
        Prompt("appt-timing", _("How long did the benefit seem to last this time?")),
    ),
}

FRESH_PHASES = frozenset(
    {
        Phase.IN_SESSION,
        Phase.IMMEDIATE,
        Phase.GETTING_HOME,
        Phase.TREATMENT_DAY,
        Phase.DAY_1,
        Phase.DAY_2,
        Phase.DAY_3,
    }
)


def prompt_group(state: PhaseState) -> PromptGroup:
    if state.phase in FRESH_PHASES:
        return PromptGroup.FRESH
    if state.in_neuroplasticity_window:
        return PromptGroup.INSIGHTS
    return PromptGroup.APPOINTMENT


def prompts_for(state: PhaseState) -> tuple[PromptGroup, tuple[Prompt, ...]]:
    group = prompt_group(state)
    return group, PROMPTS[group]


def prompt_by_key(key: str) -> Prompt | None:
    for prompts in PROMPTS.values():
        for prompt in prompts:
            if prompt.key == key:
                return prompt
    return None
