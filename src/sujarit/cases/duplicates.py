"""Finding reports similar to a case: the per-process index of case fingerprints.

Each process keeps one ``SimilarityIndex`` of every case's fingerprint, loaded from the
``CaseFingerprint`` table on first use and topped up with newer fingerprints (higher case
numbers) before each search, so every process sees cases stored by the others. Results are
checked against the table before they are returned: if a listed case's stored fingerprint is
not the one in memory (a test database rolled back, a fingerprint rebuilt by another
process), the index is reloaded and the search runs again. A large index (past
``SYNC_LOAD_LIMIT`` fingerprints) is built in a background thread, and the list is "being
prepared" meanwhile: a request never waits minutes for it.

Who may see the list is decided by ``sujarit.cases.queries`` (``can_manage_duplicates``,
``cases_visible_to``); this module only finds ids and scores.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

from django.db import connection

from sujarit.cases.models import CaseFingerprint
from sujarit.textsearch.similar import (
    SHINGLE_VERSION,
    Match,
    SimilarityIndex,
    from_bytes,
    shingles,
    to_bytes,
)

#: How many similar reports the coordinator's list shows, and the lowest score it shows.
LIST_SIZE = 10
MIN_SCORE = 0.15
_LOAD_BATCH = 5_000

#: Up to this many fingerprints, a process builds its index during the request that first needs
#: it (a second or two). Past it the build takes minutes (about three at a million cases), longer
#: than a request may take: it runs in a background thread, and until it is done the list says
#: it is being prepared (``IndexNotReady``).
SYNC_LOAD_LIMIT = 50_000

_lock = threading.Lock()
_index: SimilarityIndex | None = None
_loader: threading.Thread | None = None


class IndexNotReady(Exception):
    """This process is still building its index of fingerprints; ask again in a while."""


def fingerprint_of(text: str) -> bytes:
    """What ``CaseFingerprint.shingles`` stores for a description."""
    return to_bytes(shingles(text))


def _rows_after(last_id: int) -> Iterator[tuple[int, bytes]]:
    """Current fingerprints of cases numbered above ``last_id``, in order, in batches."""
    while True:
        batch = list(
            CaseFingerprint.objects.filter(case_id__gt=last_id, version=SHINGLE_VERSION)
            .order_by("case_id")
            .values_list("case_id", "shingles")[:_LOAD_BATCH]
        )
        if not batch:
            return
        for case_id, data in batch:
            yield case_id, bytes(data)
        last_id = batch[-1][0]


def _load_in_background() -> None:
    """Build a whole index without holding the lock, then make it the process's."""
    global _index, _loader
    try:
        fresh = SimilarityIndex()
        for case_id, data in _rows_after(0):
            fresh.add(case_id, from_bytes(data))
        with _lock:
            _index = fresh
    finally:
        with _lock:
            _loader = None
        connection.close()


def _current_index(*, reload: bool = False) -> SimilarityIndex:
    """The process's index, topped up with the fingerprints stored since; raises
    ``IndexNotReady`` while a large one is being built in the background."""
    global _index, _loader
    with _lock:
        if reload:
            _index = None
        if _index is None:
            if _loader is not None:
                raise IndexNotReady
            if CaseFingerprint.objects.count() > SYNC_LOAD_LIMIT:
                _loader = threading.Thread(
                    target=_load_in_background, name="duplicates-index-loader", daemon=True
                )
                _loader.start()
                raise IndexNotReady
            _index = SimilarityIndex()
        index = _index
        for case_id, data in _rows_after(index.last_id):
            index.add(case_id, from_bytes(data))
        return index


def wait_until_loaded(timeout: float = 600.0) -> bool:
    """Wait for a background build of the index to end (tests, warm-up scripts)."""
    loader = _loader
    if loader is not None:
        loader.join(timeout)
    return _loader is None


def reset_index() -> None:
    """Forget the in-memory index (after a rebuild of fingerprints, and between tests)."""
    global _index
    with _lock:
        _index = None


def _consistent(index: SimilarityIndex, matches: list[Match]) -> bool:
    ids = [m.id for m in matches]
    stored = dict(
        CaseFingerprint.objects.filter(case_id__in=ids).values_list("case_id", "shingles")
    )
    return all(
        m.id in stored and list(from_bytes(bytes(stored[m.id]))) == index.shingles_of(m.id)
        for m in matches
    )


def similar_case_ids(
    case_id: int, *, k: int = LIST_SIZE, exclude: frozenset[int] = frozenset()
) -> list[Match]:
    """Ids and scores of the ``k`` cases whose descriptions are most like ``case_id``'s,
    best first (without permission checks: see ``queries.similar_cases_for``). Raises
    ``IndexNotReady`` while this process builds a large index in the background."""
    stored = CaseFingerprint.objects.filter(case_id=case_id, version=SHINGLE_VERSION).first()
    if stored is None:
        return []
    hashes = from_bytes(bytes(stored.shingles))
    for attempt in range(2):
        index = _current_index(reload=attempt > 0)
        matches = index.top(
            hashes, k=k, exclude=frozenset({case_id}) | exclude, min_score=MIN_SCORE
        )
        if _consistent(index, matches):
            return matches
    return []
