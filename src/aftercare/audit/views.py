"""The clinic admin's view of the audit log: filter, page through, export the filtered set."""

import csv
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from aftercare.accounts.models import User
from aftercare.accounts.scoping import admin_required
from aftercare.audit.actions import record_clinic
from aftercare.audit.forms import AuditFilterForm
from aftercare.audit.selectors import csv_rows, events_for

PAGE_SIZE = 50


class _Echo:
    def write(self, value: str) -> str:
        return value


def _filters(request: HttpRequest) -> tuple[AuditFilterForm, dict]:
    user: User = request.user  # type: ignore[assignment]
    form = AuditFilterForm(request.GET or None, admin=user)
    valid = form.is_bound and form.is_valid()
    return form, (form.cleaned_data if valid else {})


@admin_required
def audit_log(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form, filters = _filters(request)
    page = Paginator(events_for(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "query": urlencode(query),
            "clinic_tz": user.clinic.timezone,
        },
        status=400 if form.errors else 200,
    )


@admin_required
def audit_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered events as CSV, streamed; the export itself leaves an audit record."""
    user: User = request.user  # type: ignore[assignment]
    form, filters = _filters(request)
    if form.errors:
        return audit_log(request)
    patient = filters.get("patient")
    export = record_clinic(
        request,
        action="export",
        what="audit log (CSV)",
        clinic_id=user.clinic_id,
        patient_id=patient.pk if patient else None,
    )
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        # The set as it stood when asked for; the export's own record is the next one.
        (
            writer.writerow(row)
            for row in csv_rows(events_for(user, filters).filter(pk__lt=export.pk))
        ),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localdate(timezone=user.clinic.tz).isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
