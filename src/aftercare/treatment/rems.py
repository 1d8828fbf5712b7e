"""Esketamine (Spravato) REMS: what the patient monitoring form asks for, and when it is due.

CLINICAL.md §4: treatment in a certified setting, and a Patient Monitoring Form submitted within
7 days of each session [S, vendor page]. The field list below is what that summary and the
label's monitoring rules name [S]: patient, dose, date and time, blood pressure before the dose
and about 40 minutes after, sedation and dissociation observed, adverse events, and the time the
patient was ready to leave. VERIFY against the current REMS form before relying on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext as _

from aftercare.treatment.models import ClinicProtocol, Infusion, MonitoringRound

DUE_WITHIN_DAYS = 7  # CLINICAL.md §4 [S]


@dataclass(frozen=True)
class RemsField:
    label: str
    value: str  # "" when the record does not hold it yet

    @property
    def missing(self) -> bool:
        return not self.value


def due_on(infusion: Infusion, tz: ZoneInfo) -> date | None:
    """The last day (clinic time) to submit the form: 7 days after the session."""
    if infusion.ended_at is None:
        return None
    return infusion.ended_at.astimezone(tz).date() + timedelta(days=DUE_WITHIN_DAYS)


def _when(at: datetime | None, tz: ZoneInfo) -> str:
    if at is None:
        return ""
    return formats.date_format(at.astimezone(tz), "j M Y, H:i")


def _bp(r: MonitoringRound | None) -> str:
    if r is None or r.systolic_mmhg is None or r.diastolic_mmhg is None:
        return ""
    return f"{r.systolic_mmhg}/{r.diastolic_mmhg} mmHg"


def form_fields(
    infusion: Infusion, rounds: Sequence[MonitoringRound], protocol: ClinicProtocol
) -> list[RemsField]:
    """Each REMS form field [S] with the value the record holds."""
    tz = infusion.patient.clinic.tz
    pre = [r for r in rounds if r.kind == MonitoringRound.Kind.PRE_DOSE]
    after = [r for r in rounds if r.kind == MonitoringRound.Kind.ROUND]
    bp_after = None
    if infusion.ended_at is not None:
        low = timedelta(minutes=protocol.esketamine_bp_check_from_minutes)
        high = timedelta(minutes=protocol.esketamine_bp_check_to_minutes)
        bp_after = next(
            (
                r
                for r in after
                if r.systolic_mmhg is not None and low <= r.taken_at - infusion.ended_at <= high
            ),
            None,
        )
    moaas = [r.moaas for r in after if r.moaas is not None]
    dissociation = [r.dissociation for r in after if r.dissociation is not None]
    discharge = getattr(infusion, "discharge", None)
    total = infusion.total_mg
    return [
        RemsField(_("Patient"), infusion.patient.display_name),
        RemsField(_("Date and time of the dose"), _when(infusion.started_at, tz)),
        RemsField(_("Dose (mg)"), f"{total.normalize():f} mg" if total is not None else ""),
        RemsField(_("Blood pressure before the dose"), _bp(pre[-1] if pre else None)),
        RemsField(
            _("Blood pressure about 40 minutes after the dose"),
            f"{_bp(bp_after)} ({_when(bp_after.taken_at, tz)})" if bp_after else "",
        ),
        RemsField(
            _("Sedation observed (lowest MOAA/S)"),
            (_("Yes, lowest MOAA/S %(v)s") % {"v": min(moaas)} if min(moaas) < 5 else _("No"))
            if moaas
            else "",
        ),
        RemsField(
            _("Dissociation observed (highest rating 0–4)"),
            (
                _("Yes, highest rating %(v)s") % {"v": max(dissociation)}
                if max(dissociation) > 0
                else _("No")
            )
            if dissociation
            else "",
        ),
        RemsField(_("Adverse events"), discharge.adverse_events if discharge else ""),
        RemsField(
            _("Time the patient was ready to leave"),
            _when(discharge.discharged_at, tz) if discharge else "",
        ),
    ]
