from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aftercare.accounts"
    label = "accounts"

    def ready(self) -> None:
        from aftercare.accounts import security  # noqa: F401 (connects the login signal)
