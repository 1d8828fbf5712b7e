"""Writes for reminder preferences and calendar links. Tests set up data through these too."""

from datetime import date, time

from django.db import IntegrityError, transaction

from aftercare.accounts.models import Patient, User
from aftercare.audit.actions import record
from aftercare.reminders.models import CalendarFeed, ReminderPreference, new_calendar_token
from aftercare.tracking.models import CheckIn


def preferences_for(patient: Patient) -> ReminderPreference:
    """The patient's preferences, created with the defaults the first time they are needed."""
    try:
        return ReminderPreference.objects.get(patient=patient)
    except ReminderPreference.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return ReminderPreference.objects.create(patient=patient)
    except IntegrityError:  # created at the same moment by another request or the job
        return ReminderPreference.objects.get(patient=patient)


@transaction.atomic
def update_preferences(
    *,
    patient: Patient,
    actor: User,
    enabled: bool,
    time_of_day: time,
    quiet_start: time | None,
    quiet_end: time | None,
    weekdays: str,
    channel: str,
) -> ReminderPreference:
    preference = preferences_for(patient)
    preference.enabled = enabled
    preference.time_of_day = time_of_day
    preference.quiet_start = quiet_start
    preference.quiet_end = quiet_end
    preference.weekdays = weekdays
    preference.channel = channel
    preference.full_clean(exclude=["patient"])
    preference.save()
    record(
        None,
        actor=actor,
        action="update",
        what="reminder preferences",
        patient=patient,
        object_id=preference.pk,
    )
    return preference


def calendar_feed_for(patient: Patient) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(patient=patient)
    return feed


@transaction.atomic
def renew_calendar_link(*, patient: Patient, actor: User) -> CalendarFeed:
    """A new secret feed address; the old one stops working at once."""
    feed = calendar_feed_for(patient)
    feed.token = new_calendar_token()
    feed.save(update_fields=["token", "issued_at"])
    record(
        None, actor=actor, action="update", what="calendar link", patient=patient, object_id=feed.pk
    )
    return feed


def checked_in_since(patient: Patient, local_date: date) -> bool:
    """Whether the patient has checked in on ``local_date`` (their own day) or later."""
    return CheckIn.objects.filter(patient=patient, local_date__gte=local_date).exists()
