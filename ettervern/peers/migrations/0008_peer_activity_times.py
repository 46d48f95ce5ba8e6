from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery


def backfill_activity(apps, schema_editor):
    """Each peer's last logged contact and last check-in, from the contacts and check-ins (kept
    from now on by the contact and check-in services)."""
    PeerWorker = apps.get_model("peers", "PeerWorker")
    CheckIn = apps.get_model("peers", "CheckIn")
    Contact = apps.get_model("followup", "Contact")
    logged = (
        Contact.objects.filter(created_by=OuterRef("user_id"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    checked_in = (
        CheckIn.objects.filter(peer=OuterRef("pk"))
        .values("peer")
        .annotate(last=Max("submitted_at"))
        .values("last")
    )
    PeerWorker.objects.update(last_logged_at=Subquery(logged), last_checkin_at=Subquery(checked_in))


class Migration(migrations.Migration):
    dependencies = [
        ("peers", "0007_scale_candidate_list_index"),
        # The backfill reads the contacts by author through their index.
        ("followup", "0006_attention_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="peerworker",
            name="last_checkin_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="peerworker",
            name="last_logged_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(backfill_activity, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="peerworker",
            index=models.Index(
                condition=models.Q(("resource_status", "active")),
                fields=["programme", "last_logged_at"],
                name="peer_active_logged_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="checkin",
            index=models.Index(
                fields=["programme", "-submitted_at"], name="checkin_programme_time_idx"
            ),
        ),
    ]
