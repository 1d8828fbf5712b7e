"""Writes of the workspace: clinician notes (audited; immutable once signed)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from aftercare.accounts.models import Patient, User
from aftercare.audit.actions import record
from aftercare.workspace.models import ClinicianNote, NoteAddendum, SignedNoteError


def write_note(
    *, request: HttpRequest | None, patient: Patient, author: User, body: str, sign: bool
) -> ClinicianNote:
    now = timezone.now()
    with transaction.atomic():
        note = ClinicianNote.objects.create(
            patient=patient,
            author=author,
            body=body,
            created_at=now,
            updated_at=now,
            signed_at=now if sign else None,
        )
        record(request, action="create", what="clinician note", patient=patient, object_id=note.pk)
    return note


def edit_draft(
    *, request: HttpRequest | None, note: ClinicianNote, author: User, body: str, sign: bool
) -> ClinicianNote:
    """Change a draft (only its author may); signing makes it final."""
    with transaction.atomic():
        locked = ClinicianNote.objects.select_for_update().get(pk=note.pk)
        if locked.is_signed or locked.author_id != author.pk:
            raise SignedNoteError("Only the author's own draft can be changed.")
        now = timezone.now()
        locked.body = body
        locked.updated_at = now
        if sign:
            locked.signed_at = now
        locked.save()
        record(
            request,
            action="sign" if sign else "update",
            what="clinician note",
            patient=locked.patient,
            object_id=locked.pk,
        )
    return locked


def add_addendum(
    *, request: HttpRequest | None, note: ClinicianNote, author: User, body: str
) -> NoteAddendum:
    if not note.is_signed:
        raise SignedNoteError("A draft is edited, not amended.")
    with transaction.atomic():
        addendum = NoteAddendum.objects.create(
            note=note, author=author, body=body, written_at=timezone.now()
        )
        record(
            request,
            action="create",
            what="clinician note addendum",
            patient=note.patient,
            object_id=addendum.pk,
        )
    return addendum
