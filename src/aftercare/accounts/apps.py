from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aftercare.accounts"
    label = "accounts"
