from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "ettervern.participants"
    label = "participants"
