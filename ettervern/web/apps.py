from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ettervern.web"
    label = "web"
