"""What to expect, do and avoid in each phase of recovery, in our own words.

Facts come from the source article (shared/seeds/after-infusion-navigating-recovery.md, section
named beside each phase) and CLINICAL.md where noted. Longer reading lives in the content library.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aftercare.guidance.phases import Phase


@dataclass(frozen=True)
class PhaseText:
    title: Promise
    summary: Promise
    expect: tuple[Promise, ...] = ()
    do: tuple[Promise, ...] = ()
    avoid: tuple[Promise, ...] = ()
    activities: tuple[Promise, ...] = ()  # when normal activities come back
    staff_title: Promise | None = None  # for the care team, where the title says "your"


NO_DRIVING = _("No driving or operating machinery until the day after, after a night's sleep.")
NO_ALCOHOL = _("No alcohol.")
NO_BIG_DECISIONS = _("No big decisions: leave important choices for a few days.")

PHASE_TEXTS: dict[Phase, PhaseText] = {
    Phase.NOT_STARTED: PhaseText(
        _("Before your first treatment"),
        _(
            "A daily check-in now gives a baseline: the picture of how you feel before treatment, "
            "so you and your care team can see what changes afterwards."
        ),
        do=(
            _("Check in once a day, even on ordinary days."),
            _("Plan a ride home for treatment day: you cannot drive yourself."),
            _("Keep the rest of treatment day free."),
        ),
        staff_title=_("Before the first treatment"),
    ),
    # Article: "Immediate Post-Infusion Period (0-2 Hours)".
    Phase.IN_SESSION: PhaseText(
        _("Treatment in progress"),
        _(
            "Your treatment is under way and the clinic team is with you. A session usually "
            "lasts 40 to 60 minutes."
        ),
    ),
    Phase.IMMEDIATE: PhaseText(
        _("The first two hours"),
        _(
            "The effects wear off over one to two hours. The clinic keeps an eye on you until "
            "you are steady."
        ),
        expect=(
            _("Feeling spacey, detached or drowsy, fading bit by bit."),
            _("Colours, sounds or time may still seem a little different."),
            _("Possibly some nausea or light-headedness."),
        ),
        do=(
            _("Stay seated until the staff say you can stand."),
            _("Get up slowly."),
            _("Tell the staff if you feel unwell."),
        ),
        avoid=(_("Do not leave on your own: your ride takes you home."),),
    ),
    # Article: "Getting Home".
    Phase.GETTING_HOME: PhaseText(
        _("Getting home"),
        _("Someone else drives you home. Once there, settle somewhere calm and comfortable."),
        expect=(_("Tiredness, and a wish to lie down."),),
        do=(
            _("Sit in the passenger seat or the back and rest on the way."),
            _("Have water and a light snack when you feel like it."),
            _("Make yourself comfortable: blanket, quiet, dim light if you like."),
        ),
        avoid=(NO_DRIVING, NO_ALCOHOL),
    ),
    # Article: "The Rest of Treatment Day".
    Phase.TREATMENT_DAY: PhaseText(
        _("The rest of treatment day"),
        _(
            "Treat today as a rest day. Tiredness and mild after-effects are normal, and it is "
            "fine to do very little."
        ),
        expect=(
            _("Tiredness or an early night."),
            _("Feeling a little fragile or emotional."),
            _("Thoughts about what you noticed during treatment."),
        ),
        do=(
            _("Rest, eat lightly and drink water."),
            _("Write down what you noticed during treatment while it is fresh."),
            _("Keep the day quiet and gentle; company you trust is welcome."),
        ),
        avoid=(
            NO_DRIVING,
            NO_ALCOHOL,
            NO_BIG_DECISIONS,
            _("Hard exercise, stressful places or people."),
            _("Pushing yourself to be productive."),
        ),
    ),
    # Article: "Days 1-3: The Emergence Window", "Physical Recovery".
    Phase.DAY_1: PhaseText(
        _("Day 1: the emergence window"),
        _(
            "The first three days are when most change shows. Today some people already feel "
            "different; others notice nothing yet, which is common too."
        ),
        expect=(
            _("Depression may feel lighter and thoughts less negative."),
            _("Energy may start to shift."),
            _(
                "The spacey feeling has usually gone by now; a mild headache or odd sleep can "
                "linger briefly."
            ),
        ),
        do=(
            _("Check in today: the first three days show your pattern."),
            _("Let emotions come and go; journal what comes up."),
        ),
        avoid=(_("Keep avoiding alcohol."), _("Hold off on high-stakes decisions.")),
        activities=(
            _("Work or school: most people go back on day 1 or 2."),
            _("Driving: once you feel fully normal."),
        ),
    ),
    Phase.DAY_2: PhaseText(
        _("Day 2: the emergence window"),
        _("For many people the effect grows on day 2, and improvement becomes clearer."),
        expect=(
            _("Mood may keep lifting."),
            _("Interest in things may return."),
            _("Sleep may improve."),
        ),
        do=(_("Check in today."), _("A walk or gentle exercise is fine from today.")),
        avoid=(_("Keep avoiding alcohol."),),
        activities=(_("Exercise can usually start again today."),),
    ),
    Phase.DAY_3: PhaseText(
        _("Day 3: the emergence window"),
        _(
            "Around 72 hours is when the response to one infusion usually peaks, so today gives a "
            "good sense of how this treatment is working for you."
        ),
        expect=(_("For people who respond, this is often the best point of the first few days."),),
        do=(_("Check in today."), _("Note anything you want to ask at your next visit.")),
        avoid=(_("Keep avoiding alcohol."),),
    ),
    # Article: "The First Week", "The Neuroplasticity Window", "Practical Considerations".
    Phase.FIRST_WEEK: PhaseText(
        _("The first week"),
        _(
            "For several days to about two weeks your brain is especially open to new patterns. "
            "Use it on purpose: therapy, new habits and time with people who are good for you."
        ),
        do=(
            _("Go to integration or therapy sessions if you have them."),
            _("Keep a regular sleep schedule."),
            _("Move your body every day."),
            _("Try one small new habit."),
        ),
        avoid=(
            _("Keep avoiding alcohol for several days after a treatment."),
            _("Avoid high-stakes decisions in the first few days."),
        ),
    ),
    # Article: "Weeks 2-4: Sustaining and Building", "If Benefits Begin to Fade".
    Phase.WEEKS_2_4: PhaseText(
        _("Weeks 2 to 4"),
        _(
            "Now the shape of your response shows: steady improvement, a gradual fade, ups and "
            "downs, or no clear change yet. Your check-ins let your care team see it."
        ),
        expect=(_("Good days and bad days: look at the overall trend, not one day."),),
        do=(
            _(
                "Tell your clinic early if benefits start to fade; do not wait until you are back "
                "where you started."
            ),
            _("Keep the habits that help."),
        ),
    ),
    # Article: "The Maintenance Phase".
    Phase.MAINTENANCE: PhaseText(
        _("Maintenance"),
        _(
            "After the first series, some people need a booster every few weeks, some less often, "
            "and some not at all. Your own history guides the timing."
        ),
        do=(
            _("Keep checking in so changes show early."),
            _("Ask about a booster when you notice early signs of slipping."),
        ),
    ),
    # Article: "Long-Term Considerations", "Planning for Setbacks".
    Phase.LONG_TERM: PhaseText(
        _("The long term"),
        _(
            "Keep building on what helped: therapy, habits and people. A bad day does not mean "
            "the treatment has failed."
        ),
        do=(_("Keep your setback plan up to date."), _("Keep seeing your care team as agreed.")),
    ),
}

# Article: "If you don't feel different yet" and "If You're Not Responding".
GRADUAL_RESPONSE = PhaseText(
    _("If you do not feel different yet"),
    _(
        "That is common and does not mean ketamine will not work for you. Some people improve "
        "gradually over several treatments, which is why a series is usual. Talk it through with "
        "your care team at your next visit."
    ),
)

# Article: "If You're Not Responding". Shown after the series when the care team's review flag
# for non-response is raised (insights.patient.NonResponseFlag), instead of maintenance reading
# that assumes relief.
NOT_RESPONDING = PhaseText(
    _("If the series has not helped enough"),
    _(
        "Not everyone responds to ketamine, and that does not mean you cannot be helped: there "
        "are many other treatments for depression. Your care team will go through your results "
        "with you and plan what comes next."
    ),
    do=(
        _("Ask whether more treatments, or a change to the plan, could help."),
        _("Talk about anything that may be getting in the way, such as sleep or other medicines."),
        _("Ask what other options there are."),
        _("Keep checking in: it shows your care team how you are doing."),
    ),
)
