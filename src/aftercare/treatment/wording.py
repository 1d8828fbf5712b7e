"""The words of the discharge sheet, in one place for clinicians to review and tests to assert.

Our own words, carrying over the facts of the seed article
(shared/seeds/after-infusion-navigating-recovery.md): "Immediate Post-Infusion Period (0-2 Hours)",
"Getting Home", "The Rest of Treatment Day" (what to do and avoid), "Practical Considerations"
(back to work within 1–2 days, keep avoiding alcohol for several days, exercise gently) and
"Warning Signs to Watch For". The driving rule for esketamine (not until the next day after a
restful sleep) is from the Spravato label, CLINICAL.md §4 [V].
"""

from django.utils.translation import gettext_lazy as _

TITLE = _("After your treatment today")
INTRO = _(
    "Ketamine keeps working on you for the rest of the day. These notes say how to look after "
    "yourself, what is normal, and when to call us."
)

GETTING_HOME = (
    _("Let your driver take you straight home; skip errands and stops on the way."),
    _("Keep your phone aside and leave serious conversations for another day."),
    _("If you can, have someone with you for the rest of the day."),
)

TODAY_DO = (
    _("Rest in a calm, familiar place; dim the lights if brightness bothers you."),
    _("Sip water, and eat something light once you feel like it."),
    _("Sleep or lie down whenever you want to; doing very little is fine."),
    _("If you like, jot down what you noticed during the session while it is still fresh."),
)

TODAY_AVOID = (
    _("Driving, cycling or using machinery."),
    _("Alcohol, cannabis and other recreational drugs."),
    _("Important decisions, signing things, or difficult conversations."),
    _("Work, demanding tasks, hard exercise and stressful places or people."),
)

NORMAL_AGAIN = (
    _("Work or study: most people are back within one or two days."),
    _("Gentle exercise, such as a walk: from the second day after treatment; build up slowly."),
    _("Driving: not today. Wait until the next day after a full night's sleep, and until you "
      "feel completely yourself again."),
    _("Alcohol: keep avoiding it for several days."),
    _("Big decisions: give yourself a few days first."),
)  # fmt: skip

EXPECTED = (
    _("Feeling tired, spacey or a little detached: this usually fades over the day."),
    _("Mild nausea, dizziness or a light headache."),
    _("Waves of emotion, or thoughts that feel different: this is part of the process."),
)

WARNING_SIGNS = (
    _("Your depression gets worse, or thoughts of suicide appear or come back."),
    _("Severe anxiety or panic attacks."),
    _("Seeing or hearing things others do not, or feeling that people are against you."),
    _("A detached, unreal or dreamlike feeling that has not faded by tomorrow."),
    _("A strong urge to use ketamine outside the clinic."),
    _("Anything else that worries you."),
)

FOR_THE_DRIVER = (
    _("Take them straight home and help them settle in."),
    _("Stay with them for a while if you can; they should not drive or make big decisions today."),
    _("When you arrive, please confirm it below so the clinic knows they are home safely."),
)
