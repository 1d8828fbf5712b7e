from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    """Response insights per patient and the clinic outcomes dashboard (issue #7)."""

    name = "aftercare.outcomes"
    label = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self) -> None:
        from aftercare.outcomes import stamps

        stamps.connect()
