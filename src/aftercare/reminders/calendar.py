"""A patient's iCalendar feed: upcoming infusions and the next 14 days of check-in reminders.

Reminders are listed one event per day, not as one repeating (RRULE) event: the schedule has
rules a calendar app cannot express or would apply differently (quiet hours move a reminder,
and RFC 5545 resolves a skipped daylight-saving hour by shifting the time by the gap rather
than using the first valid instant). Listing the days computed by ``schedule`` guarantees the
calendar shows exactly what the reminder job sends. Every event is in the patient's zone (TZID)
and has a UID derived from database ids, so a calendar app updates events instead of
duplicating them on each refresh.

An appointment keeps its UID when it is moved (the UID is the infusion's id) and its SEQUENCE
counts the changes since booking, so a calendar app moves the event; a cancelled appointment
stays in the feed with STATUS:CANCELLED so apps that merge events remove it. Staff have a feed
of their sessions built the same way (reports/clinician_calendar.py).

Titles are deliberately discreet ("Clinic appointment"): subscribed calendars are often synced
to third-party servers and shown on lock screens.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from aftercare.accounts.models import Patient
from aftercare.reminders import schedule
from aftercare.reminders.models import DEFAULTS, ReminderPreference
from aftercare.treatment.models import Infusion, ScheduleChange

REMINDER_DAYS = 14
REMINDER_MINUTES = 10
# Infusion 40–60 min plus the in-clinic recovery of about 2 h before discharge
# (PRODUCT.md §1, CLINICAL.md §4: observe for at least 2 h): block 3 h.
APPOINTMENT_HOURS = 3
UID_DOMAIN = "aftercare"


def infusion_uid(infusion: Infusion) -> str:
    return f"infusion-{infusion.pk}@{UID_DOMAIN}"


# Changes after booking that a calendar app must pick up (RFC 5545 SEQUENCE).
REVISIONS = (
    ScheduleChange.Change.MOVED,
    ScheduleChange.Change.CANCELLED,
    ScheduleChange.Change.NO_SHOW,
)
CLOSED = (Infusion.Status.CANCELLED, Infusion.Status.NO_SHOW)


def with_sequence(infusions: QuerySet[Infusion]) -> QuerySet[Infusion]:
    """Each infusion annotated with ``sequence``: how often it was moved or called off."""
    return infusions.annotate(
        sequence=Count("changes", filter=Q(changes__change__in=REVISIONS), distinct=True)
    )


def reminder_uid(patient: Patient, local_date: date) -> str:
    return f"check-in-{patient.pk}-{local_date:%Y%m%d}@{UID_DOMAIN}"


def _preferences(patient: Patient) -> schedule.Preferences:
    try:
        return patient.reminder_preference.as_schedule()
    except ReminderPreference.DoesNotExist:
        return DEFAULTS


def feed_for(patient: Patient, now: datetime) -> bytes:
    tz = patient.tz
    home = settings.SITE_URL + reverse("patient_home")
    calendar = Calendar()
    calendar.add("prodid", "-//aftercare//Aftercare//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-timezone", patient.timezone)
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", timedelta(hours=6))
    with translation.override(settings.LANGUAGE_CODE):
        calendar.add("x-wr-calname", _("Aftercare"))
        infusions = with_sequence(
            patient.infusions.filter(
                status__in=(Infusion.Status.SCHEDULED, Infusion.Status.CANCELLED),
                scheduled_at__gte=now - timedelta(days=1),
            ).order_by("scheduled_at", "pk")
        )
        for infusion in infusions:
            event = Event()
            event.add("uid", infusion_uid(infusion))
            event.add("dtstamp", now)
            event.add("sequence", infusion.sequence)  # type: ignore[attr-defined]
            if infusion.status in CLOSED:
                event.add("status", "CANCELLED")
            event.add("dtstart", infusion.scheduled_at.astimezone(tz))
            event.add("duration", timedelta(hours=APPOINTMENT_HOURS))
            event.add("summary", _("Clinic appointment"))
            event.add("description", _("Details and what to plan for: %(url)s") % {"url": home})
            event.add("transp", "OPAQUE")
            calendar.add_component(event)
        today = now.astimezone(tz).date()
        window = schedule.reminders(
            _preferences(patient), tz, now - timedelta(days=1), now + timedelta(days=REMINDER_DAYS)
        )
        for reminder in window:
            if reminder.local_date < today:
                continue
            event = Event()
            event.add("uid", reminder_uid(patient, reminder.local_date))
            event.add("dtstamp", now)
            event.add("dtstart", reminder.send_at.astimezone(tz))
            event.add("duration", timedelta(minutes=REMINDER_MINUTES))
            event.add("summary", _("Daily check-in"))
            event.add("description", _("Takes under a minute: %(url)s") % {"url": home})
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    last = max(
        [today + timedelta(days=REMINDER_DAYS + 1)]
        + [i.scheduled_at.astimezone(tz).date() + timedelta(days=1) for i in infusions]
    )
    calendar.add_missing_timezones(first_date=today - timedelta(days=2), last_date=last)
    return calendar.to_ical()
