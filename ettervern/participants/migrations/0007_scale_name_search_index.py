"""A trigram index for searching participants by any part of the name (PostgreSQL only).

``name__icontains`` becomes ``UPPER(name) LIKE UPPER('%…%')``, which no B-tree can answer: a
search that finds few names read every participant of the programme. The GIN trigram index on the
same expression answers it. SQLite has no such index and keeps the scan (small installations).
pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it; where that is
refused the search still works, only without the index.
"""

from django.db import migrations, transaction

INDEX = "part_name_trgm_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001 - not allowed here: searching works without the index
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON participants_participant "
        "USING gin (UPPER(name) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("participants", "0006_scale_duplicate_indexes")]

    operations = [migrations.RunPython(create, drop)]
