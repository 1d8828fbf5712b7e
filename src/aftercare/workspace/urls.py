from django.urls import path

from aftercare.workspace import views

urlpatterns = [
    path("clinic/workspace/", views.patient_list, name="workspace_patients"),
    path("clinic/patients/<uuid:patient_id>/timeline/", views.timeline, name="workspace_timeline"),
    path("clinic/patients/<uuid:patient_id>/notes/new/", views.note_new, name="note_new"),
    path(
        "clinic/patients/<uuid:patient_id>/notes/<int:note_id>/",
        views.note_edit,
        name="note_edit",
    ),
    path(
        "clinic/patients/<uuid:patient_id>/notes/<int:note_id>/addendum/",
        views.note_addendum,
        name="note_addendum",
    ),
]
