from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "ettervern.reminders"
    label = "reminders"
