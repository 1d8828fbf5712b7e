"""What must hold before a patient leaves the clinic. No database writes.

The checklist follows the seed article ("Immediate Post-Infusion Period": the clinic monitors
vital signs, makes sure the patient is stable and oriented, can walk safely, has a ride, and
gives discharge instructions) and CLINICAL.md §4:

- observation: at least the clinic's minimum since the end of the infusion or dose. Intranasal
  esketamine: 2 h (Spravato label/REMS [V]); other routes: clinic default, 60 min [U].
- blood pressure, heart rate and SpO₂ measured after the end, each no longer ago than the
  clinic's limit (30 min [U]) (label: blood pressure until consistent at a safe level, pulse
  oximetry; PADSS vital signs: blood pressure and pulse);
- the latest value of each observation within the clinic's limits (vitals.concerns: no flag).
  Each observation's own latest value counts, not the latest round's: a later round that
  records only nausea must not hide a low SpO₂ measured before it;
- esketamine only: blood pressure taken about 40 min after the dose (label [V]; the accepted
  window, 30–60 min, is a clinic setting [U]);
- PADSS total at least the clinic's minimum (Chung 1995: >= 9 fit for discharge [V]);
- oriented; walks steadily; ride confirmed (name and phone of the adult taking them home);
  instructions given.

Anything not met is named. Discharging anyway needs an override reason, which is recorded with
the list of unmet criteria.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.treatment.models import ClinicProtocol, Infusion, MonitoringRound
from aftercare.treatment.vitals import Vitals, concerns

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


# Every criterion's code (session_criteria, checklist_criteria): an override confirms each
# unmet one by its code.
CRITERION_CODES = (
    "observation",
    "recent_round",
    "vitals",
    "bp_after_dose",
    "padss",
    "oriented",
    "walks",
    "ride",
    "instructions",
)


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
    after = rounds_after_end(infusion, rounds)
    return after[-1] if after else None


def rounds_after_end(
    infusion: Infusion, rounds: Sequence[MonitoringRound]
) -> list[MonitoringRound]:
    """Monitoring rounds from the end of the infusion on, in time order."""
    if infusion.ended_at is None:
        return []
    return [
        r
        for r in rounds
        if r.kind == MonitoringRound.Kind.ROUND and r.taken_at >= infusion.ended_at
    ]


# The observations every discharge needs after the end, by field, with the name shown.
CORE_VITALS = {
    "systolic_mmhg": gettext_lazy("blood pressure"),
    "diastolic_mmhg": gettext_lazy("blood pressure"),
    "heart_rate_bpm": gettext_lazy("heart rate"),
    "spo2_pct": gettext_lazy("SpO₂"),
}


@dataclass(frozen=True)
class LatestValues:
    """The latest recorded value of each observation after the end, and its round."""

    vitals: Vitals
    source: dict[str, MonitoringRound]

    def missing(self) -> list[str]:
        """Names of the core observations not measured after the end (each once)."""
        return _names(f for f in CORE_VITALS if f not in self.source)

    def older_than(self, now: datetime, minutes: int) -> list[str]:
        """Names of the core observations last measured longer ago than ``minutes``."""
        limit = timedelta(minutes=minutes)
        return _names(
            f for f, r in self.source.items() if f in CORE_VITALS and now - r.taken_at > limit
        )

    def rounds(self) -> list[MonitoringRound]:
        """The rounds the values come from, in time order, each once."""
        return sorted({r.pk: r for r in self.source.values()}.values(), key=_round_order)


def _round_order(r: MonitoringRound) -> tuple[datetime, int]:
    return (r.taken_at, r.pk or 0)


def _names(fields_: Iterable[str]) -> list[str]:
    names: list[str] = []
    for field in fields_:
        name = str(CORE_VITALS[field])
        if name not in names:
            names.append(name)
    return names


def latest_values(infusion: Infusion, rounds: Sequence[MonitoringRound]) -> LatestValues | None:
    """Each observation's latest value after the end (None without a round after the end)."""
    after = rounds_after_end(infusion, rounds)
    if not after:
        return None
    values: dict[str, Any] = {}
    source: dict[str, MonitoringRound] = {}
    for r in after:  # in time order: a later value replaces an earlier one
        for f in fields(Vitals):
            value = getattr(r, f.name)
            if value is not None:
                values[f.name] = value
                source[f.name] = r
    return LatestValues(Vitals(**values), source)


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
    latest = latest_values(infusion, rounds)
    max_age = protocol.latest_round_max_age_minutes
    missing = latest.missing() if latest else _names(CORE_VITALS)
    old = latest.older_than(now, max_age) if latest else []
    details = []
    if missing:
        details.append(
            _("Not measured after the end yet: %(names)s.") % {"names": ", ".join(missing)}
        )
    if old:
        details.append(
            _("Last measured more than %(m)s min ago: %(names)s.")
            % {"m": max_age, "names": ", ".join(old)}
        )
    out.append(
        Criterion(
            "recent_round",
            _("Blood pressure, heart rate and SpO₂ after the end, each in the last %(m)s min")
            % {"m": max_age},
            not missing and not old,
            " ".join(details),
        )
    )
    pre = latest_pre_dose(rounds)
    flags = (
        concerns(latest.vitals, protocol.thresholds(), pre_dose=pre.vitals if pre else None)
        if latest is not None
        else []
    )
    if flags:
        detail = " ".join(f.message for f in flags)
    elif missing:
        detail = _("Not measured after the end yet: %(names)s.") % {"names": ", ".join(missing)}
    else:
        detail = ""
    out.append(
        Criterion(
            "vitals",
            _("The latest value of each observation within the clinic's limits"),
            latest is not None and not missing and not flags,
            detail,
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
    escort_name: str,
    escort_phone: str,
    instructions_given: bool,
) -> list[Criterion]:
    """The criteria the nurse confirms at the bedside."""
    ride = bool(escort_name.strip() and escort_phone.strip())
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
            _("Going home with a responsible adult: their name and phone"),
            ride,
            "" if ride else _("Name and phone of the adult taking them home are needed."),
        ),
        Criterion("instructions", _("Discharge instructions given"), instructions_given),
    ]
