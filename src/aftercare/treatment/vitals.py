"""Vital signs and clinical scores taken around a session, and when they are concerning.

Pure code: values in, flags out. Two kinds of limit, both documented in docs/clinical-rules.md:

- PLAUSIBLE ranges: a value outside one cannot be real (a typo, a probe off the finger), so the
  form refuses it with a message beside the field. Project defaults from issue 3 (not clinical
  thresholds): SpO2 50–100 %, systolic 60–260 mmHg, diastolic 30–160 mmHg, heart rate 25–250
  beats/min, respiratory rate 4–60 breaths/min.
- CONCERN thresholds (`Thresholds`): clinic settings (treatment.ClinicProtocol). A value past
  one is saved and highlighted with the threshold that triggered it; it never blocks saving.

Scores:
- MOAA/S (Modified Observer's Assessment of Alertness/Sedation), 0–5, anchors CLINICAL.md §4 [V].
- Dissociation: a simple clinician rating 0–4 (none … severe), a project definition [U]. We chose
  it over CADSS-6 because CADSS-6's item wording is not in CLINICAL.md and its item range is [U];
  dissociation is expected after ketamine and is not a failure signal (CLINICAL.md §4), so the
  rating mainly documents that it was observed and that it has faded before discharge.
- Nausea: 0 none, 1 mild, 2 moderate, 3 severe or vomiting, a project definition [U].
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# name -> (lowest, highest, unit). Outside = impossible; see the module docstring.
PLAUSIBLE: dict[str, tuple[int, int, str]] = {
    "systolic_mmhg": (60, 260, "mmHg"),
    "diastolic_mmhg": (30, 160, "mmHg"),
    "heart_rate_bpm": (25, 250, "/min"),
    "spo2_pct": (50, 100, "%"),
    "respiratory_rate": (4, 60, "/min"),
    "moaas": (0, 5, ""),
    "dissociation": (0, 4, ""),
    "nausea": (0, 3, ""),
}

VITAL_FIELDS = tuple(PLAUSIBLE)

# CLINICAL.md §4 [V, BMC Anesthesiol table].
MOAAS_CHOICES = [
    (5, gettext_lazy("5 – responds readily to name spoken in a normal tone")),
    (4, gettext_lazy("4 – lethargic response to name spoken in a normal tone")),
    (3, gettext_lazy("3 – responds only after name is called loudly or repeatedly")),
    (2, gettext_lazy("2 – responds only after mild prodding or shaking")),
    (1, gettext_lazy("1 – responds only after a painful trapezius squeeze")),
    (0, gettext_lazy("0 – no response to a painful trapezius squeeze")),
]
# Project definition [U]; see the module docstring.
DISSOCIATION_CHOICES = [
    (0, gettext_lazy("0 – none")),
    (1, gettext_lazy("1 – mild: a little detached, fully engaged")),
    (2, gettext_lazy("2 – moderate: clearly detached, answers sensibly")),
    (3, gettext_lazy("3 – marked: hard to engage")),
    (4, gettext_lazy("4 – severe: cannot engage")),
]
NAUSEA_CHOICES = [
    (0, gettext_lazy("0 – none")),
    (1, gettext_lazy("1 – mild")),
    (2, gettext_lazy("2 – moderate")),
    (3, gettext_lazy("3 – severe or vomiting")),
]


@dataclass(frozen=True)
class Vitals:
    """One set of observations. Units: blood pressure mmHg, heart rate beats/min, SpO2 %,
    respiratory rate breaths/min; scores as in the module docstring. None = not measured."""

    systolic_mmhg: int | None = None
    diastolic_mmhg: int | None = None
    heart_rate_bpm: int | None = None
    spo2_pct: int | None = None
    respiratory_rate: int | None = None
    moaas: int | None = None
    dissociation: int | None = None
    nausea: int | None = None

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


@dataclass(frozen=True)
class Thresholds:
    """When a value is concerning. Defaults and their sources (docs/clinical-rules.md):

    - spo2_below 92 %: project default [U]; CLINICAL.md §4 asks for pulse oximetry, no figure.
    - systolic_above 160 / diastolic_above 100 mmHg: project defaults [U].
    - systolic_rise 40 / diastolic_rise 25 mmHg above pre-dose: Spravato label [V, CLINICAL §4].
    - predose_systolic_above 140 / predose_diastolic_above 90 mmHg, "consider delaying":
      Spravato label via a drug-reference mirror [S, CLINICAL §4].
    - heart_rate_above 110 / heart_rate_below 50 beats/min: project defaults [U].
    - respiratory_rate_above 24 / respiratory_rate_below 10 breaths/min: project defaults [U].
    - moaas_at_or_below 3 (responds only to a loud voice or worse): project default [U];
      anchors [V].
    - dissociation_at_or_above 3, nausea_at_or_above 3: project defaults [U].
    """

    spo2_below: int = 92
    systolic_above: int = 160
    diastolic_above: int = 100
    systolic_rise: int = 40
    diastolic_rise: int = 25
    predose_systolic_above: int = 140
    predose_diastolic_above: int = 90
    heart_rate_above: int = 110
    heart_rate_below: int = 50
    respiratory_rate_above: int = 24
    respiratory_rate_below: int = 10
    moaas_at_or_below: int = 3
    dissociation_at_or_above: int = 3
    nausea_at_or_above: int = 3


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Flag:
    """A concerning value: which field, and a sentence naming the value and the threshold."""

    field: str
    message: str


def concerns(
    vitals: Vitals, limits: Thresholds, *, pre_dose: Vitals | None = None, is_pre_dose: bool = False
) -> list[Flag]:
    """Every value of ``vitals`` past a clinic threshold. ``pre_dose`` is the baseline for rises;
    ``is_pre_dose`` applies the "consider delaying" limits instead of the post-dose ones."""
    flags: list[Flag] = []
    v = vitals

    def add(field: str, message: str) -> None:
        flags.append(Flag(field, message))

    if v.spo2_pct is not None and v.spo2_pct < limits.spo2_below:
        add(
            "spo2_pct",
            _("SpO₂ %(v)s %% is below %(t)s %%.") % {"v": v.spo2_pct, "t": limits.spo2_below},
        )
    if is_pre_dose:
        high_bp = (v.systolic_mmhg or 0) > limits.predose_systolic_above or (
            v.diastolic_mmhg or 0
        ) > limits.predose_diastolic_above
        if high_bp:
            add(
                "systolic_mmhg",
                _(
                    "Pre-dose blood pressure %(s)s/%(d)s mmHg is above %(ts)s/%(td)s mmHg: "
                    "consider delaying the dose."
                )
                % {
                    "s": v.systolic_mmhg,
                    "d": v.diastolic_mmhg,
                    "ts": limits.predose_systolic_above,
                    "td": limits.predose_diastolic_above,
                },
            )
    else:
        if v.systolic_mmhg is not None and v.systolic_mmhg > limits.systolic_above:
            add(
                "systolic_mmhg",
                _("Systolic %(v)s mmHg is above %(t)s mmHg.")
                % {"v": v.systolic_mmhg, "t": limits.systolic_above},
            )
        if v.diastolic_mmhg is not None and v.diastolic_mmhg > limits.diastolic_above:
            add(
                "diastolic_mmhg",
                _("Diastolic %(v)s mmHg is above %(t)s mmHg.")
                % {"v": v.diastolic_mmhg, "t": limits.diastolic_above},
            )
        if pre_dose is not None:
            _rise(
                add, "systolic_mmhg", v.systolic_mmhg, pre_dose.systolic_mmhg, limits.systolic_rise
            )
            _rise(
                add,
                "diastolic_mmhg",
                v.diastolic_mmhg,
                pre_dose.diastolic_mmhg,
                limits.diastolic_rise,
            )
    if v.heart_rate_bpm is not None:
        if v.heart_rate_bpm > limits.heart_rate_above:
            add(
                "heart_rate_bpm",
                _("Heart rate %(v)s/min is above %(t)s/min.")
                % {"v": v.heart_rate_bpm, "t": limits.heart_rate_above},
            )
        elif v.heart_rate_bpm < limits.heart_rate_below:
            add(
                "heart_rate_bpm",
                _("Heart rate %(v)s/min is below %(t)s/min.")
                % {"v": v.heart_rate_bpm, "t": limits.heart_rate_below},
            )
    if v.respiratory_rate is not None:
        if v.respiratory_rate > limits.respiratory_rate_above:
            add(
                "respiratory_rate",
                _("Respiratory rate %(v)s/min is above %(t)s/min.")
                % {"v": v.respiratory_rate, "t": limits.respiratory_rate_above},
            )
        elif v.respiratory_rate < limits.respiratory_rate_below:
            add(
                "respiratory_rate",
                _("Respiratory rate %(v)s/min is below %(t)s/min.")
                % {"v": v.respiratory_rate, "t": limits.respiratory_rate_below},
            )
    if v.moaas is not None and v.moaas <= limits.moaas_at_or_below:
        add(
            "moaas",
            _("MOAA/S %(v)s is at or below %(t)s.") % {"v": v.moaas, "t": limits.moaas_at_or_below},
        )
    if v.dissociation is not None and v.dissociation >= limits.dissociation_at_or_above:
        add(
            "dissociation",
            _("Dissociation %(v)s is at or above %(t)s.")
            % {"v": v.dissociation, "t": limits.dissociation_at_or_above},
        )
    if v.nausea is not None and v.nausea >= limits.nausea_at_or_above:
        add(
            "nausea",
            _("Nausea %(v)s is at or above %(t)s.")
            % {"v": v.nausea, "t": limits.nausea_at_or_above},
        )
    return flags


def _rise(
    add: Callable[[str, str], None], field: str, value: int | None, baseline: int | None, limit: int
) -> None:
    if value is None or baseline is None or value - baseline < limit:
        return
    label = _("Systolic") if field == "systolic_mmhg" else _("Diastolic")
    add(
        field,
        _(
            "%(label)s rose %(rise)s mmHg from %(base)s mmHg before the dose "
            "(limit: a rise of %(t)s mmHg)."
        )
        % {"label": label, "rise": value - baseline, "base": baseline, "t": limit},
    )


def padss_vital_signs_item(pre_dose: Vitals | None, latest: Vitals | None) -> int | None:
    """The PADSS vital-signs item (Chung 1995, CLINICAL.md §4 [V]): 2 = blood pressure and pulse
    within 20 % of the pre-procedure values, 1 = within 20–40 %, 0 = more than 40 % away.
    None when either set lacks blood pressure and pulse."""
    if pre_dose is None or latest is None:
        return None
    pairs = [
        (latest.systolic_mmhg, pre_dose.systolic_mmhg),
        (latest.diastolic_mmhg, pre_dose.diastolic_mmhg),
        (latest.heart_rate_bpm, pre_dose.heart_rate_bpm),
    ]
    if any(now is None or base is None or base <= 0 for now, base in pairs):
        return None
    worst = max(abs(now - base) / base for now, base in pairs)  # type: ignore[operator]
    if worst <= 0.20:
        return 2
    if worst <= 0.40:
        return 1
    return 0
