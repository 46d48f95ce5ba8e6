from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill_last_held(apps, schema_editor):
    """The time of each match's last held contact, from the contacts (kept from now on by the
    contact services)."""
    Match = apps.get_model("matching", "Match")
    Contact = apps.get_model("followup", "Contact")
    last = (
        Contact.objects.filter(match=OuterRef("pk"), outcome="held")
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    Match.objects.update(last_held_at=Subquery(last))


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0004_scale_list_indexes"),
        # The backfill reads the contacts by match and outcome through their new index.
        ("followup", "0006_attention_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="match",
            name="last_held_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(backfill_last_held, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="match",
            index=models.Index(
                fields=["programme", "status", "last_held_at"], name="match_last_held_idx"
            ),
        ),
    ]
