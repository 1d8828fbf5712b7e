from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "aftercare.library"
    label = "library"
