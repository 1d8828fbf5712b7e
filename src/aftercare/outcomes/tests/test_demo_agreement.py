"""On the demo clinic the classes agree with the simulated archetypes (demo/simulate.py)."""

from collections import Counter

import pytest
import time_machine

from aftercare.accounts.models import Patient
from aftercare.demo.load import load_demo_clinic
from aftercare.demo.simulate import Archetype, simulate_clinic
from aftercare.insights.definitions import DEFAULT_DEFINITIONS
from aftercare.insights.trajectory import Trajectory
from aftercare.outcomes.selectors import insights_for_patients
from aftercare.outcomes.tests.helpers import NOW

EXPECTED = {
    Archetype.FADING: Trajectory.FADE,
    Archetype.MAINTAINED: Trajectory.SUSTAINED,
    Archetype.NON_RESPONDER: Trajectory.NO_RESPONSE,
}


@pytest.mark.django_db
@pytest.mark.slow
def test_fading_maintained_and_non_responders_are_recognised():
    with time_machine.travel(NOW, tick=False):
        clinic = load_demo_clinic(seed=11, now=NOW)
        patients = list(Patient.objects.filter(clinic=clinic).select_related("user", "clinic"))
        insights = insights_for_patients(patients, now=NOW, definitions=DEFAULT_DEFINITIONS)
    archetype = {p.email: p.archetype for p in simulate_clinic(seed=11, now=NOW)}
    tally: Counter[str] = Counter()
    for patient, insight in zip(patients, insights, strict=True):
        expected = EXPECTED.get(archetype[patient.user.email])
        got = insight.trajectory.trajectory
        if expected is None or got == Trajectory.NOT_ENOUGH_DATA:
            continue
        tally["judged"] += 1
        tally["agree"] += got == expected
    assert tally["judged"] >= 15
    assert tally["agree"] / tally["judged"] >= 0.8
    # Non-responders whose series is over are flagged for review.
    flagged = {
        p.user.email for p, i in zip(patients, insights, strict=True) if i.non_response is not None
    }
    non_responders = {e for e, a in archetype.items() if a == Archetype.NON_RESPONDER}
    assert len(flagged & non_responders) >= len(non_responders) - 1
