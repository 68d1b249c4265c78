"""Re-encrypting everything under the current data key (``sujarit rotate-keys``).

Two kinds of things are sealed, and both are found without a list kept by hand:

* columns: every ``SealedTextField`` of every installed model (``apps.get_models()``);
* rows whose *external* data (a file in storage) is sealed: models that declare
  ``sealed_key_field: ClassVar[str]``, the name of a ``CharField`` holding the name of the key
  the row's data is sealed under (empty when there is none), and a method
  ``reseal(self) -> None`` that re-encrypts the data under the current key and saves the new
  key name in that field. (The evidence app's files follow this protocol.)

Work goes in batches of rows in primary-key order, one transaction per batch, with the rows of
the batch locked: an interrupted run loses at most the batch it was in, and running again
finishes the job, because what is already under the current key is skipped. Sealed columns
cannot be filtered on their key in SQL (the key's name sits inside the token), so a run reads
every row's tokens and rewrites only the stale ones; resealed rows are found in SQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.apps import apps
from django.db import connection, models, transaction

from sujarit.lib import crypto
from sujarit.lib.fields import Sealed, SealedTextField

#: Called after each batch with (rows done, rows in all).
Progress = Callable[[int, int], None]


class Target(Protocol):
    @property
    def label(self) -> str: ...

    def total(self) -> int:
        """Rows the run goes through (for the progress bar)."""
        ...

    def stale(self) -> Counter[str]:
        """Values not under the current key, counted by the key they are under."""
        ...

    def rotate_batch(self, after: Any, size: int) -> tuple[Any, int, int]:
        """Re-encrypt one batch of rows after primary key ``after`` (``None``: from the start).
        Returns the last primary key read (``None`` when there were no rows left), the rows
        read and the values re-encrypted."""
        ...

    def has_more(self, after: Any) -> bool:
        """Whether rows are left after primary key ``after``."""
        ...


def _ordered(model: type[models.Model]) -> models.QuerySet[Any]:
    return model._default_manager.order_by("pk")


@dataclass
class SealedColumns:
    """The sealed columns of one model."""

    model: type[models.Model]
    fields: tuple[SealedTextField, ...]

    @property
    def label(self) -> str:
        return f"{self.model._meta.label} ({', '.join(f.name for f in self.fields)})"

    def _binds(self) -> list[str]:
        return sorted({f.bind for f in self.fields if f.bind})

    def total(self) -> int:
        return _ordered(self.model).count()

    def _rows(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any, tuple[Any, ...]]:
        names = [f.attname for f in self.fields]
        return queryset.values_list("pk", *self._binds(), *names)

    def has_more(self, after: Any) -> bool:
        return _ordered(self.model).filter(pk__gt=after).exists()

    def stale(self) -> Counter[str]:
        current = crypto.current_key_name()
        counts: Counter[str] = Counter()
        for row in self._rows(_ordered(self.model)).iterator(chunk_size=2000):
            for value in row[1 + len(self._binds()) :]:
                if isinstance(value, Sealed) and value.key_name != current:
                    counts[value.key_name] += 1
        return counts

    @transaction.atomic
    def rotate_batch(self, after: Any, size: int) -> tuple[Any, int, int]:
        current = crypto.current_key_name()
        queryset = _ordered(self.model).select_for_update()
        if after is not None:
            queryset = queryset.filter(pk__gt=after)
        rows = list(self._rows(queryset[:size]))
        if not rows:
            return None, 0, 0
        binds = self._binds()
        changed = 0
        params: list[list[Any]] = []
        for row in rows:
            pk, bind_values = row[0], dict(zip(binds, row[1 : 1 + len(binds)], strict=True))
            values: list[Any] = []
            stale = 0
            for field, value in zip(self.fields, row[1 + len(binds) :], strict=True):
                if isinstance(value, Sealed) and value.key_name != current:
                    context = field.context(bind_values.get(field.bind))
                    plaintext = crypto.unseal(value.token, context=context)
                    value = Sealed(crypto.seal(plaintext, context=context))
                    stale += 1
                values.append(field.get_db_prep_save(value, connection))
            if stale:
                params.append([*values, pk])
                changed += stale
        if params:
            # One statement for the batch (executemany): a row's columns still under the
            # current key are written back as they are, which is harmless as the row is locked.
            quote = connection.ops.quote_name
            pk_column = self.model._meta.pk.column if self.model._meta.pk else "id"
            columns = ", ".join(f"{quote(str(f.column))} = %s" for f in self.fields)
            sql = (
                f"UPDATE {quote(self.model._meta.db_table)} SET {columns} "  # noqa: S608
                f"WHERE {quote(str(pk_column))} = %s"
            )
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)
        return rows[-1][0], len(rows), changed


@dataclass
class ResealedRows:
    """A model whose rows seal external data and know how to re-seal it."""

    model: type[models.Model]
    key_field: str

    @property
    def label(self) -> str:
        return f"{self.model._meta.label} ({self.key_field})"

    def _stale_rows(self) -> models.QuerySet[Any]:
        return (
            _ordered(self.model)
            .exclude(**{self.key_field: crypto.current_key_name()})
            .exclude(**{self.key_field: ""})
        )

    def total(self) -> int:
        return self._stale_rows().count()

    def has_more(self, after: Any) -> bool:
        return self._stale_rows().filter(pk__gt=after).exists()

    def stale(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for name in self._stale_rows().values_list(self.key_field, flat=True).iterator():
            counts[name] += 1
        return counts

    @transaction.atomic
    def rotate_batch(self, after: Any, size: int) -> tuple[Any, int, int]:
        queryset = self._stale_rows().select_for_update()
        if after is not None:
            queryset = queryset.filter(pk__gt=after)
        rows = list(queryset[:size])
        if not rows:
            return None, 0, 0
        for row in rows:
            row.reseal()
        return rows[-1].pk, len(rows), len(rows)


def targets(models_: Iterable[type[models.Model]] | None = None) -> list[Target]:
    """Everything sealed, found on the given models (default: every installed model)."""
    found: list[Target] = []
    for model in models_ if models_ is not None else apps.get_models():
        if model._meta.abstract or model._meta.proxy:
            continue
        sealed = tuple(f for f in model._meta.concrete_fields if isinstance(f, SealedTextField))
        if sealed:
            found.append(SealedColumns(model, sealed))
        key_field = getattr(model, "sealed_key_field", None)
        if isinstance(key_field, str) and callable(getattr(model, "reseal", None)):
            model._meta.get_field(key_field)  # fails loudly on a misnamed field
            found.append(ResealedRows(model, key_field))
    return found


@dataclass(frozen=True)
class RotationRun:
    rows: int
    values: int
    batches: int
    #: False when the run stopped at ``max_batches`` before the end.
    finished: bool


def rotate(
    target: Target,
    *,
    batch_size: int = 500,
    max_batches: int | None = None,
    progress: Progress | None = None,
) -> RotationRun:
    """Re-encrypt one target under the current key, batch by batch."""
    total = target.total()
    after: Any = None
    rows = values = batches = 0
    while max_batches is None or batches < max_batches:
        last, read, changed = target.rotate_batch(after, batch_size)
        if last is None:
            return RotationRun(rows, values, batches, finished=True)
        after = last
        rows += read
        values += changed
        batches += 1
        if progress is not None:
            progress(min(rows, total), total)
    # Stopped by ``max_batches``: finished only if nothing is left after the last batch.
    return RotationRun(rows, values, batches, finished=not target.has_more(after))
