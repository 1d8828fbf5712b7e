"""Every submission passes through here before the patient sees the response.

Each screen_* function gathers what the pure rules (rules.py) need from the database, and
raises an alert per finding. Callers run them INSIDE the transaction that stores the
submission, so a submission is never stored without its alerts (and if raising an alert fails,
the submission is not stored either):

    with transaction.atomic():
        entry = CheckIn.objects.create(...)
        alerts = screen_check_in(entry)
    if shows_crisis_screen(alerts):  # safety.crisis
        ...  # show the crisis screen in this same response (safety.views.crisis_response)
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import BooleanField, Expression, ExpressionWrapper, Max, Min, Q, Value
from django.utils import timezone

from aftercare.accounts.models import Patient
from aftercare.audit.actions import record
from aftercare.safety.actions import raise_alerts
from aftercare.safety.models import Alert, SafetySettings
from aftercare.safety.rules import (
    DEFAULT_THRESHOLDS,
    CheckInAnswers,
    check_in_findings,
    gad7_findings,
    journal_findings,
    missed_check_ins,
    note_findings,
    phq9_findings,
    phq9_item9_finding,
    speaks_of_self_harm,
    urgent_check_in_findings,
)
from aftercare.tracking.models import CheckIn, JournalEntry, ScaleResponse
from aftercare.treatment.models import Infusion

BASELINE_DAYS = 14  # daily moods before the first infusion that make the mood baseline

# Rules describing a state that lasts: one unresolved alert at a time, not one per submission.
WHILE_UNRESOLVED = {"mood_worsening": "", "urinary_symptoms": ""}


def _completed_infusions(patient: Patient):
    return Infusion.objects.filter(patient=patient, status=Infusion.Status.COMPLETED)


def screen_check_in(check_in: CheckIn) -> list[Alert]:
    """Alerts for one just-stored check-in (call inside the transaction that stored it)."""
    patient = check_in.patient
    thresholds = SafetySettings.for_clinic(patient.clinic_id).thresholds
    # This runs inside every check-in request: one query for both infusion facts and one for
    # both sets of moods keep its cost down (docs/performance.md, HTTP benchmark).
    infusions = _completed_infusions(patient).aggregate(
        latest=Max("ended_at", filter=Q(ended_at__lte=check_in.submitted_at)),
        first=Min("scheduled_at"),
    )
    latest, first_start = infusions["latest"], infusions["first"]
    window_start = check_in.local_date - timedelta(days=thresholds.mood_window_days - 1)
    in_window = Q(
        local_date__gte=window_start,
        local_date__lte=check_in.local_date,
        submitted_at__lte=check_in.submitted_at,
    )
    wanted = in_window
    baseline_row: Expression = Value(False)  # no infusion yet: no baseline
    if first_start is not None:
        before_first = Q(submitted_at__lt=first_start)
        wanted |= before_first
        baseline_row = ExpressionWrapper(before_first, output_field=BooleanField())
    rows = (
        patient.check_ins.filter(wanted)
        .order_by("submitted_at")
        # Which set a row belongs to, as booleans: reading every timestamp back cost more
        # than the rest of the query for patients with a long history before treatment.
        .annotate(
            baseline_row=baseline_row,
            window_row=ExpressionWrapper(in_window, output_field=BooleanField()),
        )
        .values_list("local_date", "mood", "baseline_row", "window_row")
    )
    baseline_moods: dict[date, int] = {}
    recent: dict[date, int] = {}
    for local_date, mood, is_baseline, is_recent in rows:  # the last mood of each local day
        if is_baseline:
            baseline_moods[local_date] = mood
        if is_recent:
            recent[local_date] = mood
    baseline = list(baseline_moods.values())[-BASELINE_DAYS:]
    answers = CheckInAnswers(
        local_date=check_in.local_date,
        mood=check_in.mood,
        anxiety=check_in.anxiety,
        suicidal_thoughts=check_in.suicidal_thoughts,
        panic=check_in.panic,
        unusual_perceptions=check_in.unusual_perceptions,
        lingering_dissociation=check_in.lingering_dissociation,
        ketamine_cravings=check_in.ketamine_cravings,
        urinary_symptoms=check_in.urinary_symptoms,
        note=check_in.note,
    )
    findings = check_in_findings(
        answers,
        last_infusion_date=latest.astimezone(patient.tz).date() if latest else None,
        baseline_moods=baseline,
        recent_daily_moods=recent,
        thresholds=thresholds,
    )
    # The answers an unsaved form can have raised an alert for (screen_unsaved_check_in).
    unsaved_kind = check_in.suicidal_thoughts or check_in.unusual_perceptions
    unsaved_kind = unsaved_kind or any(f.rule_id == "note_crisis_language" for f in findings)
    earlier = (
        _adopt_unsaved_alerts(Alert.Source.CHECK_IN, check_in, check_in.submission_key)
        if unsaved_kind
        else []
    )
    return earlier + raise_alerts(
        patient=patient,
        findings=findings,
        source_kind=Alert.Source.CHECK_IN,
        source_id=check_in.pk,
        actor=patient.user,
        dedupe=WHILE_UNRESOLVED,
    )


def _adopt_unsaved_alerts(
    source_kind: str, row: CheckIn | ScaleResponse, submission_key: uuid.UUID | None
) -> list[Alert]:
    """The alerts this same form raised while it could not be saved, now the stored row's: its
    screening raises no second alert for them, and its crisis screen still shows. Called only
    when the row holds an answer that can raise one (nearly every submission: no query)."""
    if submission_key is None:
        return []
    earlier = list(
        Alert.objects.filter(
            patient=row.patient,
            source_kind=source_kind,
            source_id=unsaved_source_id(submission_key),
        ).order_by("pk")
    )
    for alert in earlier:
        alert.source_id = str(row.pk)
        alert.save(update_fields=["source_id"])
        record(
            None,
            actor=row.patient.user,
            action="update",
            what="safety alert",
            patient=row.patient,
            object_id=alert.pk,
        )
    return earlier


UNSAVED_NOTE = "The check-in itself could not be saved then (the form had errors)."
UNSAVED_NOTE_MAX_CHARS = 20_000  # a refused form's note is read this far (a saved one: 4,000)
UNSAVED_SCALE_NOTE = (
    "The questionnaire itself could not be saved then (some answers were missing or not valid)."
)


def unsaved_help(signs: Mapping[str, bool], note: str, *, edit: bool = False) -> str | None:
    """What a check-in form that could not be saved says above its errors (the name of a
    ``safety.wording`` sentence), or None: a yes to an urgent sign, else crisis words in the note
    as typed (each has already reached the care team: ``screen_unsaved_check_in``)."""
    if any(signs.values()):
        return "UNSAVED_CHECK_IN_EDIT" if edit else "UNSAVED_CHECK_IN"
    if speaks_of_self_harm(note[:UNSAVED_NOTE_MAX_CHARS]):
        return "UNSAVED_CHECK_IN_EDIT_WORDS" if edit else "UNSAVED_CHECK_IN_WORDS"
    return None


def unsaved_source_id(submission_key: uuid.UUID) -> str:
    return f"unsaved:{submission_key}"


def screen_unsaved_check_in(
    patient: Patient,
    *,
    signs: Mapping[str, bool],
    submission_key: uuid.UUID | None,
    note: str = "",
    stored: CheckIn | None = None,
) -> list[Alert]:
    """Urgent alerts for a yes to an urgent warning sign on a check-in that could not be saved
    (``signs``: each urgent sign's name, answered yes or not; see ``CheckInForm.urgent_signs``),
    or, without one, the alert for crisis words in its ``note`` (as typed).

    The patient may never send the form again, so the care team hears of it now. The alerts
    belong to the form's submission key: the same form sent again, with errors or corrected and
    saved, raises no second alert for the same sign (a form without a key cannot be matched).
    For an edit of the ``stored`` check-in, only what it does not already hold counts: a new yes,
    or crisis words when its saved note has none, or none as serious.
    """
    if stored is not None:
        signs = {name: yes and not getattr(stored, name) for name, yes in signs.items()}
        before = note_findings(stored.note)
        if before and (before[0].severity == Alert.Severity.HIGH or not speaks_of_self_harm(note)):
            note = ""  # its saved note already raised an alert at least as serious
    findings = urgent_check_in_findings(
        suicidal_thoughts=bool(signs.get("suicidal_thoughts")),
        unusual_perceptions=bool(signs.get("unusual_perceptions")),
        note=UNSAVED_NOTE,
    )
    if not findings:  # as for a saved check-in: an urgent alert makes the note's redundant
        findings = note_findings(note[:UNSAVED_NOTE_MAX_CHARS], note=UNSAVED_NOTE)
    return raise_alerts(
        patient=patient,
        findings=findings,
        source_kind=Alert.Source.CHECK_IN,
        source_id=unsaved_source_id(submission_key) if submission_key else "",
        actor=patient.user,
    )


# Item order by LOINC code (CLINICAL.md §1.1, §1.2): the tracking app stores answers as
# item id (LOINC code) -> value; older rows (demo data) hold a plain list in item order.
PHQ9_ITEMS = (
    "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3",
    "44260-8",
)  # fmt: skip
GAD7_ITEMS = ("69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7")


def scored_answers(stored: Any, items: tuple[str, ...]) -> list[int]:
    """The scored items' answers in item order, from a mapping or a list."""
    if isinstance(stored, Mapping):
        missing = [code for code in items if code not in stored]
        if missing:
            raise ValueError(f"Answers missing for items {missing}")
        return [stored[code] for code in items]
    if isinstance(stored, list | tuple):
        return list(stored[: len(items)])
    raise ValueError(f"Unreadable answers {stored!r}")


def _phq9_baseline(response: ScaleResponse) -> ScaleResponse | None:
    """The last PHQ-9 before the first infusion; without one, the patient's first PHQ-9."""
    earlier = ScaleResponse.objects.filter(
        patient=response.patient,
        instrument=ScaleResponse.Instrument.PHQ9,
        taken_at__lt=response.taken_at,
    ).exclude(pk=response.pk)
    first_start = _completed_infusions(response.patient).aggregate(first=Min("scheduled_at"))[
        "first"
    ]
    if first_start is not None:
        before = earlier.filter(taken_at__lte=first_start).order_by("-taken_at").first()
        if before is not None:
            return before
    return earlier.order_by("taken_at").first()


def screen_scale(response: ScaleResponse) -> list[Alert]:
    """Alerts for one just-stored PHQ-9 or GAD-7 (call inside the transaction that stored it).

    Raises ValueError for PHQ-9/GAD-7 answers that are not 9/7 numbers from 0 to 3; other
    instruments have no safety rules yet and raise no alert.
    """
    patient = response.patient
    thresholds = SafetySettings.for_clinic(patient.clinic).thresholds
    earlier: list[Alert] = []
    if response.instrument == ScaleResponse.Instrument.PHQ9:
        baseline = _phq9_baseline(response)
        best = None
        if baseline is not None:
            best = (
                ScaleResponse.objects.filter(
                    patient=patient,
                    instrument=ScaleResponse.Instrument.PHQ9,
                    taken_at__gt=baseline.taken_at,
                    taken_at__lt=response.taken_at,
                )
                .exclude(pk=response.pk)
                .aggregate(best=Min("total"))["best"]
            )
        findings = phq9_findings(
            scored_answers(response.answers, PHQ9_ITEMS),
            baseline_total=baseline.total if baseline is not None else None,
            best_total_since_baseline=best,
            thresholds=thresholds,
        )
        if any(f.rule_id == "phq9_item9" for f in findings):
            earlier = _adopt_unsaved_alerts(Alert.Source.SCALE, response, response.submission_key)
    elif response.instrument == ScaleResponse.Instrument.GAD7:
        findings = gad7_findings(
            scored_answers(response.answers, GAD7_ITEMS), thresholds=thresholds
        )
    else:
        return []  # no safety rules for this instrument (yet)
    return earlier + raise_alerts(
        patient=patient,
        findings=findings,
        source_kind=Alert.Source.SCALE,
        source_id=response.pk,
        actor=patient.user,
        dedupe={"phq9_worsening": "", "phq9_loss_of_response": ""},
    )


def screen_journal(entry: JournalEntry) -> list[Alert]:
    """Alerts for a journal entry the patient SHARED with the care team; private ones: none.

    Call after creating an entry and after editing or sharing one: an entry that already
    raised an alert of the same severity does not raise a second one.
    """
    if not entry.shared_with_care_team:
        return []
    return raise_alerts(
        patient=entry.patient,
        findings=journal_findings(entry.body),
        source_kind=Alert.Source.JOURNAL,
        source_id=entry.pk,
        actor=entry.patient.user,
    )


def written_words(alert: Alert) -> str | None:
    """For an alert about crisis words: the text they were found in, as it is now (a check-in's
    note, or a journal entry while it is still shared); None for other alerts, for a form that
    could not be saved (its text is not kept) and for an entry the patient made private."""
    if alert.rule_id == "note_crisis_language" and alert.source_id.isdigit():
        rows = CheckIn.objects.filter(pk=int(alert.source_id), patient_id=alert.patient_id)
        return rows.values_list("note", flat=True).first()
    if alert.rule_id == "journal_crisis_language" and alert.source_id.isdigit():
        entries = JournalEntry.objects.filter(
            pk=int(alert.source_id), patient_id=alert.patient_id, shared_with_care_team=True
        )
        return entries.values_list("body", flat=True).first()
    return None


def screen_missed_check_ins(now: datetime | None = None) -> list[Alert]:
    """The periodic check for patients who stopped checking in: one alert per silence."""
    now = now or timezone.now()
    settings_by_clinic = {s.clinic_id: s.thresholds for s in SafetySettings.objects.all()}
    patients = (
        Patient.objects.filter(user__is_active=True)
        .select_related("clinic", "user")
        .annotate(last_check_in=Max("check_ins__local_date"))
        .filter(last_check_in__lt=now.date())
    )
    candidates = []
    for patient in patients:
        thresholds = settings_by_clinic.get(patient.clinic_id, DEFAULT_THRESHOLDS)
        today = now.astimezone(patient.tz).date()
        finding = missed_check_ins(
            last_check_in=patient.last_check_in,
            today=today,
            thresholds=thresholds,
        )
        if finding is not None:
            candidates.append((patient, finding, f"after:{patient.last_check_in}"))
    if not candidates:
        return []
    already = set(
        Alert.objects.filter(
            rule_id="missed_check_ins", patient__in=[p for p, _f, _k in candidates]
        ).values_list("patient_id", "dedupe_key")
    )
    alerts: list[Alert] = []
    for patient, finding, key in candidates:
        if (patient.pk, key) in already:
            continue
        alerts += raise_alerts(
            patient=patient,
            findings=[finding],
            source_kind=Alert.Source.ENGAGEMENT,
            now=now,
            dedupe={"missed_check_ins": key},
        )
    return alerts


def screen_unsaved_scale(
    patient: Patient,
    *,
    instrument: str,
    answers: Mapping[str, int],
    submission_key: uuid.UUID | None,
) -> list[Alert]:
    """PHQ-9 item 9 answered above 0 on a questionnaire that could not be saved (``answers``:
    the valid answers among those sent): the care team hears of it now, as for a check-in
    (see ``screen_unsaved_check_in``); ``ScaleForm.warning_answers`` gives them."""
    if instrument != ScaleResponse.Instrument.PHQ9:
        return []
    finding = phq9_item9_finding(answers.get(PHQ9_ITEMS[8], 0), total=None, note=UNSAVED_SCALE_NOTE)
    return raise_alerts(
        patient=patient,
        findings=[finding] if finding else [],
        source_kind=Alert.Source.SCALE,
        source_id=unsaved_source_id(submission_key) if submission_key else "",
        actor=patient.user,
    )
