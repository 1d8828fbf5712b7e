"""Tracking pieces for pages that other apps render (patient home, patient record)."""

from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Patient
from aftercare.audit.actions import record
from aftercare.tracking.actions import can_edit
from aftercare.tracking.instruments import INSTRUMENTS
from aftercare.tracking.models import CheckIn
from aftercare.tracking.queries import due_for_patient
from aftercare.tracking.schedule import Reason
from aftercare.treatment.models import Infusion

register = template.Library()

SHARED_ENTRIES_SHOWN = 20


def _reason_text(reason: Reason) -> str:
    return {
        Reason.BASELINE: _("a starting point before treatment"),
        Reason.BEFORE_INFUSION: _("before your next treatment"),
        Reason.AFTER_INFUSION: _("a check on how the last treatment worked"),
        Reason.WEEKLY: _("your weekly check"),
        Reason.MAINTENANCE: _("your regular check"),
    }[reason]


@register.simple_tag
def scales_due(patient: Patient, infusions: list[Infusion] | None = None) -> list[dict[str, Any]]:
    """Questionnaires due now for the patient, each with its name, why, and where to fill it.
    ``infusions``: the patient's infusions when the page has read them already."""
    return [
        {
            "key": due.instrument,
            "name": INSTRUMENTS[due.instrument].name,
            "reason": _reason_text(due.reason),
        }
        for due in due_for_patient(patient, timezone.now(), infusions)
        if due.instrument in INSTRUMENTS
    ]


@register.filter
def editable(check_in: CheckIn) -> bool:
    return can_edit(check_in)


@register.inclusion_tag("tracking/includes/shared_journal.html", takes_context=True)
def shared_journal(context: template.Context, patient: Patient) -> dict[str, Any]:
    """The patient's journal entries shared with the care team; private ones never leave here.

    Showing an entry to staff is a read of health data: each one shown is audited.
    """
    request = context.get("request")
    entries = list(
        patient.journal_entries.filter(shared_with_care_team=True)[:SHARED_ENTRIES_SHOWN]
    )
    for entry in entries:
        record(
            request,
            action="view",
            what="shared journal entry",
            patient=patient,
            object_id=entry.pk,
        )
    return {"entries": entries, "patient": patient}
