"""Warning-sign rules as data, and pure functions that evaluate them.

No database and no models here: every function takes plain values and returns findings, so
each rule can be checked against the numbers in CLINICAL.md and property-tested. The screening
module (screening.py) gathers the values from the database and turns findings into alerts.

Sources: CLINICAL.md §1.1 (PHQ-9, item 9, MCID), §1.2 (GAD-7), §2 (response), §5 (warning
signs, ketamine-specific risks) and the seed article, sections "Warning Signs to Watch For",
"When to Contact Your Provider" and "Planning for Setbacks". The software informs and
organises: a finding asks a clinician to look, it is not a diagnosis.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import Any


class Severity(StrEnum):
    """How fast a human must look. Acknowledgement deadlines per severity: SafetySettings."""

    URGENT = "urgent"
    HIGH = "high"
    ROUTINE = "routine"


SEVERITY_ORDER = {Severity.URGENT: 0, Severity.HIGH: 1, Severity.ROUTINE: 2}


def _(text: str) -> str:
    """Marks rule titles and explanations for translation; templates translate them on display."""
    return text


SEED = "Seed article, “Warning Signs to Watch For”"


@dataclass(frozen=True)
class Rule:
    """One warning sign: what it checks, how urgent it is, and where the rule comes from."""

    id: str
    title: str
    severity: Severity  # the highest severity the rule can give
    source: str
    explanation: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "suicidal_thoughts",
            _("Thoughts of suicide or self-harm"),
            Severity.URGENT,
            f"{SEED}: new suicidal thoughts; show crisis resources at once (the clinic's "
            "crisis line).",
            _("The patient answered yes to thoughts of suicide or of hurting themselves."),
        ),
        Rule(
            "phq9_item9",
            _("PHQ-9 item 9 answered above zero"),
            Severity.URGENT,
            "Simon et al., Psychiatr Serv 2013 (risk rises with the "
            "answer; 'more than half the days' or 'nearly every day' = markedly raised risk). "
            "Item 9 endorsement is common (45% at baseline, Bauer et al., JGIM 2013): expect "
            "many alerts; item 9 mixes passive death thoughts with self-harm.",
            _(
                "PHQ-9 item 9 (thoughts of being better off dead or of self-harm): 'several days' "
                "= high; 'more than half the days' or 'nearly every day' = urgent."
            ),
        ),
        Rule(
            "phq9_worsening",
            _("PHQ-9 worse than the patient's own baseline"),
            Severity.HIGH,
            "Individual minimal clinically important difference of 5 points "
            "(Löwe et al., Med Care 2004). Clinic-adjustable.",
            _("The PHQ-9 total rose by at least the set number of points over the baseline."),
        ),
        Rule(
            "phq9_loss_of_response",
            _("PHQ-9 back at baseline after a response"),
            Severity.HIGH,
            "Response = at least 50% PHQ-9 reduction (McInnes et al., J Affect "
            "Disord 2022); seed article, “When to Contact Your Provider”: significant return of "
            "depression symptoms. Baseline of at least 10 (moderate, Kroenke 2001) is a project "
            "default.",
            _("After a response (PHQ-9 at least halved), the total is back at or above baseline."),
        ),
        Rule(
            "mood_worsening",
            _("Daily mood well below the pre-treatment baseline"),
            Severity.HIGH,
            f"{SEED}: worsening depression. Window (3 days) and drop (3 points on the 1–10 "
            "scale) are defaults of this software, not from a study: each clinic sets them.",
            _("The mean daily mood over the last days is far below the mean before treatment."),
        ),
        Rule(
            "severe_anxiety",
            _("Severe anxiety or panic"),
            Severity.HIGH,
            f"{SEED}: severe anxiety or panic attacks. Check-in anxiety threshold 9 of 10 is a "
            "project default; GAD-7 at least 15 = severe band (Spitzer et al., Arch Intern Med "
            "2006).",
            _(
                "Panic reported, check-in anxiety at or above the threshold, "
                "or GAD-7 in the severe band."
            ),
        ),
        Rule(
            "psychotic_symptoms",
            _("Hallucinations or paranoia"),
            Severity.URGENT,
            f"{SEED}: psychotic symptoms (hallucinations, paranoia).",
            _("The patient reported hallucinations or paranoia."),
        ),
        Rule(
            "prolonged_dissociation",
            _("Dissociation beyond the day of treatment"),
            Severity.HIGH,
            f"{SEED}: prolonged dissociation. Acute dissociation resolves in "
            "about 1.5 hours (TRANSFORM-2, Popova et al. 2019); persistence calls for more "
            "monitoring.",
            _(
                "Still feeling detached or unreal on a later day than the latest infusion (or with "
                "no infusion recorded)."
            ),
        ),
        Rule(
            "ketamine_cravings",
            _("Urges to use ketamine outside the clinic"),
            Severity.HIGH,
            f"{SEED}: intense urges to use ketamine outside medical settings. Abuse and misuse "
            "monitoring (Spravato label).",
            _("The patient reported urges to use ketamine outside the clinic."),
        ),
        Rule(
            "urinary_symptoms",
            _("Urinary or bladder symptoms"),
            Severity.ROUTINE,
            "Ketamine-related urinary/bladder symptoms (Cottrell et al., BJU Int "
            "2012; Spravato label: monitor urinary symptoms).",
            _("The patient reported urinary or bladder symptoms."),
        ),
        Rule(
            "missed_check_ins",
            _("No check-in for several days"),
            Severity.ROUTINE,
            "Disengagement; 3 days is a default of this software each clinic sets (no study behind "
            "it).",
            _("The patient has not checked in for the set number of days."),
        ),
        Rule(
            "patient_concern",
            _("The patient pressed “Something concerns me”"),
            Severity.HIGH,
            f"{SEED}: any symptoms that concern you; “When to Contact Your Provider”.",
            _("The patient asked the care team to get in touch."),
        ),
        Rule(
            "journal_crisis_language",
            _("Crisis words in a shared journal entry"),
            Severity.HIGH,
            "An aid of this software: a short fixed list of phrases. A crude aid, not a "
            "diagnosis: it misses most distress and flags harmless uses.",
            _("A journal entry shared with the care team contains a listed phrase."),
        ),
        Rule(
            "note_crisis_language",
            _("Crisis words in a check-in note"),
            Severity.HIGH,
            "An aid of this software: the same fixed list as for shared journal entries, "
            "because the care team reads check-in notes on the patient's page. A crude aid, not "
            "a diagnosis: it misses most distress and flags harmless uses. Not raised when the "
            "same check-in already raises an urgent alert.",
            _("The note of a check-in contains a listed phrase."),
        ),
    )
}


@dataclass(frozen=True)
class Thresholds:
    """Clinic-adjustable numbers (stored in SafetySettings); defaults name their source."""

    anxiety_severe: int = 9  # check-in anxiety 1–10, 10 worst; project default
    gad7_severe: int = 15  # Spitzer 2006 severe band
    phq9_worsening_points: int = 5  # Löwe 2004 individual MCID
    mood_drop_points: int = 3  # 1–10 scale; project default
    mood_window_days: int = 3  # project default
    missed_check_in_days: int = 3  # project default
    # Not clinic settings: documented constants.
    phq9_response_fraction: float = 0.5  # McInnes 2022: ≥50% reduction = response
    phq9_response_min_baseline: int = 10  # Kroenke 2001 moderate cut point; project default
    mood_baseline_min_days: int = 3  # fewer pre-treatment days give no baseline


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Finding:
    """What one rule found in one submission."""

    rule_id: str
    severity: Severity
    triggering_answers: Mapping[str, Any] = field(default_factory=dict)
    explanation: str = ""

    @property
    def rule(self) -> Rule:
        return RULES[self.rule_id]

    @property
    def source(self) -> str:
        return self.rule.source

    @property
    def is_urgent(self) -> bool:
        return self.severity == Severity.URGENT


def _finding(rule_id: str, severity: Severity, answers: Mapping[str, Any], text: str) -> Finding:
    return Finding(rule_id, severity, dict(answers), text)


# ---------------------------------------------------------------------------------------------
# Daily check-ins


@dataclass(frozen=True)
class CheckInAnswers:
    """One check-in's answers. Scales 1–10 (10 best, except anxiety: 10 worst); None = no answer."""

    local_date: date
    mood: int
    anxiety: int | None = None
    suicidal_thoughts: bool | None = None
    panic: bool | None = None
    unusual_perceptions: bool | None = None
    lingering_dissociation: bool | None = None
    ketamine_cravings: bool | None = None
    urinary_symptoms: bool = False
    note: str = ""  # free text the care team reads on the patient's page


def urgent_check_in_findings(
    *, suicidal_thoughts: bool, unusual_perceptions: bool, note: str = ""
) -> list[Finding]:
    """The urgent warning signs of a check-in (the ones that bring the crisis screen).

    note: a sentence added to each explanation (e.g. that the rest of the check-in was not saved).
    """
    extra = f" {note}" if note else ""
    found = []
    if suicidal_thoughts:
        found.append(
            _finding(
                "suicidal_thoughts",
                Severity.URGENT,
                {"suicidal_thoughts": True},
                "Answered yes to thoughts of suicide or of hurting themselves." + extra,
            )
        )
    if unusual_perceptions:
        found.append(
            _finding(
                "psychotic_symptoms",
                Severity.URGENT,
                {"unusual_perceptions": True},
                "Reported hallucinations or paranoia." + extra,
            )
        )
    return found


def check_in_findings(
    answers: CheckInAnswers,
    *,
    last_infusion_date: date | None = None,
    baseline_moods: Sequence[int] = (),
    recent_daily_moods: Mapping[date, int] | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[Finding]:
    """Every warning sign in one check-in, most urgent first.

    last_infusion_date: local date (patient's zone) the latest completed infusion ended, or None.
    baseline_moods: daily moods (1–10) before the first infusion.
    recent_daily_moods: mood per local date, this check-in's date included.
    """
    found = urgent_check_in_findings(
        suicidal_thoughts=bool(answers.suicidal_thoughts),
        unusual_perceptions=bool(answers.unusual_perceptions),
    )
    if not found:  # an urgent alert already asks a person to look at this check-in now
        found += note_findings(answers.note)
    anxious = answers.anxiety is not None and answers.anxiety >= thresholds.anxiety_severe
    if answers.panic or anxious:
        triggering: dict[str, Any] = {}
        if answers.panic:
            triggering["panic"] = True
        if anxious:
            triggering["anxiety"] = answers.anxiety
        found.append(
            _finding(
                "severe_anxiety",
                Severity.HIGH,
                triggering,
                "Reported panic or severe anxiety"
                + (f" (anxiety {answers.anxiety} of 10)." if anxious else "."),
            )
        )
    if answers.lingering_dissociation and (
        last_infusion_date is None or last_infusion_date < answers.local_date
    ):
        when = (
            f"latest infusion ended {last_infusion_date.isoformat()}"
            if last_infusion_date
            else "no infusion recorded"
        )
        found.append(
            _finding(
                "prolonged_dissociation",
                Severity.HIGH,
                {
                    "lingering_dissociation": True,
                    "latest_infusion_date": last_infusion_date.isoformat()
                    if last_infusion_date
                    else None,
                },
                f"Still feeling detached or unreal on {answers.local_date.isoformat()} ({when}).",
            )
        )
    if answers.ketamine_cravings:
        found.append(
            _finding(
                "ketamine_cravings",
                Severity.HIGH,
                {"ketamine_cravings": True},
                "Reported urges to use ketamine outside the clinic.",
            )
        )
    worsening = mood_worsening(
        baseline_moods=baseline_moods,
        recent_daily_moods=recent_daily_moods or {answers.local_date: answers.mood},
        today=answers.local_date,
        thresholds=thresholds,
    )
    if worsening is not None:
        found.append(worsening)
    if answers.urinary_symptoms:
        found.append(
            _finding(
                "urinary_symptoms",
                Severity.ROUTINE,
                {"urinary_symptoms": True},
                "Reported urinary or bladder symptoms.",
            )
        )
    return sorted(found, key=lambda f: SEVERITY_ORDER[f.severity])


def mood_worsening(
    *,
    baseline_moods: Sequence[int],
    recent_daily_moods: Mapping[date, int],
    today: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Finding | None:
    """Mean daily mood over the last `mood_window_days` days (today included) against baseline.

    Fires only when every day of the window has a mood (a sustained drop: one bad day is not
    a failed treatment, seed article “Planning for Setbacks”) and the mean is at least
    `mood_drop_points` below the pre-treatment mean. Moods are 1–10.
    """
    if len(baseline_moods) < thresholds.mood_baseline_min_days:
        return None
    window = [date.fromordinal(today.toordinal() - i) for i in range(thresholds.mood_window_days)]
    if any(day not in recent_daily_moods for day in window):
        return None
    # Exact fractions: a drop of exactly the threshold must count (floats can miss it).
    recent_exact = Fraction(sum(recent_daily_moods[day] for day in window), len(window))
    baseline_exact = Fraction(sum(baseline_moods), len(baseline_moods))
    if baseline_exact - recent_exact < thresholds.mood_drop_points:
        return None
    recent_mean, baseline_mean = float(recent_exact), float(baseline_exact)
    return _finding(
        "mood_worsening",
        Severity.HIGH,
        {
            "recent_mean_mood": round(recent_mean, 1),
            "baseline_mean_mood": round(baseline_mean, 1),
            "days": thresholds.mood_window_days,
        },
        f"Mean mood {recent_mean:.1f} over the last {thresholds.mood_window_days} days against "
        f"{baseline_mean:.1f} before treatment.",
    )


# ---------------------------------------------------------------------------------------------
# Validated scales (CLINICAL.md §1): answers 0–3 per item, LOINC answer list LL358-3.

ITEM9_WORDS = {1: "several days", 2: "more than half the days", 3: "nearly every day"}


def _valid_answers(answers: Sequence[int], count: int, name: str) -> list[int]:
    values = list(answers)
    if len(values) != count or any(
        isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 3 for v in values
    ):
        raise ValueError(f"{name} needs {count} answers from 0 to 3, got {values!r}")
    return values


def phq9_item9_finding(item9: int, *, total: int | None, note: str = "") -> Finding | None:
    """PHQ-9 item 9 (0-3): 1 is a high alert, 2-3 urgent (Simon et al. 2013); None for 0.

    total: the PHQ-9 total, None when the other answers are not known (an unsaved form);
    note: a sentence added to the explanation.
    """
    if item9 <= 0:
        return None
    answers: dict[str, Any] = {"item_9": item9}
    text = f"PHQ-9 item 9 answered {item9} ({ITEM9_WORDS[item9]})"
    if total is not None:
        answers["total"] = total
        text += f"; total {total}"
    return _finding(
        "phq9_item9",
        Severity.URGENT if item9 >= 2 else Severity.HIGH,
        answers,
        text + "." + (f" {note}" if note else ""),
    )


def phq9_findings(
    answers: Sequence[int],
    *,
    baseline_total: int | None = None,
    best_total_since_baseline: int | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[Finding]:
    """Item 9 (answers[8]) graded by answer, and worsening against the patient's baseline.

    baseline_total: the patient's baseline PHQ-9 total (0–27), None if this is the baseline.
    best_total_since_baseline: the lowest total after baseline and before this one, or None.
    """
    values = _valid_answers(answers, 9, "PHQ-9")
    total = sum(values)
    found: list[Finding] = []
    item9 = phq9_item9_finding(values[8], total=total)
    if item9 is not None:
        found.append(item9)
    if baseline_total is not None:
        if total - baseline_total >= thresholds.phq9_worsening_points:
            found.append(
                _finding(
                    "phq9_worsening",
                    Severity.HIGH,
                    {"total": total, "baseline_total": baseline_total},
                    f"PHQ-9 total {total}, {total - baseline_total} points above the baseline "
                    f"of {baseline_total}.",
                )
            )
        elif (
            best_total_since_baseline is not None
            and baseline_total >= thresholds.phq9_response_min_baseline
            and best_total_since_baseline
            <= baseline_total * (1 - thresholds.phq9_response_fraction)
            and total >= baseline_total
        ):
            found.append(
                _finding(
                    "phq9_loss_of_response",
                    Severity.HIGH,
                    {
                        "total": total,
                        "baseline_total": baseline_total,
                        "best_total": best_total_since_baseline,
                    },
                    f"PHQ-9 total {total} is back at or above the baseline of {baseline_total} "
                    f"after a response (lowest {best_total_since_baseline}).",
                )
            )
    return sorted(found, key=lambda f: SEVERITY_ORDER[f.severity])


def gad7_findings(
    answers: Sequence[int], *, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[Finding]:
    """GAD-7 total (0–21) in the severe band (Spitzer 2006: 15 and above)."""
    total = sum(_valid_answers(answers, 7, "GAD-7"))
    if total < thresholds.gad7_severe:
        return []
    return [
        _finding(
            "severe_anxiety",
            Severity.HIGH,
            {"gad7_total": total},
            f"GAD-7 total {total} (severe band from {thresholds.gad7_severe}).",
        )
    ]


# ---------------------------------------------------------------------------------------------
# Engagement, the patient's own flag, and the journal


def missed_check_ins(
    *, last_check_in: date | None, today: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Finding | None:
    """No check-in on `missed_check_in_days` whole local days after the last one."""
    if last_check_in is None:
        return None
    days = today.toordinal() - last_check_in.toordinal() - 1
    if days < thresholds.missed_check_in_days:
        return None
    return _finding(
        "missed_check_ins",
        Severity.ROUTINE,
        {"last_check_in": last_check_in.isoformat(), "days_without": days},
        f"No check-in for {days} days (last on {last_check_in.isoformat()}).",
    )


CONCERN_MAX_LENGTH = 2000


def patient_concern(text: str) -> Finding:
    """The patient's own “Something concerns me”, with whatever they chose to write."""
    text = text.strip()[:CONCERN_MAX_LENGTH]
    return _finding(
        "patient_concern",
        Severity.HIGH,
        {"text": text},
        "The patient asked the care team to get in touch" + (": " + text if text else "."),
    )


# A crude aid, not diagnosis: a few unambiguous phrases about suicide or self-harm (high) and
# some phrases of hopelessness (routine). Misses most distress; flags quotes and negations too.
JOURNAL_PHRASES: dict[Severity, tuple[str, ...]] = {
    Severity.HIGH: (
        "kill myself",
        "killing myself",
        "end my life",
        "ending my life",
        "take my own life",
        "suicide",
        "suicidal",
        "want to die",
        "wish i was dead",
        "wish i were dead",
        "better off dead",
        "no reason to live",
        "hurt myself",
        "hurting myself",
        "harm myself",
        "self-harm",
        "self harm",
        "cut myself",
        "overdose",
        "overdosed",
        "end it all",
        "ending it all",
        "took too many",
        "taken too many",
        "too many pills",
        "don't want to live",
        "do not want to live",
        "don't want to be here anymore",
        "don't want to be alive",
        "better off without me",
        "no point in living",
    ),
    Severity.ROUTINE: (
        "hopeless",
        "no way out",
        "can't go on",
        "cannot go on",
        "can't take it anymore",
        "a burden to everyone",
        "nothing matters",
    ),
}
_PATTERNS = {
    severity: [
        (phrase, re.compile(r"(?<![\w])" + re.escape(phrase) + r"(?![\w])")) for phrase in phrases
    ]
    for severity, phrases in JOURNAL_PHRASES.items()
}


def _normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text)


def _crisis_language(text: str, rule_id: str, what: str, note: str = "") -> list[Finding]:
    """At most one finding: high if any high phrase occurs, else routine if any routine one.

    note: a sentence added to the explanation (e.g. that the form was not saved)."""
    normalised = _normalise(text)
    for severity in (Severity.HIGH, Severity.ROUTINE):
        matched = [phrase for phrase, pattern in _PATTERNS[severity] if pattern.search(normalised)]
        if matched:
            return [
                _finding(
                    rule_id,
                    severity,
                    {"phrases": matched},
                    f"{what} contains: "
                    + ", ".join(f"“{m}”" for m in matched)
                    + (f". {note}" if note else ""),
                )
            ]
    return []


def journal_findings(text: str) -> list[Finding]:
    """A journal entry shared with the care team: high or routine, at most one finding."""
    return _crisis_language(text, "journal_crisis_language", "Shared journal entry")


def note_findings(text: str, note: str = "") -> list[Finding]:
    """A check-in's note (the care team reads it): high or routine, at most one finding.

    note: a sentence added to the explanation, as for ``urgent_check_in_findings``."""
    return _crisis_language(text, "note_crisis_language", "Check-in note", note)


def speaks_of_self_harm(text: str) -> bool:
    """Whether ``text`` holds one of the high-severity phrases of JOURNAL_PHRASES (suicide,
    self-harm). The writer is then shown where to get help at once, whoever else is told: a
    private journal entry raises no alert, but its writer still sees the crisis numbers."""
    normalised = _normalise(text)
    return any(pattern.search(normalised) for _phrase, pattern in _PATTERNS[Severity.HIGH])
