"""Clinic-wide treatment pages: REMS forms due, and the monitoring protocol (thresholds)."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Role, User
from aftercare.accounts.scoping import staff_required
from aftercare.audit.actions import record
from aftercare.treatment import actions, rems
from aftercare.treatment.models import ClinicProtocol, Infusion, Route
from aftercare.treatment.selectors import sessions_visible_to


@dataclass(frozen=True)
class DueForm:
    infusion: Infusion
    due: date
    days_left: int
    missing: list[str]

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left


@staff_required
def rems_due(request: HttpRequest) -> HttpResponse:
    """Esketamine sessions whose REMS patient monitoring form is not yet submitted (due within
    7 days of the session, CLINICAL.md §4 [S]), soonest first; overdue ones stay listed."""
    user: User = request.user  # type: ignore[assignment]
    tz = user.clinic.tz
    today = timezone.localdate()
    protocol = actions.protocol_for(user.clinic)
    outstanding = list(
        sessions_visible_to(user)
        .filter(
            route=Route.INTRANASAL,
            status=Infusion.Status.COMPLETED,
            rems_submitted_at__isnull=True,
            ended_at__gte=timezone.now() - timedelta(days=90),
        )
        .prefetch_related("rounds")
        .select_related("discharge")
        .order_by("ended_at")
    )
    due_forms = []
    for infusion in outstanding:
        due = rems.due_on(infusion, tz)
        assert due is not None
        fields = rems.form_fields(infusion, list(infusion.rounds.all()), protocol)
        due_forms.append(
            DueForm(infusion, due, (due - today).days, [str(f.label) for f in fields if f.missing])
        )
    submitted = list(
        sessions_visible_to(user)
        .filter(route=Route.INTRANASAL, rems_submitted_at__isnull=False)
        .select_related("rems_submitted_by")
        .order_by("-rems_submitted_at")[:20]
    )
    for infusion in {i.patient_id: i for i in outstanding + submitted}.values():
        record(request, action="view", what="REMS forms due", patient=infusion.patient)
    return render(
        request,
        "treatment/rems_due.html",
        {"due_forms": due_forms, "submitted": submitted, "days": rems.DUE_WITHIN_DAYS},
    )


class ProtocolForm(forms.ModelForm):
    class Meta:
        model = ClinicProtocol
        fields = (
            "min_observation_esketamine_minutes",
            "min_observation_minutes",
            "latest_round_max_age_minutes",
            "esketamine_bp_check_from_minutes",
            "esketamine_bp_check_to_minutes",
            "padss_minimum",
            *ClinicProtocol.THRESHOLD_FIELDS,
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
            field.error_messages["invalid"] = _("Enter a whole number.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pairs = [
            ("heart_rate_below", "heart_rate_above"),
            ("respiratory_rate_below", "respiratory_rate_above"),
            ("esketamine_bp_check_from_minutes", "esketamine_bp_check_to_minutes"),
        ]
        for low, high in pairs:
            if data.get(low) is not None and data.get(high) is not None and data[low] >= data[high]:
                self.add_error(high, _("This must be higher than the lower limit."))
        return data


@staff_required
def clinic_protocol(request: HttpRequest) -> HttpResponse:
    """Thresholds and discharge rules: every staff member can read them, clinic admins edit."""
    user: User = request.user  # type: ignore[assignment]
    protocol = actions.protocol_for(user.clinic)
    can_edit = user.role == Role.ADMIN
    if request.method == "POST" and not can_edit:
        raise Http404
    form = ProtocolForm(request.POST or None, instance=protocol)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        before = {name: form.initial.get(name) for name in values}
        actions.update_protocol(protocol=protocol, by=user, values=values, before=before)
        messages.success(request, _("Monitoring protocol saved."))
        return redirect("clinic_protocol")
    return render(
        request,
        "treatment/protocol.html",
        {"form": form, "can_edit": can_edit, "protocol": protocol},
        status=400 if form.errors else 200,
    )
