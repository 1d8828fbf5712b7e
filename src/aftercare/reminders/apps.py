from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "aftercare.reminders"
    label = "reminders"
