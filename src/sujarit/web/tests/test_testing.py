"""The browser plugin's own cleanup (``sujarit.web.testing``)."""

from __future__ import annotations

import asyncio

from django.db import connections

import pytest

from sujarit.accounts.models import User
from sujarit.web import testing


@pytest.mark.django_db(transaction=True)
def test_connections_opened_while_a_loop_runs_are_closed(monkeypatch):
    # Playwright's sync API keeps an event loop running in the test's thread; Django then keeps
    # the connections in a context variable, out of reach of pytest-django's cleanup.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    outside = connections["default"]

    async def under_the_loop() -> tuple[object, bool]:
        User.objects.exists()
        inside = connections["default"]
        opened = inside.connection is not None
        testing._close_connections_of_this_loop()
        return inside, opened

    inside, opened = asyncio.run(under_the_loop())
    if inside.vendor == "sqlite" and inside.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip("Django never closes SQLite's in-memory test database; PostgreSQL's run")

    assert inside is not outside
    assert opened
    assert inside.connection is None  # type: ignore[attr-defined]
