from django.db import migrations, models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def backfill_held_slots(apps, schema_editor):
    """Each peer's slots held, counted from the matches (kept from now on by the match
    services)."""
    PeerWorker = apps.get_model("peers", "PeerWorker")
    Match = apps.get_model("matching", "Match")
    held = (
        Match.objects.filter(Q(status="active") | Q(status="paused", frees_slot=False))
        .filter(peer=OuterRef("pk"))
        .order_by()
        .values("peer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    PeerWorker.objects.update(held_slots=Coalesce(Subquery(held), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("peers", "0008_peer_activity_times"),
        ("matching", "0006_due_window_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="peerworker",
            name="held_slots",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(backfill_held_slots, migrations.RunPython.noop),
    ]
