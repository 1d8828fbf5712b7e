from django.urls import path

from aftercare.careplan import views

urlpatterns = [
    path("me/care-plan/", views.patient_care_plan, name="care_plan"),
    path(
        "clinic/patients/<uuid:patient_id>/care-plan/",
        views.staff_care_plan,
        name="staff_care_plan",
    ),
]
