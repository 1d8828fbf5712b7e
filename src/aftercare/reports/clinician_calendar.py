"""A staff member's calendar feed of treatment sessions, by secret address.

Sessions have no clinician of their own: a clinician's feed lists the sessions of the patients
assigned to them (``Patient.clinician``), or, if they choose, every session at their clinic.
Events are in the clinic's zone. Like the patient's feed (reminders/calendar.py) the UID is the
infusion's id, so a moved session keeps its event; SEQUENCE counts the changes; cancelled and
no-show sessions stay in the feed with STATUS:CANCELLED.

Subscribed calendars are often synced to third-party servers and shown on lock screens, so an
event names the patient by initials only; the link in it needs a staff login.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from aftercare.accounts.models import Patient, User
from aftercare.reminders.calendar import APPOINTMENT_HOURS, CLOSED, UID_DOMAIN, with_sequence
from aftercare.reports.models import ClinicianCalendarFeed
from aftercare.treatment.models import Infusion

PAST_DAYS = 30  # sessions this far back stay in the feed
AHEAD_DAYS = 180


def session_uid(infusion: Infusion) -> str:
    return f"session-{infusion.pk}@{UID_DOMAIN}"


def initials(patient: Patient) -> str:
    user = patient.user
    letters = [name[0].upper() for name in (user.first_name, user.last_name) if name]
    return ".".join(letters) + "." if letters else "?"


def sessions_for(user: User, scope: str, now: datetime) -> QuerySet[Infusion]:
    infusions = Infusion.objects.filter(
        patient__clinic_id=user.clinic_id,
        scheduled_at__gte=now - timedelta(days=PAST_DAYS),
        scheduled_at__lte=now + timedelta(days=AHEAD_DAYS),
    )
    if scope == ClinicianCalendarFeed.Scope.MINE:
        infusions = infusions.filter(patient__clinician=user)
    return with_sequence(infusions.select_related("patient__user").order_by("scheduled_at", "pk"))


def feed_for(feed: ClinicianCalendarFeed, now: datetime) -> bytes:
    user = feed.user
    clinic = user.clinic
    tz = clinic.tz
    calendar = Calendar()
    calendar.add("prodid", "-//aftercare//Aftercare sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-timezone", clinic.timezone)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", timedelta(hours=1))
    sessions = list(sessions_for(user, feed.scope, now))
    with translation.override(settings.LANGUAGE_CODE):
        calendar.add("x-wr-calname", _("Aftercare sessions"))
        for infusion in sessions:
            event = Event()
            event.add("uid", session_uid(infusion))
            event.add("dtstamp", now)
            event.add("sequence", infusion.sequence)  # type: ignore[attr-defined]
            start = infusion.started_at or infusion.scheduled_at
            event.add("dtstart", start.astimezone(tz))
            event.add("duration", timedelta(hours=APPOINTMENT_HOURS))
            event.add(
                "summary",
                _("Session: %(initials)s (%(route)s)")
                % {"initials": initials(infusion.patient), "route": infusion.get_route_display()},
            )
            url = settings.SITE_URL + reverse("session_detail", args=[infusion.pk])
            event.add("description", _("Session page (staff login): %(url)s") % {"url": url})
            if infusion.status in CLOSED:
                event.add("status", "CANCELLED")
            else:
                event.add("status", "CONFIRMED")
            event.add("transp", "OPAQUE")
            calendar.add_component(event)
    today = now.astimezone(tz).date()
    calendar.add_missing_timezones(
        first_date=today - timedelta(days=PAST_DAYS + 1),
        last_date=today + timedelta(days=366),  # a year: both standard and daylight time
    )
    return calendar.to_ical()


def feed_of(user: User) -> ClinicianCalendarFeed:
    feed, _created = ClinicianCalendarFeed.objects.get_or_create(user=user)
    return feed
