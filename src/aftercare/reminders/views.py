from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from aftercare.accounts.models import Patient
from aftercare.accounts.scoping import patient_required
from aftercare.audit.actions import record
from aftercare.reminders import actions, calendar, middleware, schedule, tokens
from aftercare.reminders.forms import ReminderPreferenceForm
from aftercare.reminders.models import CalendarFeed

PREVIEW_DAYS = 7


@patient_required
def reminder_preferences(request: HttpRequest) -> HttpResponse:
    patient: Patient = request.user.patient  # type: ignore[union-attr]
    preference = actions.preferences_for(patient)
    form = ReminderPreferenceForm(request.POST or None, preference=preference)
    if request.method == "POST" and form.is_valid():
        actions.update_preferences(
            patient=patient,
            actor=request.user,  # type: ignore[arg-type]
            **form.cleaned_data,
        )
        messages.success(request, _("Your reminder settings are saved."))
        return redirect("reminder_preferences")
    prefs = preference.as_schedule()
    now = timezone.now()
    upcoming = schedule.occurrences(prefs, patient.tz, now, now + timedelta(days=PREVIEW_DAYS))
    # A day already checked in gets no reminder (reminders.jobs): do not list one for it.
    today = now.astimezone(patient.tz).date()
    checked = set(
        patient.check_ins.filter(local_date__gte=today).values_list("local_date", flat=True)
    )
    upcoming = [m for m in upcoming if m.astimezone(patient.tz).date() not in checked]
    offset, planned = schedule.planned_time(prefs)
    return render(
        request,
        "reminders/preferences.html",
        {
            "form": form,
            "patient": patient,
            "preference": preference,
            "upcoming": [moment.astimezone(patient.tz) for moment in upcoming],
            "moved_to": planned if planned != prefs.time_of_day else None,
            "next_day": offset > 0,
        },
        status=400 if form.errors else 200,
    )


@patient_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    patient: Patient = request.user.patient  # type: ignore[union-attr]
    if request.method == "POST":
        actions.renew_calendar_link(patient=patient, actor=request.user)  # type: ignore[arg-type]
        messages.success(
            request, _("Your calendar has a new address. The old one no longer works.")
        )
        return redirect("calendar")
    feed = actions.calendar_feed_for(patient)
    url = settings.SITE_URL + reverse("ical_feed", args=[feed.token])
    return render(
        request,
        "reminders/calendar.html",
        {"feed": feed, "url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]},
    )


@require_GET
@never_cache
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The patient's calendar; the secret address is the only credential (docs/reminders.md)."""
    feed = (
        CalendarFeed.objects.select_related("patient__user", "patient__clinic")
        .filter(token=token, patient__user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    patient = feed.patient
    body = calendar.feed_for(patient, timezone.now())
    # The actor is whoever holds the address (usually a calendar app): recorded by IP only.
    record(request, action="view", what="calendar feed", patient=patient, object_id=feed.pk)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="aftercare.ics"'
    return response


@require_safe
@never_cache
def reminder_link(request: HttpRequest, token: str) -> HttpResponse:
    """A one-tap link from a reminder email: opens the check-in, and nothing else."""
    if request.user.is_authenticated:
        return redirect("home")
    grant = tokens.grant_for_token(token)
    if grant is None:
        return render(request, "reminders/link_invalid.html", status=404)
    if actions.checked_in_since(grant.patient, grant.local_date):
        return render(request, "reminders/link_done.html", {"already": True})
    middleware.start(request.session, grant, token)
    record(
        request,
        actor=grant.patient.user,
        action="view",
        what="reminder link",
        patient=grant.patient,
        object_id=grant.local_date.isoformat(),
    )
    return redirect("patient_home")


def reminder_link_done(request: HttpRequest) -> HttpResponse:
    return render(request, "reminders/link_done.html", {"already": False})
