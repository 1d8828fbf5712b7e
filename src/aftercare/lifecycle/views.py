"""A patient's data on request: the admin's export and deletion, the patient's request page."""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Case, IntegerField, Q, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Patient, User
from aftercare.accounts.scoping import (
    admin_required,
    get_patient,
    patient_required,
    patients_visible_to,
)
from aftercare.audit.actions import record
from aftercare.lifecycle.erasure import RETAINABLE, erase_patient, retained_groups
from aftercare.lifecycle.export import patient_zip
from aftercare.lifecycle.forms import ConfirmDeletionForm, DataRequestForm
from aftercare.lifecycle.models import DataRequest, DeletionRecord


def _open(patient: Patient, kind: str) -> DataRequest | None:
    return patient.data_requests.filter(kind=kind, done_at=None, withdrawn_at=None).first()


@admin_required
def data_requests(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    since = timezone.now() - timedelta(days=90)
    waiting = Q(done_at=None, withdrawn_at=None)
    requests = (
        DataRequest.objects.filter(patient__in=patients_visible_to(user))
        .filter(waiting | Q(done_at__gte=since) | Q(withdrawn_at__gte=since))
        .select_related("patient__user", "done_by")
        # Open ones first, as the page says: they are the clinic's queue.
        .order_by(
            Case(When(waiting, then=0), default=1, output_field=IntegerField()),
            "-requested_at",
            "-pk",
        )
    )
    return render(request, "lifecycle/requests.html", {"requests": requests})


@admin_required
def patient_data_export(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = get_patient(request.user, patient_id)  # type: ignore[arg-type]
    record(request, action="export", what="all patient data (zip)", patient=patient)
    body = patient_zip(patient)
    pending = _open(patient, DataRequest.Kind.EXPORT)
    if pending is not None:
        # Not if the patient withdrew it meanwhile: the history keeps their withdrawal.
        DataRequest.objects.filter(pk=pending.pk, withdrawn_at=None).update(
            done_at=timezone.now(), done_by=request.user
        )
    response = HttpResponse(body, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="patient-{patient.pk}-{stamp}.zip"'
    return response


@admin_required
def patient_data_delete(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = get_patient(request.user, patient_id)  # type: ignore[arg-type]
    done = DeletionRecord.objects.filter(patient=patient).first()
    expected = patient.user.get_full_name() or patient.user.email
    form = ConfirmDeletionForm(
        request.POST if request.method == "POST" and done is None else None, expected=expected
    )
    if form.is_bound and form.is_valid():
        erase_patient(
            patient=patient,
            by=request.user,  # type: ignore[arg-type]
            request=request,
            data_request=_open(patient, DataRequest.Kind.DELETION),
        )
        messages.success(request, _("The patient's data has been deleted."))
        return redirect("patient_data_delete", patient_id=patient.pk)
    record(request, action="view", what="data deletion page", patient=patient)
    return render(
        request,
        "lifecycle/delete.html",
        {
            "patient": patient,
            "form": form,
            "done": done,
            "retained": [g for g in retained_groups() if g in RETAINABLE],
            "pending": _open(patient, DataRequest.Kind.DELETION),
            "withdrawn": patient.data_requests.filter(
                kind=DataRequest.Kind.DELETION, withdrawn_at__isnull=False
            ).first(),
        },
        status=400 if form.errors else 200,
    )


@patient_required
def my_data(request: HttpRequest) -> HttpResponse:
    patient: Patient = request.user.patient  # type: ignore[union-attr]
    form = DataRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        if _open(patient, kind) is None:
            DataRequest.objects.create(patient=patient, kind=kind)
        messages.success(request, _("Your request has been sent to your clinic."))
        return redirect("my_data")
    return render(
        request,
        "lifecycle/my_data.html",
        {"form": form, "requests": patient.data_requests.all()[:10]},
        status=400 if form.errors else 200,
    )


@require_POST
@patient_required
def withdraw_data_request(request: HttpRequest, request_id: int) -> HttpResponse:
    """The patient changes their mind while the clinic has not yet acted on the request."""
    patient: Patient = request.user.patient  # type: ignore[union-attr]
    item = get_object_or_404(patient.data_requests, pk=request_id)
    # One conditional update: whichever of patient and clinic comes first wins, never both.
    withdrawn = DataRequest.objects.filter(pk=item.pk, done_at=None, withdrawn_at=None).update(
        withdrawn_at=timezone.now()
    )
    if withdrawn:
        record(
            request,
            action="update",
            what=f"withdrew data request ({item.kind})",
            patient=patient,
            object_id=item.pk,
        )
        messages.success(
            request,
            _("Your request is withdrawn: %(kind)s. Your clinic will not act on it.")
            % {"kind": item.get_kind_display()},
        )
    else:
        item.refresh_from_db()
        if item.withdrawn_at is not None:
            messages.info(request, _("You had already withdrawn this request."))
        else:
            messages.error(
                request,
                _(
                    "Your clinic has already answered this request, so it can no longer be "
                    "withdrawn."
                ),
            )
    return redirect("my_data")
