from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ettervern.reports"
    label = "reports"
