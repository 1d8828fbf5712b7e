from django.apps import AppConfig


class TreatmentConfig(AppConfig):
    name = "aftercare.treatment"
    label = "treatment"
