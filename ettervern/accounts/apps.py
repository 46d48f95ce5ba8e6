from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ettervern.accounts"
    label = "accounts"
