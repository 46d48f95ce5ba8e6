from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_instruments(sender, using="default", **kwargs) -> None:
    # The instrument files are the source; the database copy is what answers point to.
    from ettervern.outcomes.loader import load_all

    load_all()


class OutcomesConfig(AppConfig):
    name = "ettervern.outcomes"
    label = "outcomes"

    def ready(self) -> None:
        post_migrate.connect(_load_instruments, sender=self, dispatch_uid="outcomes_instruments")
