import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_programme_office_closes_programme_office_opens"),
        ("participants", "0003_referral_submission_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="participant",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="invitations",
                to="participants.participant",
            ),
        ),
    ]
