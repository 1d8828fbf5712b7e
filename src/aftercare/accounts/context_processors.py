from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from aftercare.accounts.namesakes import shared_names


def clinic(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    context: dict[str, Any] = {"clinic": user.clinic if user.is_authenticated else None}
    if user.is_authenticated and not user.is_patient and user.clinic_id:
        # Read only by pages that list patients ({% namesake_hint %}), once per page.
        clinic_id = user.clinic_id
        context["shared_patient_names"] = SimpleLazyObject(lambda: shared_names(clinic_id))
    return context
