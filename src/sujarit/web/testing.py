"""Pytest plugin: a real browser for page tests (Debian's Chromium driven by Playwright).

The browser is started through Playwright's executable path, so no browser is ever
downloaded, and with host resolution limited to the test server, so a page that tried to
reach the internet would fail instead of silently fetching something.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
#: Screenshots that tests keep for people to look at (git-ignored).
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"Debian's Chromium is not installed at {CHROMIUM} (run `make system-deps`)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the test's own
    # database calls are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
            _close_connections_of_this_loop()


def _close_connections_of_this_loop() -> None:
    """Close the database connections the test opened while Playwright's loop was running.

    With an event loop running in the thread, Django keeps the thread's connections in a
    context variable instead of the thread's own storage, so pytest-django, which closes the
    thread's connections after the loop has stopped, never sees them: on PostgreSQL the last
    one stayed open and the test database could not be dropped ("is being accessed by other
    users"). A connection inside a transaction is the test's own and is left alone.
    """
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()
