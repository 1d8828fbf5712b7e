from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "aftercare.guidance"
    label = "guidance"
