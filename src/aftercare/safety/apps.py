from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "aftercare.safety"
    label = "safety"
