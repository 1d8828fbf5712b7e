from django.urls import path

from aftercare.treatment import chair_views, clinic_views, schedule_views, sheet_views, views

urlpatterns = [
    path(
        "clinic/patients/<uuid:patient_id>/infusions/new/",
        views.new_infusion,
        name="new_infusion",
    ),
    path(
        "clinic/patients/<uuid:patient_id>/courses/new/",
        schedule_views.new_course,
        name="new_course",
    ),
    path(
        "clinic/patients/<uuid:patient_id>/schedule/",
        schedule_views.patient_schedule,
        name="patient_schedule",
    ),
    path("clinic/schedule/", schedule_views.clinic_schedule, name="clinic_schedule"),
    path("clinic/chair/", chair_views.clinic_chair, name="clinic_chair"),
    path("clinic/rems/", clinic_views.rems_due, name="rems_due"),
    path("clinic/settings/monitoring/", clinic_views.clinic_protocol, name="clinic_protocol"),
    path("clinic/sessions/<int:infusion_id>/", views.session_detail, name="session_detail"),
    path(
        "clinic/sessions/<int:infusion_id>/arrival/",
        views.session_arrival,
        name="session_arrival",
    ),
    path(
        "clinic/sessions/<int:infusion_id>/pre-dose/",
        views.session_pre_dose,
        name="session_pre_dose",
    ),
    path("clinic/sessions/<int:infusion_id>/start/", views.session_start, name="session_start"),
    path("clinic/sessions/<int:infusion_id>/end/", views.session_end, name="session_end"),
    path("clinic/sessions/<int:infusion_id>/rounds/", views.session_round, name="session_round"),
    path(
        "clinic/sessions/<int:infusion_id>/discharge/",
        views.session_discharge,
        name="session_discharge",
    ),
    path(
        "clinic/sessions/<int:infusion_id>/addendum/",
        views.session_addendum,
        name="session_addendum",
    ),
    path(
        "clinic/sessions/<int:infusion_id>/rems/",
        views.session_rems_submitted,
        name="session_rems_submitted",
    ),
    path(
        "clinic/sessions/<int:infusion_id>/instructions/",
        sheet_views.discharge_instructions,
        name="discharge_instructions",
    ),
    path(
        "clinic/sessions/<int:infusion_id>/instructions.pdf",
        sheet_views.discharge_instructions_pdf,
        name="discharge_instructions_pdf",
    ),
    path(
        "clinic/sessions/<int:infusion_id>/move/",
        schedule_views.session_move,
        name="session_move",
    ),
    path(
        "clinic/sessions/<int:infusion_id>/cancel/",
        schedule_views.session_cancel,
        name="session_cancel",
    ),
    path(
        "clinic/sessions/<int:infusion_id>/no-show/",
        schedule_views.session_no_show,
        name="session_no_show",
    ),
    path("driver/<str:token>/", sheet_views.driver_sheet, name="driver_sheet"),
]
