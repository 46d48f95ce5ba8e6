from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "ettervern.imports"
    label = "imports"
