"""What each phase tells the patient to avoid keeps the source article's strength."""

import pytest

from aftercare.guidance.phases import Phase
from aftercare.guidance.texts import PHASE_TEXTS

# Seed article: "Avoid alcohol" on treatment day and "Continue avoiding alcohol (ideally for
# several days)" in the days after; softer words ("go easy") would read as permission.
ALCOHOL_PHASES = (
    Phase.TREATMENT_DAY,
    Phase.DAY_1,
    Phase.DAY_2,
    Phase.DAY_3,
    Phase.FIRST_WEEK,
)


@pytest.mark.parametrize("phase", ALCOHOL_PHASES)
def test_the_days_after_a_treatment_say_avoid_alcohol(phase):
    about_alcohol = [str(a) for a in PHASE_TEXTS[phase].avoid if "alcohol" in str(a).lower()]
    assert about_alcohol, phase
    for text in about_alcohol:
        assert text.startswith(("No alcohol", "Keep avoiding alcohol")), text
