from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The clinician workspace: patient list, patient timeline, clinician notes (issue #8)."""

    name = "aftercare.workspace"
    label = "workspace"
    verbose_name = _("Clinician workspace")
