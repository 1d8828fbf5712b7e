from datetime import datetime, timedelta

import pytest

from aftercare.tracking.actions import submit_check_in
from aftercare.treatment.models import Infusion


@pytest.fixture
def check_in():
    """Submit a check-in through the tracking app's own action (screening included)."""

    def _check_in(patient, at: datetime | None = None, **answers):
        answers.setdefault("mood", 6)
        return submit_check_in(patient=patient, answers=answers, submitted_at=at)

    return _check_in


@pytest.fixture
def infusion():
    """A completed 40-minute infusion ending at `ended_at`."""

    def _infusion(patient, ended_at: datetime) -> Infusion:
        started = ended_at - timedelta(minutes=40)
        return Infusion.objects.create(
            patient=patient,
            status=Infusion.Status.COMPLETED,
            scheduled_at=started,
            started_at=started,
            ended_at=ended_at,
        )

    return _infusion
