from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "ettervern.matching"
    label = "matching"
