"""A pytest plugin that gives any test the whole country's geography, loaded once per session.

Enable it in the root ``conftest.py`` with ``pytest_plugins = ["sujarit.geo.testing"]``, then
ask for the ``geo_data`` fixture::

    def test_province_page_lists_districts(client, geo_data):
        ...

Loading 77 provinces, 928 districts, 7,436 subdistricts and 1,583 abolished codes takes a
couple of seconds: too slow for every test, and tests that do not ask for the geography must
still see empty tables (a page must cope with a site where ``load-geo`` has not run). So the
session's ``django_db_setup`` loads it once, copies the rows into snapshot tables that are not
Django models (a transactional test's flush leaves them alone), and empties the real tables.
``geo_data`` then copies the rows back inside the test's transaction, one ``INSERT … SELECT``
per table, which takes milliseconds and is rolled back with the rest of the test.

Boundaries are those of ``settings.SUJARIT_PROVINCE`` at the start of the session.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction

import pytest

from sujarit.geo.loading import LoadReport, sync_geography
from sujarit.geo.models import AbolishedArea, District, Province, Subdistrict

# Parents before children, so foreign keys hold at every step of a copy.
_MODELS: tuple[type[models.Model], ...] = (Province, District, Subdistrict, AbolishedArea)
_SNAPSHOT_PREFIX = "test_snapshot_"
_loaded: list[LoadReport] = []


def _snapshot_name(model: type[models.Model]) -> str:
    return connection.ops.quote_name(_SNAPSHOT_PREFIX + model._meta.db_table)


def _columns(model: type[models.Model]) -> str:
    names = [field.column for field in model._meta.concrete_fields]
    return ", ".join(connection.ops.quote_name(name) for name in names if name)


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _take_snapshot() -> LoadReport:
    """Load the geography, keep a copy in snapshot tables, and leave the real tables empty."""
    with transaction.atomic():
        # Reference data for tests, not a change anyone made: no audit event, so that no test
        # finds an event it did not cause.
        report = sync_geography(boundary_provinces={settings.SUJARIT_PROVINCE})
    with transaction.atomic(), connection.cursor() as cursor:
        # Table and column names come from the models, quoted by the database backend.
        for model in _MODELS:
            cursor.execute(f"DROP TABLE IF EXISTS {_snapshot_name(model)}")  # noqa: S608
            cursor.execute(
                f"CREATE TABLE {_snapshot_name(model)} AS "  # noqa: S608
                f"SELECT {_columns(model)} FROM {_table(model)}"
            )
        for model in reversed(_MODELS):
            cursor.execute(f"DELETE FROM {_table(model)}")  # noqa: S608
    return report


@contextmanager
def _without_foreign_key_checks(cursor: Any) -> Iterator[None]:
    """On PostgreSQL, as a superuser, copy without queueing a foreign-key check per row.

    The rows come from a snapshot of a consistent load, and Django's test case checks every
    deferred constraint at the end of each test: for ten thousand copied rows that check cost
    more than the test itself. ``session_replication_role = replica`` (superusers only)
    leaves the checks out for the copy alone; elsewhere the copy is checked as usual.
    """
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    row = cursor.fetchone()
    if not (row and row[0]):
        yield
        return
    cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        yield
    finally:
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def restore_geography() -> None:
    """Copy the session's geography into the (empty) geo tables. Needs database access."""
    with connection.cursor() as cursor, _without_foreign_key_checks(cursor):
        for model in _MODELS:
            columns = _columns(model)
            cursor.execute(
                f"INSERT INTO {_table(model)} ({columns}) "  # noqa: S608
                f"SELECT {columns} FROM {_snapshot_name(model)}"
            )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's test database, plus the geography kept aside for ``geo_data``."""
    with django_db_blocker.unblock():
        _loaded[:] = [_take_snapshot()]
    yield


@pytest.fixture
def geo_data(db: None) -> LoadReport:
    """Every province, district, subdistrict and abolished code, with boundaries for the
    configured province, for this test only. Returns what the session's load reported."""
    # A transactional test elsewhere may have flushed the tables, or this test may have
    # loaded part of them itself; only copy into empty tables.
    if not Province.objects.exists():
        restore_geography()
    return _loaded[0]
