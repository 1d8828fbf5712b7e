"""A patient imports their mood history: upload → preview with the mapping → confirm."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from aftercare.accounts.models import Patient
from aftercare.accounts.scoping import patient_required
from aftercare.audit.actions import record
from aftercare.reports import import_actions, imports
from aftercare.reports.forms import MoodImportForm, MoodMappingForm
from aftercare.tracking.models import CheckIn

SESSION_KEY = "reports.mood_import"


def _patient(request: HttpRequest) -> Patient:
    return request.user.patient  # type: ignore[union-attr]


@never_cache
@patient_required
def upload(request: HttpRequest) -> HttpResponse:
    patient = _patient(request)
    bound = request.method == "POST"
    form = MoodImportForm(request.POST if bound else None, request.FILES if bound else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        today = timezone.now().astimezone(patient.tz).date()
        try:
            if upload.size > imports.MAX_BYTES:
                raise imports.ImportProblem(
                    _("The file is larger than %(mb)s MB. Export a shorter period.")
                    % {"mb": imports.MAX_BYTES // 2**20}
                )
            parsed = imports.parse(form.cleaned_data["source"], upload.read(), today)
        except imports.ImportProblem as problem:
            form.add_error("file", str(problem))
        else:
            request.session[SESSION_KEY] = imports.to_session(parsed, upload.name or "")
            return redirect("mood_import_preview")
    imported = patient.check_ins.exclude(source=CheckIn.Source.APP).count()
    record(request, action="view", what="mood history import (upload page)", patient=patient)
    return render(
        request,
        "reports/import_upload.html",
        {"form": form, "imported": imported},
        status=400 if form.errors else 200,
    )


@never_cache
@patient_required
def preview(request: HttpRequest) -> HttpResponse:
    patient = _patient(request)
    pending = request.session.get(SESSION_KEY)
    record(request, action="view", what="mood history import (preview)", patient=patient)
    if not pending:
        if request.method == "POST":
            return redirect("mood_import")
        return render(request, "reports/import_nothing.html")
    if request.method == "POST" and request.POST.get("action") == "cancel":
        del request.session[SESSION_KEY]
        messages.info(request, _("Nothing was imported."))
        return redirect("mood_import")
    form = MoodMappingForm(
        request.POST if request.method == "POST" else None,
        labels=pending["labels"],
        mapping=pending["mapping"],
        source=pending["source"],
    )
    entries = imports.from_session(pending)
    mapping = pending["mapping"]
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        pending["mapping"] = mapping
        request.session[SESSION_KEY] = pending
        if request.POST.get("action") == "confirm":
            days = imports.days(entries, mapping, set())
            added, kept = import_actions.import_days(
                patient=patient, source=pending["source"], days=days, request=request
            )
            del request.session[SESSION_KEY]
            messages.success(
                request,
                _("%(added)s days imported; %(kept)s days kept your own check-in.")
                % {"added": added, "kept": kept},
            )
            return redirect("trends")
    rows = imports.days(entries, mapping, set())
    rows = imports.days(entries, mapping, import_actions.existing_days(patient, rows))
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.label] = counts.get(entry.label, 0) + 1
    return render(
        request,
        "reports/import_preview.html",
        {
            "form": form,
            "pending": pending,
            "rows": rows,
            "new_days": sum(1 for r in rows if not r.kept_existing),
            "kept_days": sum(1 for r in rows if r.kept_existing),
            "mapping_rows": [
                (form[f"map_{n}"], counts.get(label, 0)) for n, label in enumerate(form.labels)
            ],
        },
        status=400 if form.errors else 200,
    )
