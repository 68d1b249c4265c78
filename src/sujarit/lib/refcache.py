"""A per-process cache for small reference tables read on every report.

Routing rules, service levels and the agencies serving a subdistrict change a few times a year
but are read by every submission. Each process keeps what it read for a short time
(``SUJARIT_REFERENCE_CACHE_SECONDS``): a change made in another process (an admin's edit, a
directory import) applies everywhere within that time, and a write in this process clears the
caches at once (the apps connect ``clear_all`` to their models' save and delete signals).
Nothing personal is ever cached here: only reference data.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.conf import settings

V = TypeVar("V")

_registry: list[ReferenceCache[object]] = []


class ReferenceCache(Generic[V]):
    """Values by key, each kept for the configured number of seconds, at most ``maxsize``."""

    def __init__(self, name: str, *, maxsize: int = 1024) -> None:
        self.name = name
        self.maxsize = maxsize
        self._entries: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()
        _registry.append(self)  # type: ignore[arg-type]

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        ttl = float(getattr(settings, "SUJARIT_REFERENCE_CACHE_SECONDS", 60))
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and now - entry[0] < ttl:
                self._entries.move_to_end(key)
                return entry[1]
        value = compute()
        if ttl > 0:
            with self._lock:
                self._entries[key] = (now, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.maxsize:
                    self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def clear_all(*args: object, **kwargs: object) -> None:
    """Forget every cached value (usable as a signal receiver)."""
    for cache in _registry:
        cache.clear()
