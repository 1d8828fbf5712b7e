"""Views of the reports app. Thin: the work is in progress.py, deidentified.py,
clinician_calendar.py and imports.py."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from aftercare.accounts.models import Role
from aftercare.accounts.scoping import get_patient, staff_required
from aftercare.audit.actions import record, record_clinic
from aftercare.reports import clinician_calendar, deidentified, progress
from aftercare.reports.forms import CalendarScopeForm, ProgressReportForm
from aftercare.reports.models import ClinicianCalendarFeed, new_feed_token

logger = logging.getLogger(__name__)

DEFAULT_REPORT_DAYS = 90


@never_cache
@staff_required
def progress_report(request: HttpRequest, patient_id: str) -> HttpResponse:
    """The period form; with a valid period (?start=…&end=…) the PDF itself."""
    patient = get_patient(request.user, patient_id)  # type: ignore[arg-type]
    today = timezone.now().astimezone(patient.tz).date()
    submitted = "start" in request.GET or "end" in request.GET
    form = ProgressReportForm(
        request.GET if submitted else None,
        today=today,
        initial={"start": today - timedelta(days=DEFAULT_REPORT_DAYS - 1), "end": today},
    )
    if submitted and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        record(request, action="export", what="progress report (PDF)", patient=patient,
               object_id=f"{start}..{end}")  # fmt: skip
        report = progress.report_for(patient, start=start, end=end)
        try:
            pdf = progress.render_pdf(report)
        except (ImportError, OSError):  # WeasyPrint without Pango on this machine
            logger.exception("PDF rendering unavailable")
            form.add_error(None, _("The PDF cannot be made on this server."))
        else:
            response = HttpResponse(pdf, content_type="application/pdf")
            name = f"progress-report-{start}-to-{end}.pdf"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    else:
        record(request, action="view", what="progress report (period form)", patient=patient)
    return render(
        request,
        "reports/progress_form.html",
        {"patient": patient, "form": form},
        status=400 if form.errors else 200,
    )


@staff_required
def clinic_exports(request: HttpRequest) -> HttpResponse:
    """The de-identified outcome export and the staff member's session calendar address."""
    user = request.user
    feed = clinician_calendar.feed_of(user)  # type: ignore[arg-type]
    form = CalendarScopeForm(
        request.POST if request.POST.get("action") == "scope" else None, instance=feed
    )
    if request.method == "POST":
        if request.POST.get("action") == "renew":
            feed.token = new_feed_token()
            feed.save(update_fields=["token", "issued_at"])
            messages.success(
                request, _("Your session calendar has a new address. The old one no longer works.")
            )
            return redirect("clinic_exports")
        if form.is_valid():
            form.save()
            messages.success(request, _("Your session calendar now shows what you chose."))
            return redirect("clinic_exports")
    url = settings.SITE_URL + reverse("clinician_ical_feed", args=[feed.token])
    return render(
        request,
        "reports/clinic_exports.html",
        {
            "form": form,
            "feed": feed,
            "url": url,
            "webcal_url": "webcal://" + url.split("://")[1],
            "columns": [
                (name, deidentified.COLUMN_MEANINGS[name]) for name in deidentified.COLUMNS
            ],
        },
        status=400 if form.errors else 200,
    )


@never_cache
@require_GET
@staff_required
def deidentified_export(request: HttpRequest) -> HttpResponse:
    clinic = request.user.clinic  # type: ignore[union-attr]
    # No one patient is named: the record is the clinic's (who, when, from where).
    record_clinic(request, action="export", what="de-identified outcome export (CSV)",
                  clinic_id=clinic.pk)  # fmt: skip
    response = StreamingHttpResponse(
        deidentified.chunks(deidentified.csv_lines(clinic)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().astimezone(clinic.tz).date().isoformat()
    name = f"outcomes-deidentified-{clinic.slug}-{stamp}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response  # type: ignore[return-value]  # decorators are typed for HttpResponse


@require_GET
@never_cache
def clinician_ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A staff member's session calendar; the secret address is the only credential."""
    feed = (
        ClinicianCalendarFeed.objects.select_related("user__clinic")
        .filter(token=token, user__is_active=True, user__role__in=(Role.CLINICIAN, Role.ADMIN))
        .first()
    )
    if feed is None:
        raise Http404
    body = clinician_calendar.feed_for(feed, timezone.now())
    # The actor is whoever holds the address (usually a calendar app): recorded by IP only.
    record_clinic(request, action="view", what="session calendar feed",
                  clinic_id=feed.user.clinic_id)  # fmt: skip
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="aftercare-sessions.ics"'
    return response
