from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "aftercare.lifecycle"
    label = "lifecycle"
