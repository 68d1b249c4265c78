"""Finding and re-encrypting sealed data, on a model made for the test (kept out of the app
registry, its table created inside the test's transaction)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any, ClassVar

from django.db import connection, models
from django.test.utils import isolate_apps

import pytest

from sujarit.lib import crypto, rotation
from sujarit.lib.fields import Sealed, SealedTextField

OLD = "k1:" + base64.urlsafe_b64encode(b"\x01" * 32).decode()
NEW = "k2:" + base64.urlsafe_b64encode(b"\x02" * 32).decode()


@pytest.fixture
def vault(db: None, settings: Any) -> Iterator[Any]:
    settings.SUJARIT_DATA_KEYS = crypto.parse_keys(OLD)
    with isolate_apps("sujarit.lib"):

        class Vault(models.Model):
            """A row with a sealed column bound to ``ref``, and a sealed blob standing for
            an external file (the ``reseal`` protocol)."""

            ref = models.CharField(max_length=20)
            secret = SealedTextField(bind="ref")
            blob = models.BinaryField(null=True)
            blob_key = models.CharField(max_length=32, blank=True)

            sealed_key_field: ClassVar[str] = "blob_key"

            class Meta:
                app_label = "lib"

            def __str__(self) -> str:
                return self.ref

            def put(self, data: bytes) -> None:
                self.blob = crypto.seal(data, context=f"vault:{self.ref}")
                self.blob_key = crypto.current_key_name()

            def read(self) -> bytes:
                return crypto.unseal(bytes(self.blob or b""), context=f"vault:{self.ref}")

            def reseal(self) -> None:
                self.put(self.read())
                self.save(update_fields=["blob", "blob_key"])

        # The schema editor cannot run inside SQLite's transaction, its SQL can; the table
        # goes with the test's rollback.
        sql, params = connection.schema_editor().table_sql(Vault)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        yield Vault


def _fill(vault: Any, count: int) -> None:
    for number in range(count):
        row = vault(ref=f"r{number}", secret=f"secret {number}")
        row.put(f"file {number}".encode())
        row.save()


def test_sealed_columns_and_resealing_models_are_found(vault: Any) -> None:
    found = rotation.targets([vault])
    assert [type(t).__name__ for t in found] == ["SealedColumns", "ResealedRows"]
    assert isinstance(found[0], rotation.SealedColumns)
    assert [f.name for f in found[0].fields] == ["secret"]
    assert isinstance(found[1], rotation.ResealedRows) and found[1].key_field == "blob_key"


def test_installed_models_with_sealed_columns_are_found() -> None:
    labels = [t.label for t in rotation.targets()]
    assert "cases.Complainant (name, phone, email, line_id, address)" in labels


def test_a_model_naming_a_missing_key_field_fails_loudly(db: None) -> None:
    with isolate_apps("sujarit.lib"):

        class Broken(models.Model):
            sealed_key_field: ClassVar[str] = "nope"

            class Meta:
                app_label = "lib"

            def __str__(self) -> str:
                return "broken"

            def reseal(self) -> None:
                raise AssertionError

        with pytest.raises(Exception, match="nope"):
            rotation.targets([Broken])


def test_the_sealed_column_is_text_in_python_and_a_token_in_the_table(
    vault: Any,
) -> None:
    _fill(vault, 1)
    row = vault.objects.get()
    assert row.secret == "secret 0"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT secret FROM {vault._meta.db_table}")  # noqa: S608
        (raw,) = cursor.fetchone()
    assert bytes(raw).startswith(crypto.MAGIC) and b"secret" not in bytes(raw)


def test_a_token_copied_to_another_row_does_not_open(vault: Any) -> None:
    _fill(vault, 2)
    first, second = vault.objects.order_by("pk")
    vault.objects.filter(pk=second.pk).update(secret=Sealed(first.__dict__["secret"].token))
    with pytest.raises(crypto.TamperedData):
        _ = vault.objects.get(pk=second.pk).secret


def test_rotation_moves_everything_to_the_new_key(vault: Any, settings: Any) -> None:
    _fill(vault, 5)
    settings.SUJARIT_DATA_KEYS = crypto.parse_keys(f"{NEW},{OLD}")
    found = rotation.targets([vault])
    assert [dict(t.stale()) for t in found] == [{"k1": 5}, {"k1": 5}]
    seen: list[tuple[int, int]] = []
    runs = [
        rotation.rotate(t, batch_size=2, progress=lambda d, n: seen.append((d, n))) for t in found
    ]
    assert [(r.values, r.batches, r.finished) for r in runs] == [(5, 3, True), (5, 3, True)]
    assert seen[-1] == (5, 5)
    assert [dict(t.stale()) for t in found] == [{}, {}]
    # The old key can go: everything still opens.
    settings.SUJARIT_DATA_KEYS = crypto.parse_keys(NEW)
    rows = list(vault.objects.order_by("pk"))
    assert [r.secret for r in rows] == [f"secret {n}" for n in range(5)]
    assert [r.read() for r in rows] == [f"file {n}".encode() for n in range(5)]


def test_an_interrupted_rotation_finishes_when_run_again(vault: Any, settings: Any) -> None:
    _fill(vault, 5)
    settings.SUJARIT_DATA_KEYS = crypto.parse_keys(f"{NEW},{OLD}")
    columns, files = rotation.targets([vault])
    first = rotation.rotate(columns, batch_size=2, max_batches=1)
    assert (first.values, first.finished) == (2, False)
    assert dict(columns.stale()) == {"k1": 3}
    second = rotation.rotate(columns, batch_size=2)
    assert (second.values, second.finished) == (3, True)
    assert dict(columns.stale()) == {}
    rotation.rotate(files, batch_size=2, max_batches=2)
    assert dict(files.stale()) == {"k1": 1}
    assert rotation.rotate(files, batch_size=2).values == 1


def test_a_failure_inside_a_batch_undoes_only_that_batch(
    vault: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(vault, 5)
    settings.SUJARIT_DATA_KEYS = crypto.parse_keys(f"{NEW},{OLD}")
    columns = rotation.targets([vault])[0]
    real_seal, calls = crypto.seal, []

    def failing_seal(plaintext: bytes, *, context: str) -> bytes:
        calls.append(context)
        if len(calls) == 3:
            raise OSError("disk full")
        return real_seal(plaintext, context=context)

    monkeypatch.setattr(crypto, "seal", failing_seal)
    with pytest.raises(OSError, match="disk full"):
        rotation.rotate(columns, batch_size=2)
    # The first batch (two rows) stays done; the third row's batch was rolled back.
    assert dict(columns.stale()) == {"k1": 3}
    monkeypatch.setattr(crypto, "seal", real_seal)
    assert rotation.rotate(columns, batch_size=2).values == 3
    assert dict(columns.stale()) == {}
