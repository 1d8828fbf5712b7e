from django.apps import AppConfig


class CareplanConfig(AppConfig):
    name = "aftercare.careplan"
    label = "careplan"
