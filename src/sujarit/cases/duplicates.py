"""Finding reports similar to a case: the per-process index of case fingerprints.

Each process keeps one ``SimilarityIndex`` of every case's fingerprint, loaded from the
``CaseFingerprint`` table on first use and topped up with newer fingerprints (higher case
numbers) before each search, so every process sees cases stored by the others. Results are
checked against the table before they are returned: if a listed case's stored fingerprint is
not the one in memory (a test database rolled back, a fingerprint rebuilt by another
process), the index is reloaded and the search runs again.

Who may see the list is decided by ``sujarit.cases.queries`` (``can_manage_duplicates``,
``cases_visible_to``); this module only finds ids and scores.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

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

_lock = threading.Lock()
_index: SimilarityIndex | None = None


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


def _current_index(*, reload: bool = False) -> SimilarityIndex:
    global _index
    with _lock:
        if _index is None or reload:
            _index = SimilarityIndex()
        index = _index
        for case_id, data in _rows_after(index.last_id):
            index.add(case_id, from_bytes(data))
        return index


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
    best first (without permission checks: see ``queries.similar_cases_for``)."""
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
