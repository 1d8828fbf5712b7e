"""Patients' requests for their data or its deletion, and the record of each deletion."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataRequest(models.Model):
    """A patient asks the clinic for a copy of their data or for its deletion."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("A copy of my data")
        DELETION = "deletion", _("Delete my data")

    patient = models.ForeignKey(
        "accounts.Patient", on_delete=models.PROTECT, related_name="data_requests"
    )
    kind = models.CharField(_("request"), max_length=20, choices=Kind.choices)
    requested_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The patient changed their mind before the clinic acted; kept so the history shows it.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-requested_at", "-pk")

    def __str__(self) -> str:
        return f"{self.kind} request of {self.patient_id}"


class DeletionRecord(models.Model):
    """That a patient's data was erased: who asked, who did it, when, how many rows of what.

    Holds counts only, never the erased content."""

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("accounts.Patient", on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(DataRequest, on_delete=models.PROTECT, null=True, related_name="+")
    requested_by = models.CharField(max_length=20)  # "patient" or "clinic"
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    performed_at = models.DateTimeField(auto_now_add=True)
    removed = models.JSONField(default=dict)  # {"tracking.CheckIn": 12, ...}
    retained = models.JSONField(default=list)  # model labels kept for legal retention

    def __str__(self) -> str:
        return f"Deletion for {self.patient_id} at {self.performed_at:%Y-%m-%d}"
