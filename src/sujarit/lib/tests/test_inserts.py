"""``insert_once``: one statement that stores a row unless a unique value or a stated
condition forbids it, with values prepared as ``save()`` prepares them."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection

import pytest

from sujarit.cases.models import Case, PendingReport
from sujarit.lib.inserts import insert_once

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)


def row(key: str = "k1", code: str = "c1") -> PendingReport:
    return PendingReport(
        idempotency_hash=key, receipt_hash=code, payload="ข้อความลับ", received_at=RECEIVED
    )


def test_a_new_row_is_stored_with_its_values_as_save_would_store_them() -> None:
    first = row()
    assert insert_once(first) is True
    assert first._state.adding is False
    stored = PendingReport.objects.get(pk=first.pk)
    assert stored.received_at == RECEIVED
    # NULL in a typed column and a field default, both as save() would write them.
    assert stored.registered_at is None and stored.case is None and stored.attempts == 0
    # The sealed column is sealed, bound to this row, and opens to what was set.
    assert str(stored.payload) == "ข้อความลับ"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT payload FROM {PendingReport._meta.db_table} WHERE id = %s",  # noqa: S608
            [stored._meta.pk.get_db_prep_value(stored.pk, connection)],
        )
        (raw,) = cursor.fetchone()
    assert "ข้อความลับ".encode() not in bytes(raw)


@pytest.mark.parametrize("repeat", [("k1", "c2"), ("k2", "c1")], ids=["same key", "same code"])
def test_a_row_breaking_a_unique_value_is_not_stored(repeat: tuple[str, str]) -> None:
    assert insert_once(row("k1", "c1")) is True
    second = row(*repeat)
    assert insert_once(second) is False
    assert second._state.adding is True
    assert PendingReport.objects.count() == 1


def test_a_row_is_not_stored_while_the_condition_holds() -> None:
    condition = (f"SELECT 1 FROM {Case._meta.db_table} WHERE receipt_hash = %s", ["c1"])  # noqa: S608
    assert insert_once(row("k1", "c1"), unless=condition) is True
    # The condition is about another table: false there, so only the unique value stops it.
    condition = (
        f"SELECT 1 FROM {PendingReport._meta.db_table} WHERE receipt_hash = %s",  # noqa: S608
        ["c1"],
    )
    assert insert_once(row("k2", "c2"), unless=condition) is False
    assert list(PendingReport.objects.values_list("idempotency_hash", flat=True)) == ["k1"]


def test_the_primary_key_must_be_set() -> None:
    unkeyed = row()
    unkeyed.id = None
    with pytest.raises(ValueError, match="primary key"):
        insert_once(unkeyed)
