"""One row inserted in one statement, unless it would break a unique constraint or a stated
condition holds: the cheapest write a request can make that still stores nothing twice.

``Model.objects.create`` inside ``transaction.atomic`` costs three round trips to the database
(``BEGIN``, ``INSERT``, ``COMMIT``) and a caught ``IntegrityError`` when the row is a repeat.
``insert_once`` sends one ``INSERT ... SELECT ... WHERE NOT EXISTS (...) ON CONFLICT DO
NOTHING``: one statement, so one transaction of its own when no transaction is open, and
nothing half-written either way. It answers whether the row was stored; the caller looks at
what is already there only when it was not (a retried submission), which is rare.

Field values go through each field's ``pre_save`` and ``get_db_prep_save``, as ``save()``
would send them: defaults, auto timestamps and sealed columns (``SealedTextField`` seals with
the row's bound key) come out the same. Works on PostgreSQL and SQLite (3.24 and later).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router


def insert_once(
    instance: models.Model,
    *,
    unless: tuple[str, Sequence[Any]] | None = None,
) -> bool:
    """Insert ``instance`` as a new row; False (and nothing stored) when a row with one of its
    unique values exists or when ``unless`` (SQL of a condition, and its parameters) is true.

    The instance's primary key must be set by its default (a UUID, say) or by the caller: the
    statement returns no generated key.
    """
    meta = instance._meta
    alias = router.db_for_write(type(instance), instance=instance)
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = [(field, field.column) for field in meta.concrete_fields if field.column]
    if meta.pk is None or getattr(instance, meta.pk.attname) is None:
        raise ValueError(f"{meta.label}: set the primary key before insert_once")
    typed = connection.vendor == "postgresql"
    columns: list[str] = []
    placeholders: list[str] = []
    params: list[Any] = []
    for field, column in fields:
        value = field.get_db_prep_save(field.pre_save(instance, True), connection=connection)
        columns.append(quote(column))
        placeholder = (
            field.get_placeholder(value, None, connection)
            if hasattr(field, "get_placeholder")
            else "%s"
        )
        if typed:
            # A SELECT list's untyped values (NULL above all) would be taken as text.
            placeholder = f"CAST({placeholder} AS {field.cast_db_type(connection)})"
        placeholders.append(placeholder)
        params.append(value)
    condition = "WHERE 1 = 1"
    if unless is not None:
        sql, extra = unless
        condition = f"WHERE NOT EXISTS ({sql})"
        params.extend(extra)
    statement = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(placeholders)} {condition} ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        stored = bool(cursor.rowcount == 1)
    if stored:
        instance._state.adding = False
        instance._state.db = alias
    return stored
