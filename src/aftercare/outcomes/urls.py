from django.urls import path

from aftercare.outcomes import views

urlpatterns = [
    path("clinic/outcomes/", views.dashboard, name="outcomes_dashboard"),
    path("clinic/outcomes/patients/", views.patient_list, name="outcomes_patients"),
    path("clinic/outcomes/definitions/", views.definitions, name="outcomes_definitions"),
    path(
        "clinic/patients/<uuid:patient_id>/response/",
        views.patient_outcomes,
        name="patient_outcomes",
    ),
]
