from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftercare.accounts.scoping import patient_required
from aftercare.guidance.views import patient_home
from aftercare.tracking.actions import submit_check_in
from aftercare.tracking.forms import CheckInForm


@require_POST
@patient_required
def check_in(request: HttpRequest) -> HttpResponse:
    form = CheckInForm(request.POST)
    if not form.is_valid():
        # Re-render the home page with the answers kept and each error beside its field.
        return patient_home(request, form=form)
    patient = request.user.patient  # type: ignore[union-attr]
    entry, _alerts = submit_check_in(patient=patient, answers=form.cleaned_data)
    if entry.suicidal_thoughts:
        # The crisis screen is part of this response: it must not depend on another request.
        return render(request, "tracking/check_in_urgent.html", {"check_in": entry})
    messages.success(request, _("Thank you. Your check-in is saved."))
    return redirect("home")
