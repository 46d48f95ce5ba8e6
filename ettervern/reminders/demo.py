"""Demo: the coordinator and the first peer worker get the daily digest at 07:00."""

from ettervern.reminders.services import reminder_settings_update


def seed(ctx) -> None:
    for local in ("koordinator", "likeperson"):
        user = ctx.users.get(local)
        if user is not None:
            reminder_settings_update(actor=user, digest_enabled=True, digest_hour=7)
