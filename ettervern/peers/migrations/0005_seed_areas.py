"""Organisations whose participants or peer workers already use the Bergen or Oslo district codes
get those cities' districts as their own areas, so every stored code stays valid."""

from django.db import migrations

from ettervern.lib import labels, vocab


def seed(apps, schema_editor):
    Area = apps.get_model("accounts", "Area")
    Participant = apps.get_model("participants", "Participant")
    PeerWorker = apps.get_model("peers", "PeerWorker")
    used: dict[int, set[str]] = {}
    for model in (Participant, PeerWorker):
        rows = model.objects.exclude(area="").values_list("organisation_id", "area").distinct()
        for organisation_id, code in rows:
            used.setdefault(organisation_id, set()).add(code)
    for organisation_id, codes in used.items():
        have = set(
            Area.objects.filter(organisation_id=organisation_id).values_list("code", flat=True)
        )
        for city_codes in vocab.AREA_CITIES.values():
            if not codes & set(city_codes):
                continue
            Area.objects.bulk_create(
                Area(
                    organisation_id=organisation_id,
                    code=code,
                    name=labels.AREA_LABELS[code],
                    latitude=vocab.AREAS[code][0],
                    longitude=vocab.AREAS[code][1],
                )
                for code in city_codes
                if code not in have
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_area"),
        ("participants", "0004_alter_participant_area"),
        ("peers", "0004_alter_peerworker_area"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
