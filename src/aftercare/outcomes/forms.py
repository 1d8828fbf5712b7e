"""Dashboard filters (GET), the patient-list selector and the clinic's definitions form."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Clinic, Patient, Role, User
from aftercare.insights.cohort import METRICS
from aftercare.outcomes.models import ClinicDefinitions
from aftercare.treatment.models import Course, Infusion, Route

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
FILTER_FIELDS = ("start", "end", "clinician", "route")


class OutcomeFilters(forms.Form):
    """Which patients the dashboard counts. Every field is optional; a bad value is reported
    next to its field and left out, the others still apply."""

    start = forms.DateField(
        label=_("Series started on or after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("Series started on or before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    clinician = forms.ChoiceField(label=_("Clinician"), required=False)
    route = forms.ChoiceField(
        label=_("Route"), required=False, choices=[("", _("All routes")), *Route.choices]
    )

    def __init__(
        self,
        *args: Any,
        clinic: Clinic,
        patients: QuerySet[Patient] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Staff who have left are offered only while patients counted here are still theirs,
        # so those patients' outcomes stay reachable by clinician.
        if patients is None:
            patients = Patient.objects.filter(clinic=clinic)
        still_theirs = Exists(patients.filter(clinician_id=OuterRef("pk")))
        staff = (
            User.objects.filter(clinic=clinic, role__in=(Role.CLINICIAN, Role.ADMIN))
            .filter(Q(is_active=True) | Q(still_theirs))
            .order_by("last_name", "first_name", "pk")
        )
        self.fields["clinician"].choices = [  # type: ignore[attr-defined]
            ("", _("All clinicians")),
            *((str(u.pk), self._clinician_label(u)) for u in staff),
        ]

    @staticmethod
    def _clinician_label(user: User) -> str:
        name = user.get_full_name() or user.email
        return name if user.is_active else _("%(name)s (inactive)") % {"name": name}

    def _clean_day(self, name: str) -> date | None:
        value = self.cleaned_data.get(name)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                _("Choose a date between %(lo)s and %(hi)s."),
                params={"lo": EARLIEST.isoformat(), "hi": LATEST.isoformat()},
            )
        return value

    def clean_start(self) -> date | None:
        return self._clean_day("start")

    def clean_end(self) -> date | None:
        return self._clean_day("end")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        return data

    def valid_values(self) -> dict[str, Any]:
        """The fields that passed validation (all of them after ``is_valid``)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: self.cleaned_data[name]
            for name in FILTER_FIELDS
            if name in self.cleaned_data and name not in self.errors and self.cleaned_data[name]
        }

    def apply(self, patients: QuerySet[Patient]) -> QuerySet[Patient]:
        values = self.valid_values()
        if "clinician" in values:
            patients = patients.filter(clinician_id=int(values["clinician"]))
        if "route" in values:
            patients = patients.filter(
                Exists(
                    Infusion.objects.filter(
                        patient=OuterRef("pk"),
                        route=values["route"],
                        status=Infusion.Status.COMPLETED,
                    )
                )
            )
        if "start" in values or "end" in values:
            courses = Course.objects.filter(patient=OuterRef("pk"), kind=Course.Kind.INDUCTION)
            if "start" in values:
                courses = courses.filter(started_on__gte=values["start"])
            if "end" in values:
                courses = courses.filter(started_on__lte=values["end"])
            patients = patients.filter(Exists(courses))
        return patients

    def query(self, **extra: str) -> str:
        """Query string of the valid filters plus ``extra``, for links that keep the filters."""
        params = {
            k: v.isoformat() if isinstance(v, date) else v for k, v in self.valid_values().items()
        }
        params.update(extra)
        return urlencode(params)


# Survival and interval groups are lists of patients too, beside the counts of METRICS.
LIST_KEYS = (*METRICS, "survival", "survival_events", "survival_censored", "intervals")


class PatientListForm(OutcomeFilters):
    """Which patients are behind a number: ``metric`` and whether its numerator or denominator."""

    metric = forms.ChoiceField(choices=[(k, k) for k in LIST_KEYS])
    part = forms.ChoiceField(
        required=False,
        choices=[("", ""), ("numerator", "numerator"), ("denominator", "denominator")],
    )


class DefinitionsForm(forms.ModelForm):
    class Meta:
        model = ClinicDefinitions
        fields = (
            "instrument",
            "response_percent",
            "partial_percent",
            "remission_below",
            "mcid_points",
            "response_confirm_visits",
            "remission_confirm_visits",
            "loss_confirm_visits",
            "assessment_from_days",
            "assessment_to_days",
        )
