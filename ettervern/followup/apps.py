from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "ettervern.followup"
    label = "followup"
