"""Clinician notes: drafts are editable by their author; once signed a note never changes, and
corrections or additions go into addenda (author and time kept)."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignedNoteError(Exception):
    """A signed note, or an addendum, cannot be changed or deleted."""


class ClinicianNote(models.Model):
    patient = models.ForeignKey(
        "accounts.Patient", on_delete=models.PROTECT, related_name="clinician_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"), max_length=20000)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note {self.pk} on {self.patient_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = ClinicianNote.objects.filter(pk=self.pk).values_list("signed_at", flat=True)
            if any(value is not None for value in stored):
                raise SignedNoteError("A signed note cannot be changed; write an addendum.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_signed:
            raise SignedNoteError("A signed note cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class NoteAddendum(models.Model):
    """An addition to a signed note; written once, never changed."""

    note = models.ForeignKey(ClinicianNote, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()
    body = models.TextField(_("addendum"), max_length=20000)

    class Meta:
        ordering: ClassVar = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"Addendum {self.pk} to note {self.note_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise SignedNoteError("An addendum cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise SignedNoteError("An addendum cannot be deleted.")
