"""The applier thread: commits only wake it, it batches them, and a failed apply is retried
while the changes wait in the queue."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction

import pytest

from sujarit.accounts.models import User
from sujarit.cases.models import Case
from sujarit.textsearch import applier, indexing
from sujarit.textsearch.engines import IndexBusy
from sujarit.textsearch.models import IndexChange
from sujarit.textsearch.queries import search_cases


def _scripted(outcomes: list[Exception | None]) -> Callable[[], None]:
    """An apply that raises the next of ``outcomes`` (or succeeds on None), consuming it."""

    def apply() -> None:
        outcome = outcomes.pop(0)
        if outcome is not None:
            raise outcome

    return apply


def test_requests_close_together_share_one_apply() -> None:
    calls: list[float] = []
    worker = applier.Applier(lambda: calls.append(time.monotonic()), window=0.2)

    for _ in range(20):
        worker.request()

    assert worker.wait(5)
    assert len(calls) == 1


def test_request_returns_before_the_apply_finishes() -> None:
    release = threading.Event()
    worker = applier.Applier(release.wait, window=0)

    started = time.monotonic()
    worker.request()
    returned = time.monotonic() - started

    assert returned < 0.5
    assert not worker.wait(0.2)
    release.set()
    assert worker.wait(5)


def test_a_failed_apply_is_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(applier, "RETRY_FIRST", 0.01)
    monkeypatch.setattr(applier, "BUSY_RETRY", 60.0)
    outcomes: list[Exception | None] = [RuntimeError("writer busy")] * 2 + [None]
    worker = applier.Applier(_scripted(outcomes), window=0)
    worker.request()

    assert worker.wait(5)
    assert not outcomes


def test_a_request_after_an_apply_started_gets_its_own() -> None:
    # A change committed while an apply runs may have been read too late: it needs another.
    entered, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def apply() -> None:
        calls.append(1)
        if len(calls) == 1:
            entered.set()
            release.wait()

    worker = applier.Applier(apply, window=0)
    worker.request()
    assert entered.wait(5)
    worker.request()
    release.set()

    assert worker.wait(5)
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_a_committed_case_reaches_the_index_from_the_background(
    settings: Any,
    tmp_path: Path,
    case_factory: Callable[..., Case],
    coordinator: User,
) -> None:
    settings.SUJARIT_SEARCH_BACKEND = "tantivy"
    settings.SUJARIT_SEARCH_INDEX_DIR = tmp_path / "index"
    settings.SUJARIT_SEARCH_APPLY_IN_BACKGROUND = True

    with transaction.atomic():
        case = case_factory(description="ท่อระบายน้ำหน้าวัดอุดตันมาสามเดือนแล้ว")

    assert indexing.wait_for_index(10)
    assert not IndexChange.objects.exists()
    assert [c.pk for c in search_cases(coordinator, "ท่อระบายน้ำ").rows] == [case.pk]


def test_a_busy_index_is_tried_again_soon_and_quietly(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(applier, "BUSY_RETRY", 0.01)
    monkeypatch.setattr(applier, "RETRY_FIRST", 60.0)
    outcomes: list[Exception | None] = [IndexBusy("LockBusy")] * 3 + [None]
    worker = applier.Applier(_scripted(outcomes), window=0)
    worker.request()

    # Not the slow retry of a failure: a busy writer is looked at again within moments.
    assert worker.wait(5)
    assert not outcomes
    assert not caplog.records
