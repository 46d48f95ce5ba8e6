from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "ettervern.employment"
    label = "employment"
