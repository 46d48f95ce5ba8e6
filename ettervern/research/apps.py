from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "ettervern.research"
    label = "research"
