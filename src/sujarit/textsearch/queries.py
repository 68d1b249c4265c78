"""Searching cases, through the one permission check for cases.

The backend proposes case ids best first; every id then goes through
``cases_visible_to(user)`` combined with the caller's queue scope (tab and filters), in the
database, before anything is shown. A hit the user may not open is dropped without trace: no
count, no "more results" hint that depends on it. When the user's scope is small (an agency
officer's cases, a narrow filter), the backend is asked only about ids in that scope, so that
the best visible matches are found however far down the whole ranking they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from sujarit.accounts.queries import AnyUser
from sujarit.cases.models import Case
from sujarit.cases.queries import cases_visible_to
from sujarit.textsearch.engines import Backend, backend
from sujarit.textsearch.query import Term, parse

PAGE_SIZE = 50
#: A scope of at most this many cases is handed to the backend as an id list.
SMALL_SCOPE = 5000
#: The largest page number served (deeper pages cost a longer ranking).
MAX_PAGE = 20
_CHUNK = 1000
#: Candidates asked of the backend at least, whatever the page: every page of a search is cut
#: from the same ranked list, so equal scores cannot reorder between one page and the next.
WINDOW = MAX_PAGE * PAGE_SIZE + 1


@dataclass(frozen=True)
class SearchPage:
    rows: list[Case]
    terms: list[Term]
    page: int
    has_next: bool


def _allowed(scope: QuerySet[Case], ids: Sequence[int]) -> set[int]:
    allowed: set[int] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        allowed.update(scope.filter(pk__in=chunk).values_list("pk", flat=True))
    return allowed


def ranked_visible_ids(
    scope: QuerySet[Case], terms: Sequence[Term], *, need: int, engine: Backend
) -> list[int]:
    """The first ``need`` ids of ``scope`` that match ``terms``, best first."""
    small = scope.order_by().values("pk")[: SMALL_SCOPE + 1]
    within = [row["pk"] for row in small]
    if len(within) <= SMALL_SCOPE:
        ids, _exhausted = engine.candidates(terms, limit=max(need, WINDOW), within=within)
        allowed = _allowed(scope, ids)
        return [case_id for case_id in ids if case_id in allowed][:need]
    limit = max(need * 2, WINDOW)
    while True:
        ids, exhausted = engine.candidates(terms, limit=limit)
        allowed = _allowed(scope, ids)
        visible = [case_id for case_id in ids if case_id in allowed]
        if len(visible) >= need or exhausted:
            return visible[:need]
        limit *= 4


def search_cases(
    user: AnyUser,
    query: str,
    *,
    scope: QuerySet[Case] | None = None,
    page: int = 1,
    size: int = PAGE_SIZE,
    engine: Backend | None = None,
) -> SearchPage:
    """One page of the cases ``user`` may open that match ``query``, best match first.

    ``scope`` narrows the search (a queue tab with its filters); the rows come from it, so
    they carry its ``select_related``/``only``. Every term of the query must match."""
    terms = parse(query)
    page = min(max(page, 1), MAX_PAGE)
    if not terms:
        return SearchPage(rows=[], terms=terms, page=page, has_next=False)
    visible = cases_visible_to(user)
    gated = visible if scope is None else scope & visible
    need = page * size + 1
    ids = ranked_visible_ids(gated, terms, need=need, engine=engine or backend())
    page_ids = ids[(page - 1) * size : page * size]
    by_id = {case.pk: case for case in gated.filter(pk__in=page_ids)}
    rows = [by_id[case_id] for case_id in page_ids if case_id in by_id]
    return SearchPage(rows=rows, terms=terms, page=page, has_next=len(ids) > page * size)
