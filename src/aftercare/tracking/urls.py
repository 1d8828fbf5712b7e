from django.urls import path

from aftercare.tracking import views

urlpatterns = [
    path("me/check-ins/<int:check_in_id>/edit/", views.check_in_edit, name="check_in_edit"),
    path("me/journal/", views.journal_list, name="journal_list"),
    path("me/journal/new/", views.journal_new, name="journal_new"),
    path("me/journal/<int:entry_id>/", views.journal_edit, name="journal_edit"),
    path("me/journal/<int:entry_id>/delete/", views.journal_delete, name="journal_delete"),
    path("me/scales/<slug:instrument>/", views.scale_form, name="scale_form"),
    path(
        "me/scales/<slug:instrument>/<int:response_id>/",
        views.scale_result,
        name="scale_result",
    ),
    path("me/trends/", views.trends, name="trends"),
    path("me/export.csv", views.export_csv, name="export_csv"),
    path("me/summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("clinic/scale-schedule/", views.scale_schedule, name="scale_schedule"),
]
