from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class AuditConfig(AppConfig):
    name = "ettervern.audit"
    label = "audit"

    def ready(self) -> None:
        # Every app declares its audit event types in its own ``events.py``.
        autodiscover_modules("events")
