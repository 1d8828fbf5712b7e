from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "aftercare.audit"
    label = "audit"
