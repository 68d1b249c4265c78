"""Chain the events written before the chain existed, in the order they were written (id)."""

from typing import Any

from django.db import migrations

from sujarit.audit.canonical import GENESIS_HASH, event_hash

BATCH = 1000


def chain_existing_events(apps: Any, schema_editor: Any) -> None:
    AuditEvent = apps.get_model("audit", "AuditEvent")
    seq, prev_hash, after = 0, GENESIS_HASH, 0
    while True:
        batch = list(AuditEvent.objects.filter(pk__gt=after).order_by("pk")[:BATCH])
        if not batch:
            return
        for event in batch:
            seq += 1
            event.seq = seq
            event.prev_hash = prev_hash
            event.hash = event_hash(
                seq=seq,
                prev_hash=prev_hash,
                at=event.at,
                actor_id=event.actor_id,
                actor_label=event.actor_label,
                action=event.action,
                target_type=event.target_type,
                target_id=event.target_id,
                data=event.data,
            )
            prev_hash = event.hash
        AuditEvent.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
        after = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_chain_fields"),
    ]

    operations = [
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop, elidable=False),
    ]
