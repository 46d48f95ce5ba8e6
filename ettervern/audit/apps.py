from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ettervern.audit"
    label = "audit"
