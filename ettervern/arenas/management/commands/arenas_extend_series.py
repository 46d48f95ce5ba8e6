"""Make the coming occurrences of every recurring event (run daily, e.g. by a systemd timer).

Idempotent: a day that has its occurrence gets no second one."""

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from ettervern.arenas.models import Series
from ettervern.arenas.services import series_extend


class Command(BaseCommand):
    help = "Make the coming occurrences of every recurring social-arena event."

    def handle(self, *args, **options):
        today = timezone.localdate()
        made = 0
        for series in Series.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)):
            made += series_extend(actor=None, series=series)
        self.stdout.write(f"{made} occurrences made")
