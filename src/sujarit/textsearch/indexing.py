"""Keeping the search index in step with the cases.

``index_case`` runs inside the transaction that writes a case: it stores the segmented text
(``CaseText``), updates SQLite's FTS5 table, and, when the Tantivy backend is on, queues an
``IndexChange`` and, once the transaction commits, wakes the process's applier thread, which
runs ``apply_pending`` for the commits of that moment together (or, with
``SUJARIT_SEARCH_APPLY_IN_BACKGROUND`` off, runs it right there). ``apply_pending``
is safe to call from any process at any time: whoever gets the index's single writer applies
every queued change and deletes the queue rows after Tantivy's commit, so a change that
could not be applied (writer busy, process killed) is applied by the next call. ``rebuild``
makes everything again from the cases table (``sujarit reindex``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from sujarit.cases.models import Case
from sujarit.textsearch.applier import Applier
from sujarit.textsearch.engines import TantivyBackend, document
from sujarit.textsearch.models import CaseText, IndexChange
from sujarit.textsearch.tokens import segmented

log = logging.getLogger(__name__)

#: Cases read, segmented and written per batch by ``rebuild`` and ``apply_pending``.
BATCH = 2000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def searchable_text(case: Case) -> str:
    """What search looks at: the description, the village and the accused agency as typed."""
    return "\n".join(t for t in (case.description, case.village, case.accused_agency_text) if t)


def epoch_seconds(value: datetime) -> int:
    return int((value - _EPOCH).total_seconds())


def tantivy_enabled() -> bool:
    return bool(settings.SUJARIT_SEARCH_BACKEND == "tantivy")


def tantivy_backend() -> TantivyBackend:
    return TantivyBackend(Path(settings.SUJARIT_SEARCH_INDEX_DIR))


def _fts_delete(cursor: object, rows: Iterable[tuple[int, str]]) -> None:
    # A contentless FTS5 table forgets a row only when given the words it was indexed with.
    cursor.executemany(  # type: ignore[attr-defined]
        "INSERT INTO textsearch_fts(textsearch_fts, rowid, words) VALUES ('delete', %s, %s)",
        list(rows),
    )


def _fts_insert(cursor: object, rows: Iterable[tuple[int, str]]) -> None:
    rows = list(rows)
    cursor.executemany(  # type: ignore[attr-defined]
        "INSERT INTO textsearch_fts(rowid, words) VALUES (%s, %s)", rows
    )
    # The list of indexed words only grows (a word no case uses any more costs nothing but a
    # row); ``rebuild`` starts it afresh.
    cursor.executemany(  # type: ignore[attr-defined]
        "INSERT OR IGNORE INTO textsearch_fts_words(word) VALUES (%s)",
        [(word,) for word in {w for _id, words in rows for w in words.split(" ") if w}],
    )


def store_texts(cases: list[Case]) -> list[CaseText]:
    """Write the segmented text of ``cases`` (new or changed) and SQLite's full-text rows."""
    texts = [
        CaseText(
            case_id=case.pk, words=segmented(searchable_text(case)), created_at=case.created_at
        )
        for case in cases
    ]
    if connection.vendor == "sqlite":
        old = CaseText.objects.filter(case_id__in=[c.pk for c in cases]).values_list(
            "case_id", "words"
        )
        with connection.cursor() as cursor:
            _fts_delete(cursor, old)
            _fts_insert(cursor, [(t.case_id, t.words) for t in texts])
    CaseText.objects.bulk_create(
        texts,
        update_conflicts=True,
        unique_fields=["case"],
        update_fields=["words", "created_at"],
    )
    return texts


def index_case(case: Case) -> None:
    """Make ``case``'s current text searchable; call inside the transaction that wrote it."""
    store_texts([case])
    if tantivy_enabled():
        IndexChange.objects.create(case_id=case.pk)
        _apply_after_commit()


def _apply_after_commit() -> None:
    if not settings.SUJARIT_SEARCH_APPLY_ON_COMMIT:
        return
    if settings.SUJARIT_SEARCH_APPLY_IN_BACKGROUND:
        transaction.on_commit(request_apply)
    else:
        transaction.on_commit(apply_pending_quietly)


def request_apply() -> None:
    """Wake this process's applier thread (``applier.Applier``); returns at once."""
    _applier.request()


def wait_for_index(timeout: float = 10.0) -> bool:
    """Wait until the changes this process asked its applier for are in the index."""
    return _applier.wait(timeout)


def apply_pending(*, wait: float = 10.0) -> int:
    """Apply every queued change to the Tantivy index; return how many cases were applied."""
    if not IndexChange.objects.exists():
        # Nothing queued (another process applied it): no writer, no Tantivy commit.
        return 0
    backend = tantivy_backend()
    applied = 0
    with backend.writer(wait=wait) as writer:
        while True:
            changes = list(IndexChange.objects.order_by("id")[:BATCH])
            if not changes:
                break
            case_ids = sorted({change.case_id for change in changes})
            texts = {t.case_id: t for t in CaseText.objects.filter(case_id__in=case_ids)}
            for case_id in case_ids:
                writer.delete_documents_by_term("id", case_id)
                text = texts.get(case_id)
                if text is not None:
                    writer.add_document(
                        document(case_id, epoch_seconds(text.created_at), text.words)
                    )
            writer.commit()
            # Only after Tantivy's commit: a crash before this line applies them again.
            IndexChange.objects.filter(id__in=[change.id for change in changes]).delete()
            applied += len(case_ids)
    return applied


def apply_pending_quietly() -> None:
    """``apply_pending`` after a commit: a failure must not fail the request whose data is
    already saved; the change stays queued and the next apply (or ``reindex``) takes it."""
    try:
        apply_pending(wait=5.0)
    except Exception:  # noqa: BLE001 - logged; the queue keeps the change
        log.exception("search index update deferred")


# The applier does not wait for a writer another process holds: that process applies every
# change queued until it finishes, and the applier looks again shortly after.
_applier = Applier(lambda: apply_pending(wait=0.0))


def rebuild(*, batch: int = BATCH, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute every case's segmented text and rebuild the configured indexes from it."""
    total = Case.objects.count()
    done = 0
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO textsearch_fts(textsearch_fts) VALUES ('delete-all')")
            cursor.execute("DELETE FROM textsearch_fts_words")
    CaseText.objects.all().delete()
    tantivy = tantivy_backend() if tantivy_enabled() else None
    writer = tantivy.writer() if tantivy is not None else None
    if writer is not None:
        writer.delete_all_documents()
    IndexChange.objects.all().delete()
    last = 0
    fields = ("id", "description", "village", "accused_agency_text", "created_at")
    while True:
        cases = list(Case.objects.filter(pk__gt=last).order_by("pk").only(*fields)[:batch])
        if not cases:
            break
        with transaction.atomic():
            texts = store_texts(cases)
        if writer is not None:
            for text in texts:
                writer.add_document(
                    document(text.case_id, epoch_seconds(text.created_at), text.words)
                )
        last = cases[-1].pk
        done += len(cases)
        if progress is not None:
            progress(done, total)
    if writer is not None:
        writer.commit()
        writer.wait_merging_threads()
    return done
