import pytest
import time_machine

from aftercare.outcomes import memory
from aftercare.outcomes.tests.helpers import NOW, fading, give_history


@pytest.fixture
def histories(alice, bob, carol):
    """Alice fading after a PHQ-9 response, Bob flat at 4; nothing kept in this process."""
    with time_machine.travel(NOW, tick=False):
        give_history(alice, by=carol, mood=fading, phq9=[(0, 20, 2), (26, 8, 0)])
        give_history(bob, by=carol, mood=lambda d: 4)
    memory.clear()
    return alice, bob
