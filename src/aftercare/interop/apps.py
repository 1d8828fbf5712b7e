from django.apps import AppConfig


class InteropConfig(AppConfig):
    # No models: the app exists for its `aftercare export` / `aftercare import` commands.
    name = "aftercare.interop"
    label = "interop"
