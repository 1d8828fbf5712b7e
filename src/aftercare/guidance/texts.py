"""Short guidance for each phase of recovery, in our own words.

Facts come from the source article (shared/seeds/after-infusion-navigating-recovery.md);
the fuller content library is built on top of these in the guidance issue.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aftercare.guidance.phases import Phase


@dataclass(frozen=True)
class PhaseText:
    title: Promise
    summary: Promise
    do: tuple[Promise, ...] = ()
    avoid: tuple[Promise, ...] = ()


PHASE_TEXTS: dict[Phase, PhaseText] = {
    Phase.NOT_STARTED: PhaseText(
        _("Before your first treatment"),
        _(
            "Your care team will set your first appointment. Daily check-ins now give a baseline "
            "to compare with later."
        ),
        do=(_("Check in once a day, even on ordinary days."),),
    ),
    Phase.IN_SESSION: PhaseText(
        _("Treatment in progress"),
        _("Your treatment is under way. The clinic team is with you."),
    ),
    Phase.IMMEDIATE: PhaseText(
        _("The first two hours"),
        _(
            "The effects clear over one to two hours. Feeling groggy, spacey or a little sick is "
            "common and fades. The clinic checks your vital signs before you leave."
        ),
        do=(_("Stay seated until staff say you can stand."), _("Get up slowly.")),
        avoid=(_("Do not leave on your own."),),
    ),
    Phase.GETTING_HOME: PhaseText(
        _("Getting home"),
        _("Someone else drives you home. Once there, settle somewhere quiet and comfortable."),
        do=(_("Have a light snack and some water."), _("Rest.")),
        avoid=(_("Do not drive today."),),
    ),
    Phase.TREATMENT_DAY: PhaseText(
        _("The rest of treatment day"),
        _("Tiredness and mild after-effects are normal today. Treat the day as a rest day."),
        do=(
            _("Rest, eat lightly and drink water."),
            _("Write down what you noticed during treatment while it is fresh."),
        ),
        avoid=(
            _("No driving or operating machinery."),
            _("No alcohol."),
            _("No big decisions today."),
        ),
    ),
    Phase.DAY_1: PhaseText(
        _("Day 1: the emergence window"),
        _(
            "Many people notice a change in mood the day after treatment; some notice nothing yet, "
            "which is also common. Most people can go back to work or school on day 1 or 2."
        ),
        do=(_("Check in today: the first three days show your pattern."),),
        avoid=(_("Keep avoiding alcohol."), _("Hold off on high-stakes decisions.")),
    ),
    Phase.DAY_2: PhaseText(
        _("Day 2: the emergence window"),
        _("Effects often grow stronger on day 2. Light exercise can usually start again today."),
        do=(_("Check in today."), _("A walk or gentle exercise can help.")),
        avoid=(_("Keep avoiding alcohol."),),
    ),
    Phase.DAY_3: PhaseText(
        _("Day 3: the emergence window"),
        _(
            "Most people reach their peak response by about 72 hours. If you notice little change, "
            "that does not mean treatment failed: some people respond gradually over a series."
        ),
        do=(_("Check in today."),),
    ),
    Phase.FIRST_WEEK: PhaseText(
        _("The first week"),
        _(
            "Your brain is especially open to new patterns for days to about two weeks. It is a "
            "good time for therapy, new routines and time with people you trust."
        ),
        do=(_("Keep a regular sleep schedule."), _("Move your body every day.")),
        avoid=(_("Keep alcohol to a minimum for several days."),),
    ),
    Phase.WEEKS_2_4: PhaseText(
        _("Weeks 2 to 4"),
        _(
            "This is when the shape of your response shows: steady, fading, up and down, "
            "or not yet clear. Your check-ins help your care team see it."
        ),
        do=(
            _(
                "Tell your clinic early if benefits start to fade; do not wait until you are back "
                "where you started."
            ),
        ),
    ),
    Phase.MAINTENANCE: PhaseText(
        _("Maintenance"),
        _(
            "After the first series, some people need boosters every few weeks, some less often, "
            "some not at all. Your history guides the timing."
        ),
        do=(_("Keep checking in so changes show early."),),
    ),
    Phase.LONG_TERM: PhaseText(
        _("The long term"),
        _(
            "Keep building on what helped: therapy, habits and people. A bad day does not mean "
            "treatment failed."
        ),
        do=(_("Keep your setback plan up to date."),),
    ),
}
