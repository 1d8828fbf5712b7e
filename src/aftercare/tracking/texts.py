"""What a patient reads about a questionnaire score, in plain words, in one place for review.

Bands: PHQ-9 Kroenke et al. 2001, GAD-7 Spitzer et al. 2006 (CLINICAL.md §1). A score informs;
it does not diagnose (PRODUCT.md, quality bars). The wording about thoughts of death or self-harm
follows CLINICAL.md §5 (PHQ-9 item 9 > 0: surface crisis resources the same day).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aftercare.tracking.instruments import Band, Instrument

BAND_LABELS: dict[str, Promise] = {
    "minimal": _("minimal"),
    "mild": _("mild"),
    "moderate": _("moderate"),
    "moderately_severe": _("moderately severe"),
    "severe": _("severe"),
}

EXPLANATIONS: dict[tuple[str, str], Promise] = {
    ("phq9", "minimal"): _(
        "Your answers show few or no signs of depression in the last two weeks."
    ),
    ("phq9", "mild"): _("Your answers show mild signs of depression in the last two weeks."),
    ("phq9", "moderate"): _(
        "Your answers show moderate signs of depression in the last two weeks."
    ),
    ("phq9", "moderately_severe"): _(
        "Your answers show moderately severe signs of depression in the last two weeks."
    ),
    ("phq9", "severe"): _("Your answers show severe signs of depression in the last two weeks."),
    ("gad7", "minimal"): _("Your answers show few or no signs of anxiety in the last two weeks."),
    ("gad7", "mild"): _("Your answers show mild anxiety in the last two weeks."),
    ("gad7", "moderate"): _("Your answers show moderate anxiety in the last two weeks."),
    ("gad7", "severe"): _("Your answers show severe anxiety in the last two weeks."),
}

NOT_A_DIAGNOSIS = _(
    "A questionnaire score is not a diagnosis. Scores go up and down; what matters is the trend "
    "over weeks. Talk it over with your care team, especially if your score has gone up."
)

WARNING_ITEM = _(
    "You said you have had thoughts that you would be better off dead or of hurting yourself. "
    "You do not have to handle this alone: please reach out now."
)


def band_label(band: Band) -> str:
    return str(BAND_LABELS.get(band.key, band.label))


def band_explanation(instrument: Instrument, band: Band) -> str:
    text = EXPLANATIONS.get((instrument.key, band.key))
    if text is not None:
        return str(text)
    return str(
        _("Your score is in the “%(band)s” range of the %(name)s.")
        % {"band": band_label(band), "name": instrument.name}
    )
