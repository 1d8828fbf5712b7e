from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "aftercare.tracking"
    label = "tracking"
