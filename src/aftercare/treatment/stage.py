"""Where a session stands, as staff should read it. Computed from the record; never stored.

``Infusion.Status`` says what the record is for (outcomes, insights and the API count
"completed" doses from it): it turns "completed" as soon as the end of the dose is recorded.
A nurse reading "Completed" would think the patient had gone home while they are still in the
chair under observation, so pages for staff show the stage instead:

booked → arrived → dosing → recovering → discharged, or cancelled / no-show.

A dose recorded after the fact ("Record a past infusion", or imported history) never went
through the chair here: it has no arrival and no discharge, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from aftercare.treatment.models import Infusion


class Stage(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ARRIVED = "arrived", _("Arrived")
    DOSING = "dosing", _("Dosing")
    RECOVERING = "recovering", _("Recovering")
    DISCHARGED = "discharged", _("Discharged")
    RECORDED = "recorded", _("Given (recorded afterwards)")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


# The stages of a patient who is in the clinic for the session now.
IN_THE_CHAIR = frozenset({Stage.ARRIVED, Stage.DOSING, Stage.RECOVERING})


@dataclass(frozen=True)
class SessionStage:
    stage: Stage
    since: datetime | None  # when the stage began (arrival, start, end, discharge)

    @property
    def label(self) -> str:
        return str(self.stage.label)

    @property
    def in_the_chair(self) -> bool:
        return self.stage in IN_THE_CHAIR

    def __str__(self) -> str:
        return self.label


def stage_of(infusion: Infusion) -> SessionStage:
    """The stage of ``infusion``. Reads ``infusion.discharge``: select it with the session
    (``select_related("discharge")``) when listing many."""
    if infusion.status == Infusion.Status.CANCELLED:
        return SessionStage(Stage.CANCELLED, None)
    if infusion.status == Infusion.Status.NO_SHOW:
        return SessionStage(Stage.NO_SHOW, None)
    discharge = getattr(infusion, "discharge", None)
    if discharge is not None:
        return SessionStage(Stage.DISCHARGED, discharge.discharged_at)
    if infusion.ended_at is not None:
        if infusion.arrived_at is None:
            return SessionStage(Stage.RECORDED, infusion.ended_at)
        return SessionStage(Stage.RECOVERING, infusion.ended_at)
    if infusion.started_at is not None:
        return SessionStage(Stage.DOSING, infusion.started_at)
    if infusion.arrived_at is not None:
        return SessionStage(Stage.ARRIVED, infusion.arrived_at)
    return SessionStage(Stage.BOOKED, None)
