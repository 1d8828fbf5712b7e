from django.urls import path

from aftercare.audit import views

urlpatterns = [
    path("clinic/audit/", views.audit_log, name="audit_log"),
    path("clinic/audit/export.csv", views.audit_export, name="audit_export"),
]
