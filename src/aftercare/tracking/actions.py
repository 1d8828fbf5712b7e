import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Field
from django.http import HttpRequest
from django.utils import timezone

from aftercare.accounts.models import Clinic, Patient, User
from aftercare.audit.actions import record
from aftercare.safety.models import Alert
from aftercare.safety.screening import screen_check_in, screen_journal, screen_scale
from aftercare.tracking.instruments import Instrument
from aftercare.tracking.models import (
    CheckIn,
    CheckInEdit,
    JournalEntry,
    ScaleResponse,
    ScaleSchedule,
)
from aftercare.tracking.scoring import AnswersInvalid, Score, answers_by_item, score

Row = TypeVar("Row", CheckIn, ScaleResponse, JournalEntry)


def _existing_alerts(kind: str, row: models.Model) -> list[Any]:
    """The alerts the first sending raised: a repeated submission is never screened twice."""
    return list(Alert.objects.filter(source_kind=kind, source_id=str(row.pk)).order_by("pk"))


def _create_once(
    model: type[Row], *, patient: Patient, key: uuid.UUID | None, create: Callable[[], Row]
) -> tuple[Row, bool]:
    """The row stored under this submission key, creating it only if there is none.

    Returns (row, created). Without a key (an older form) every call creates a row. A key
    already used (a retry, or a second request sent at the same moment): the insert hits the
    unique constraint, rolls back to its savepoint and the row stored first is read instead.
    Inserting first saves a query on every submission; a repeat is the rare case.
    """
    if key is None:
        return create(), True
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = model.objects.filter(patient=patient, submission_key=key).first()
        if existing is None:
            raise
        return existing, False


ANSWER_FIELDS = frozenset(
    {
        "mood", "energy", "interest", "sleep_quality", "anxiety", "suicidal_thoughts", "panic",
        "unusual_perceptions", "lingering_dissociation", "ketamine_cravings", "nausea",
        "headache", "dizziness", "urinary_symptoms", "physical_symptoms", "note",
    }
)  # fmt: skip


@transaction.atomic
def submit_check_in(
    *,
    patient: Patient,
    answers: Mapping[str, Any],
    submitted_at: datetime | None = None,
    actor: User | None = None,
    submission_key: uuid.UUID | None = None,
) -> tuple[CheckIn, list[Any]]:
    """Store a check-in, dated by the patient's own day, and screen it for warning signs.

    Screening runs in the same transaction: a check-in is never stored without its alerts.
    A check-in already stored under ``submission_key`` is returned with its alerts instead.
    """
    unknown = set(answers) - ANSWER_FIELDS
    if unknown:
        raise ValueError(f"Not check-in answers: {sorted(unknown)}")
    when = submitted_at or timezone.now()
    check_in, created = _create_once(
        CheckIn,
        patient=patient,
        key=submission_key,
        create=lambda: CheckIn.objects.create(
            patient=patient,
            submitted_at=when,
            local_date=when.astimezone(patient.tz).date(),
            submission_key=submission_key,
            **{k: v for k, v in answers.items() if v is not None or k != "note"},
        ),
    )
    if not created:
        return check_in, _existing_alerts(Alert.Source.CHECK_IN, check_in)
    record(
        None,
        actor=actor or patient.user,
        action="create",
        what="check-in",
        patient=patient,
        object_id=check_in.pk,
    )
    return check_in, screen_check_in(check_in)


# Answers the safety rules read (safety/screening.py): an edit touching none of them (energy,
# sleep, a side effect other than the urinary one) is not screened again. One that does is, and
# screening the same check-in again raises no second alert of a rule and severity it has.
SCREENED_FIELDS = frozenset(
    {
        "mood", "anxiety", "suicidal_thoughts", "panic", "unusual_perceptions",
        "lingering_dissociation", "ketamine_cravings", "urinary_symptoms", "note",
    }
)  # fmt: skip


class EditWindowClosed(Exception):
    """The check-in is older than AFTERCARE_CHECKIN_EDIT_HOURS."""


def edit_deadline(check_in: CheckIn) -> datetime:
    return check_in.submitted_at + timedelta(hours=settings.CHECKIN_EDIT_HOURS)


def can_edit(check_in: CheckIn, now: datetime | None = None) -> bool:
    if settings.CHECKIN_EDIT_HOURS <= 0:
        return False
    return (now or timezone.now()) < edit_deadline(check_in)


@transaction.atomic
def edit_check_in(
    *,
    check_in: CheckIn,
    answers: Mapping[str, Any],
    actor: User,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[CheckIn, CheckInEdit | None, list[Any]]:
    """Change a check-in's answers within the edit window, keeping the earlier answers.

    The check-in keeps its day (``local_date``) and submission time. An edit that changes
    nothing stores nothing. A check-in whose screened answers changed is screened again, in the
    same transaction; the alerts raised are returned.
    """
    now = now or timezone.now()
    unknown = set(answers) - ANSWER_FIELDS
    if unknown:
        raise ValueError(f"Not check-in answers: {sorted(unknown)}")
    check_in = CheckIn.objects.select_for_update().get(pk=check_in.pk)
    if not can_edit(check_in, now):
        raise EditWindowClosed
    new_values = {
        name: ("" if value is None and name in ("note", "physical_symptoms") else value)
        for name, value in answers.items()
    }
    previous = {name: getattr(check_in, name) for name in sorted(ANSWER_FIELDS)}
    changed = sorted(name for name, value in new_values.items() if previous[name] != value)
    if not changed:
        return check_in, None, []
    for name in changed:
        setattr(check_in, name, new_values[name])
    for name in changed:
        # Same range checks as a new check-in (1–10 scores, text lengths).
        if new_values[name] is not None:
            field = CheckIn._meta.get_field(name)
            assert isinstance(field, Field)
            field.run_validators(new_values[name])
    check_in.edited_at = now
    check_in.save()
    edit = CheckInEdit.objects.create(
        check_in=check_in, edited_at=now, edited_by=actor, previous=previous, changed_fields=changed
    )
    record(
        request,
        actor=actor,
        action="update",
        what="check-in",
        patient=check_in.patient,
        object_id=check_in.pk,
    )
    alerts = screen_check_in(check_in) if SCREENED_FIELDS.intersection(changed) else []
    return check_in, edit, alerts


@transaction.atomic
def write_journal_entry(
    *,
    patient: Patient,
    body: str,
    prompt: str = "",
    shared_with_care_team: bool = False,
    request: HttpRequest | None = None,
    written_at: datetime | None = None,
    submission_key: uuid.UUID | None = None,
) -> tuple[JournalEntry, list[Any]]:
    """Store an entry; a shared one is screened for warning signs in the same transaction.

    An entry already stored under ``submission_key`` is returned with its alerts instead.
    """
    entry, created = _create_once(
        JournalEntry,
        patient=patient,
        key=submission_key,
        create=lambda: JournalEntry.objects.create(
            patient=patient,
            written_at=written_at or timezone.now(),
            prompt=prompt,
            body=body,
            shared_with_care_team=shared_with_care_team,
            submission_key=submission_key,
        ),
    )
    if not created:
        return entry, _existing_alerts(Alert.Source.JOURNAL, entry)
    record(
        request,
        actor=patient.user,
        action="create",
        what="journal entry (shared)" if shared_with_care_team else "journal entry (private)",
        patient=patient,
        object_id=entry.pk,
    )
    return entry, screen_journal(entry)


@transaction.atomic
def update_journal_entry(
    *,
    entry: JournalEntry,
    body: str,
    shared_with_care_team: bool,
    request: HttpRequest | None = None,
) -> tuple[JournalEntry, list[Any]]:
    """Change an entry's text and/or who may read it; each kind of change is audited.

    A changed entry that is (now) shared is screened again (safety.screening.screen_journal).
    """
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    patient = entry.patient
    changed = entry.body != body or entry.shared_with_care_team != shared_with_care_team
    if entry.body != body:
        entry.body = body
        record(
            request,
            actor=patient.user,
            action="update",
            what="journal entry",
            patient=patient,
            object_id=entry.pk,
        )
    if entry.shared_with_care_team != shared_with_care_team:
        entry.shared_with_care_team = shared_with_care_team
        record(
            request,
            actor=patient.user,
            action="update",
            what="journal entry shared" if shared_with_care_team else "journal entry made private",
            patient=patient,
            object_id=entry.pk,
        )
    if not changed:
        return entry, []
    entry.save()
    return entry, screen_journal(entry)


@transaction.atomic
def delete_journal_entry(*, entry: JournalEntry, request: HttpRequest | None = None) -> None:
    """The patient deletes their own entry; the audit log keeps that they did, not the text."""
    patient = entry.patient
    record(
        request,
        actor=patient.user,
        action="delete",
        what="journal entry",
        patient=patient,
        object_id=entry.pk,
    )
    entry.delete()


@transaction.atomic
def submit_scale_response(
    *,
    patient: Patient,
    instrument: Instrument,
    answers: Mapping[str, Any],
    request: HttpRequest | None = None,
    taken_at: datetime | None = None,
    submission_key: uuid.UUID | None = None,
) -> tuple[ScaleResponse, Score, list[Any]]:
    """Score, store and screen a completed questionnaire, in one transaction.

    Raises scoring.AnswersInvalid when the answers cannot be scored. A response already stored
    under ``submission_key`` is returned with its alerts instead.
    """
    result = score(instrument, answers)
    response, created = _create_once(
        ScaleResponse,
        patient=patient,
        key=submission_key,
        create=lambda: ScaleResponse.objects.create(
            patient=patient,
            instrument=instrument.key,
            answers={key: int(value) for key, value in answers.items() if value is not None},
            total=result.total,
            taken_at=taken_at or timezone.now(),
            submission_key=submission_key,
        ),
    )
    if not created:
        try:
            stored = score(instrument, answers_by_item(instrument, response.answers))
        except AnswersInvalid:  # the key was reused for another questionnaire
            stored = Score(
                total=response.total, band=instrument.band_for(response.total), warnings=()
            )
        return response, stored, _existing_alerts(Alert.Source.SCALE, response)
    record(
        request,
        actor=patient.user,
        action="create",
        what=f"{instrument.name} response",
        patient=patient,
        object_id=response.pk,
    )
    return response, result, screen_scale(response)


@transaction.atomic
def save_scale_schedule(
    *, clinic: Clinic, instrument: str, values: Mapping[str, Any], actor: User
) -> ScaleSchedule:
    schedule, _created = ScaleSchedule.objects.update_or_create(
        clinic=clinic, instrument=instrument, defaults={**values, "updated_by": actor}
    )
    return schedule
