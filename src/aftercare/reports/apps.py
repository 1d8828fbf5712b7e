from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "aftercare.reports"
    label = "reports"
