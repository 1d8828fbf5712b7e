from django.urls import path

from aftercare.reports import import_views, views

urlpatterns = [
    path(
        "clinic/patients/<uuid:patient_id>/progress-report/",
        views.progress_report,
        name="progress_report",
    ),
    path("clinic/exports/", views.clinic_exports, name="clinic_exports"),
    path(
        "clinic/exports/outcomes-deidentified.csv",
        views.deidentified_export,
        name="deidentified_export",
    ),
    # Token-authenticated: the token in the address is the only credential.
    path("ical/sessions/<str:token>.ics", views.clinician_ical_feed, name="clinician_ical_feed"),
    path("me/import/", import_views.upload, name="mood_import"),
    path("me/import/preview/", import_views.preview, name="mood_import_preview"),
]
