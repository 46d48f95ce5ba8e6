from django.apps import AppConfig


class RadarConfig(AppConfig):
    name = "ettervern.radar"
    label = "radar"
