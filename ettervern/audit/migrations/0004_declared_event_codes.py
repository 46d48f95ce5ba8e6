"""Rows written before event types were declared once: give them the declared codes.

Employment's triangle-agreement rows used the follow-up agreement's codes (with other keys), and
a participant's registration had no code at all.
"""

from django.db import migrations

RENAMED = {"agreement_version": "triangle_version", "agreement_confirmed": "triangle_confirmed"}


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    rows = AuditEvent.objects.filter(
        object_type__startswith="employment.", data__event__in=list(RENAMED)
    )
    for row in rows.iterator():
        data = {**row.data, "event": RENAMED[row.data["event"]]}
        AuditEvent.objects.filter(pk=row.pk).update(data=data)
    registered = AuditEvent.objects.filter(
        object_type="participants.participant", action="create"
    ).exclude(data__has_key="event")
    for row in registered.iterator():
        data = {**(row.data or {}), "event": "participant_registered"}
        AuditEvent.objects.filter(pk=row.pk).update(data=data)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_submission")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
