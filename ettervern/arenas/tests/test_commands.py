import datetime as dt
import io

from django.core.management import call_command
from django.utils import timezone

from ettervern.arenas import services
from ettervern.arenas.models import Audience, Event, Kind


def test_the_daily_command_keeps_twelve_weeks_of_a_series_ahead(personas, clock):
    services.series_create(
        actor=personas.coordinator,
        programme=personas.programme_a,
        title="Torsdagskafé",
        kind=Kind.CAFE,
        place="Kafeen",
        weekday=3,
        start_time=dt.time(12, 0),
        duration_minutes=120,
        capacity=25,
        audience=Audience.EVERYONE,
        starts_on=timezone.localdate(),
    )
    before = Event.objects.count()
    call_command("arenas_extend_series", stdout=io.StringIO())
    assert Event.objects.count() == before
    clock.shift(dt.timedelta(days=14))
    call_command("arenas_extend_series", stdout=io.StringIO())
    assert Event.objects.count() == before + 2
    last = Event.objects.order_by("-starts_at").first()
    assert timezone.localdate(last.starts_at) <= timezone.localdate() + dt.timedelta(weeks=12)
