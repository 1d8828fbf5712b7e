"""What must hold before a patient leaves the clinic. No database writes.

The checklist follows the seed article ("Immediate Post-Infusion Period": the clinic monitors
vital signs, makes sure the patient is stable and oriented, can walk safely, has a ride, and
gives discharge instructions) and CLINICAL.md §4:

- observation: at least the clinic's minimum since the end of the infusion or dose. Intranasal
  esketamine: 2 h (Spravato label/REMS [V]); other routes: clinic default, 60 min [U].
- a monitoring round after the end, no older than the clinic's limit (30 min [U]);
- that round within the clinic's limits (vitals.concerns: no flag);
- esketamine only: blood pressure taken about 40 min after the dose (label [V]; the accepted
  window, 30–60 min, is a clinic setting [U]);
- PADSS total at least the clinic's minimum (Chung 1995: >= 9 fit for discharge [V]);
- oriented; walks steadily; ride confirmed (driver's name and phone); instructions given.

Anything not met is named. Discharging anyway needs an override reason, which is recorded with
the list of unmet criteria.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.treatment.models import ClinicProtocol, Infusion, MonitoringRound
from aftercare.treatment.vitals import concerns

# PADSS items other than vital signs, each 0-2 (Chung 1995). Only the vital-signs anchors are in
# CLINICAL.md §4 [V]; these anchors follow the published score from general knowledge [U].
PADSS_NAUSEA_PAIN = [
    (2, gettext_lazy("2 – minimal")),
    (1, gettext_lazy("1 – moderate, treated")),
    (0, gettext_lazy("0 – severe, needs treatment")),
]
PADSS_BLEEDING = [
    (2, gettext_lazy("2 – minimal")),
    (1, gettext_lazy("1 – moderate")),
    (0, gettext_lazy("0 – severe")),
]
PADSS_INTAKE_OUTPUT = [
    (2, gettext_lazy("2 – has had fluids and passed urine")),
    (1, gettext_lazy("1 – one of the two")),
    (0, gettext_lazy("0 – neither")),
]
PADSS_VITAL_SIGNS = [
    (2, gettext_lazy("2 – within 20 % of pre-dose")),
    (1, gettext_lazy("1 – 20–40 % from pre-dose")),
    (0, gettext_lazy("0 – more than 40 % from pre-dose")),
]


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    met: bool
    detail: str = ""

    def as_record(self) -> dict[str, str]:
        return {"code": self.code, "label": self.label, "detail": self.detail}


def padss_activity_item(*, oriented: bool, walks_steadily: bool) -> int:
    """PADSS activity and mental status [U anchors]: 2 = oriented and steady gait, 1 = one of
    the two, 0 = neither."""
    return int(oriented) + int(walks_steadily)


def observed_minutes(infusion: Infusion, now: datetime) -> int:
    if infusion.ended_at is None or now < infusion.ended_at:
        return 0
    return int((now - infusion.ended_at).total_seconds() // 60)


def latest_pre_dose(rounds: Sequence[MonitoringRound]) -> MonitoringRound | None:
    pre = [r for r in rounds if r.kind == MonitoringRound.Kind.PRE_DOSE]
    return pre[-1] if pre else None


def latest_after_end(
    infusion: Infusion, rounds: Sequence[MonitoringRound]
) -> MonitoringRound | None:
    if infusion.ended_at is None:
        return None
    after = [
        r
        for r in rounds
        if r.kind == MonitoringRound.Kind.ROUND and r.taken_at >= infusion.ended_at
    ]
    return after[-1] if after else None


def session_criteria(
    *,
    infusion: Infusion,
    rounds: Sequence[MonitoringRound],
    protocol: ClinicProtocol,
    now: datetime,
) -> list[Criterion]:
    """The criteria that come from the record itself (times and observations)."""
    out: list[Criterion] = []
    minimum = protocol.min_observation_for(infusion.route)
    observed = observed_minutes(infusion, now)
    if infusion.is_esketamine:
        label = _("Observed at least %(m)s min after the dose (esketamine REMS)") % {"m": minimum}
    else:
        label = _("Observed at least %(m)s min after the end") % {"m": minimum}
    out.append(
        Criterion(
            "observation",
            label,
            infusion.ended_at is not None and observed >= minimum,
            _("%(o)s of %(m)s min so far.") % {"o": observed, "m": minimum}
            if infusion.ended_at
            else _("The end of the infusion is not recorded yet."),
        )
    )
    latest = latest_after_end(infusion, rounds)
    max_age = protocol.latest_round_max_age_minutes
    recent = latest is not None and now - latest.taken_at <= timedelta(minutes=max_age)
    if latest is None:
        detail = _("No monitoring round after the end yet.")
    elif not recent:
        detail = _("The last round is %(m)s min old.") % {
            "m": int((now - latest.taken_at).total_seconds() // 60)
        }
    else:
        detail = ""
    out.append(
        Criterion(
            "recent_round",
            _("A monitoring round after the end, in the last %(m)s min") % {"m": max_age},
            recent,
            detail,
        )
    )
    pre = latest_pre_dose(rounds)
    flags = (
        concerns(latest.vitals, protocol.thresholds(), pre_dose=pre.vitals if pre else None)
        if latest is not None
        else []
    )
    out.append(
        Criterion(
            "vitals",
            _("Latest observations within the clinic's limits"),
            latest is not None and not flags,
            " ".join(f.message for f in flags)
            if flags
            else ("" if latest is not None else _("No observations after the end yet.")),
        )
    )
    if infusion.is_esketamine:
        out.append(_esketamine_bp_check(infusion, rounds, protocol))
    return out


def _esketamine_bp_check(
    infusion: Infusion, rounds: Sequence[MonitoringRound], protocol: ClinicProtocol
) -> Criterion:
    start, stop = (
        protocol.esketamine_bp_check_from_minutes,
        protocol.esketamine_bp_check_to_minutes,
    )
    dose_end = infusion.ended_at
    found = dose_end is not None and any(
        r.systolic_mmhg is not None
        and timedelta(minutes=start) <= r.taken_at - dose_end <= timedelta(minutes=stop)
        for r in rounds
    )
    return Criterion(
        "bp_after_dose",
        _("Blood pressure taken %(a)s–%(b)s min after the dose (esketamine label)")
        % {"a": start, "b": stop},
        found,
        "" if found else _("No blood pressure in that window."),
    )


def checklist_criteria(
    *,
    padss_total: int,
    padss_minimum: int,
    oriented: bool,
    walks_steadily: bool,
    driver_name: str,
    driver_phone: str,
    instructions_given: bool,
) -> list[Criterion]:
    """The criteria the nurse confirms at the bedside."""
    ride = bool(driver_name.strip() and driver_phone.strip())
    return [
        Criterion(
            "padss",
            _("PADSS score at least %(n)s") % {"n": padss_minimum},
            padss_total >= padss_minimum,
            _("PADSS is %(t)s of 10.") % {"t": padss_total},
        ),
        Criterion("oriented", _("Oriented"), oriented),
        Criterion("walks", _("Walks steadily"), walks_steadily),
        Criterion(
            "ride",
            _("Ride confirmed: driver's name and phone"),
            ride,
            "" if ride else _("Name and phone of the person driving are needed."),
        ),
        Criterion("instructions", _("Discharge instructions given"), instructions_given),
    ]
