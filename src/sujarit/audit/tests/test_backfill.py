"""The migration that chains the events written before the chain existed."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest

from sujarit.audit.canonical import GENESIS_HASH
from sujarit.audit.chain import verify_chain
from sujarit.audit.models import AuditEvent

BEFORE = [("audit", "0001_initial")]
AFTER = [("audit", "0004_chain_sequence_required")]


@pytest.mark.django_db(transaction=True)
def test_events_written_before_the_chain_are_chained_in_the_order_written() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps.get_model("audit", "AuditEvent")
        old.objects.all().delete()
        for n, data in enumerate([{"b": 1, "a": "ตำบล"}, {"n": 2.0}, {}]):
            old.objects.create(
                actor_label="system", action=f"demo.step_{n}", target_type="", data=data
            )
        ids = list(old.objects.order_by("pk").values_list("pk", flat=True))
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    events = list(AuditEvent.objects.order_by("seq"))
    assert [(e.pk, e.seq) for e in events] == list(zip(ids, [1, 2, 3], strict=True))
    assert events[0].prev_hash == GENESIS_HASH
    result = verify_chain()
    assert result.ok, result.broken
    assert result.checked == 3
