"""Fixtures shared by the session tests: a session booked for Alice at 10:00 New York time on
10 March 2026, with the clock at noon that day."""

import pytest
import time_machine
from conftest import utc

from aftercare.treatment.models import Infusion
from aftercare.treatment.tests.records import book

NOW = "2026-03-10 16:00Z"  # 12:00 in New York


@pytest.fixture
def noon():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def session(alice, carol, noon) -> Infusion:
    return book(alice, carol, utc(2026, 3, 10, 14))
