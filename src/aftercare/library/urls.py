from django.urls import path

from aftercare.library import views

urlpatterns = [
    path("learn/", views.index, name="library_index"),
    path("learn/category/<str:category>/", views.category, name="library_category"),
    path("learn/tag/<str:tag>/", views.tag, name="library_tag"),
    path("learn/<slug:slug>/", views.article, name="library_article"),
    path("clinic/library/", views.manage, name="library_manage"),
    path("clinic/library/upload/", views.upload, name="library_upload"),
    path("clinic/library/upload/confirm/", views.upload_confirm, name="library_upload_confirm"),
    path("clinic/library/new/", views.write, name="library_new"),
    path("clinic/library/<slug:slug>/", views.preview, name="library_preview"),
    path("clinic/library/<slug:slug>/edit/", views.edit, name="library_edit"),
    path("clinic/library/<slug:slug>/status/", views.change_status, name="library_status"),
]
