from django.apps import AppConfig


class ArenasConfig(AppConfig):
    name = "ettervern.arenas"
    label = "arenas"
