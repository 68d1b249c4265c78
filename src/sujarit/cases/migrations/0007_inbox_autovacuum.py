"""Autovacuum the intake inbox after every thousand changed rows (PostgreSQL).

By default PostgreSQL vacuums a table once a fifth of it has changed; the inbox keeps every
registered row (the answer to a repeated key), so that fifth grows without end while the dead
index entries left by registrations slow every look at the waiting reports. See
``sujarit.cases.actions.inbox.tidy_inbox``, which the registrar also runs when the inbox is
empty.
"""

from django.db import migrations

TABLE = "cases_pendingreport"


def tune(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} SET (autovacuum_vacuum_scale_factor = 0, "
            "autovacuum_vacuum_threshold = 1000)"
        )


def untune(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} RESET (autovacuum_vacuum_scale_factor, "
            "autovacuum_vacuum_threshold)"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_hash_unique_constraints'),
    ]

    operations = [
        migrations.RunPython(tune, untune),
    ]
