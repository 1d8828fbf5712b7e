from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from aftercare.accounts.models import Patient


class TimezoneMiddleware:
    """Show times in the patient's own zone, and in the clinic's zone to staff."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            try:
                timezone.activate(user.patient.tz)
            except Patient.DoesNotExist:
                timezone.activate(user.clinic.tz)
        else:
            timezone.deactivate()
        return self.get_response(request)
