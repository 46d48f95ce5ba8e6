"""Send the daily digests due this hour. Run it every hour (cron or a systemd timer): each user
gets one digest a day, in the hour they chose (Europe/Oslo); a second run sends nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ettervern.reminders.services import send_due_digests


class Command(BaseCommand):
    help = "Send the daily digest e-mails due this hour (run hourly from cron or a systemd timer)."

    def handle(self, *args, **options):
        if not settings.ETTERVERN_SITE_URL:
            raise CommandError("Set ETTERVERN_SITE_URL: the links in the digest need it.")
        sent = send_due_digests()
        self.stdout.write(f"{sent} digest(s) sent")
