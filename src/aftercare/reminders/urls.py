from django.urls import path

from aftercare.reminders import views

urlpatterns = [
    path("me/reminders/", views.reminder_preferences, name="reminder_preferences"),
    path("me/calendar/", views.calendar_page, name="calendar"),
    # Token-authenticated: the token in the address is the only credential.
    path("ical/<str:token>.ics", views.ical_feed, name="ical_feed"),
    path("r/done/", views.reminder_link_done, name="reminder_link_done"),
    path("r/<str:token>/", views.reminder_link, name="reminder_link"),
]
