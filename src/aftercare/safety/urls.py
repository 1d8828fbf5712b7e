from django.urls import path

from aftercare.safety import views

urlpatterns = [
    path("clinic/alerts/", views.alert_list, name="alert_list"),
    path("clinic/alerts/<int:alert_id>/", views.alert_detail, name="alert_detail"),
    path("clinic/safety-settings/", views.safety_settings, name="safety_settings"),
    path(
        "clinic/patients/<uuid:patient_id>/safety-plan/",
        views.staff_safety_plan,
        name="staff_safety_plan",
    ),
    path("me/safety-plan/", views.safety_plan, name="safety_plan"),
    path("me/safety-plan/edit/", views.safety_plan_edit, name="safety_plan_edit"),
    path("me/concern/", views.concern, name="concern"),
]
