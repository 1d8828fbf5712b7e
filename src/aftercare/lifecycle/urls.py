from django.urls import path

from aftercare.lifecycle import views

urlpatterns = [
    path("clinic/data-requests/", views.data_requests, name="data_requests"),
    path(
        "clinic/patients/<uuid:patient_id>/data/export.zip",
        views.patient_data_export,
        name="patient_data_export",
    ),
    path(
        "clinic/patients/<uuid:patient_id>/data/delete/",
        views.patient_data_delete,
        name="patient_data_delete",
    ),
    path("me/data/", views.my_data, name="my_data"),
    path(
        "me/data/<int:request_id>/withdraw/",
        views.withdraw_data_request,
        name="withdraw_data_request",
    ),
]
