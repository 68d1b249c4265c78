"""Applying queued index changes off the request path.

A Tantivy commit costs tens of milliseconds and there is one writer per index, so a web
process that applied the queue itself after every commit would spend most of a report's
submission waiting for the index. Instead each process has one applier thread: a commit
that queued a change only wakes it (``request``) and returns. The thread waits a moment so
that commits arriving close together share one Tantivy commit, then applies every queued
change with ``indexing.apply_pending``; when another process holds the index's one writer, it
looks again a moment later. Nothing is lost if it fails or the process dies: the
changes stay queued in the database for the next apply (any process's, or
``sujarit reindex --pending``).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from django.db import connection

from sujarit.textsearch.engines import IndexBusy

log = logging.getLogger(__name__)

#: How long the thread waits after a wake-up before applying, so that the commits of that
#: moment are applied together: with several web processes, about one Tantivy commit a second
#: whatever the rate of submissions.
BATCH_WINDOW = 1.0
#: When another writer holds the index: how long before looking again (it applies everything
#: queued until it finishes, so usually nothing is left by then).
BUSY_RETRY = 0.25
#: After a failed apply, the first and the longest wait before trying again.
RETRY_FIRST, RETRY_MAX = 0.5, 30.0


class Applier:
    """One background thread per process that runs ``apply`` when asked, batching requests."""

    def __init__(self, apply: Callable[[], object], *, window: float = BATCH_WINDOW) -> None:
        self._apply = apply
        self._window = window
        self._changed = threading.Condition()
        self._requested = 0
        self._done = 0
        self._thread: threading.Thread | None = None
        self._pid = 0

    def request(self) -> None:
        """Ask for an apply soon; returns at once."""
        with self._changed:
            self._requested += 1
            self._start()
            self._changed.notify_all()

    def wait(self, timeout: float = 10.0) -> bool:
        """Wait until everything requested so far has been applied; False on timeout."""
        with self._changed:
            target = self._requested
            return self._changed.wait_for(lambda: self._done >= target, timeout)

    def _start(self) -> None:
        # A forked child (a server's worker started from a preloaded parent) has the parent's
        # object but not its thread.
        if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
            return
        self._pid = os.getpid()
        self._thread = threading.Thread(target=self._run, name="search-index-applier", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        pause, delay = self._window, RETRY_FIRST
        while True:
            with self._changed:
                idle = self._requested <= self._done
            if idle:
                # The thread's own database connection is not kept while there is nothing to do.
                connection.close()
            with self._changed:
                self._changed.wait_for(lambda: self._requested > self._done)
            time.sleep(pause)
            with self._changed:
                target = self._requested
            try:
                self._apply()
            except IndexBusy:
                pause = BUSY_RETRY
                continue
            except Exception:  # noqa: BLE001 - logged; the queue keeps the changes
                log.exception("search index update deferred; retrying in %.1f s", delay)
                pause, delay = delay, min(delay * 2, RETRY_MAX)
                continue
            pause, delay = self._window, RETRY_FIRST
            with self._changed:
                self._done = max(self._done, target)
                self._changed.notify_all()
