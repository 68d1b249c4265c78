"""The search backends. Each answers one question: the ids of the cases that match every
term, best first, at most ``limit`` of them (optionally only among ``within``), and whether
that was all of them. Permissions and queue filters are applied by ``queries.search_cases``.

- ``tantivy``: an embedded Tantivy index under ``SUJARIT_SEARCH_INDEX_DIR``. Words are
  indexed as segmented by ``tokens.words``; each term is a phrase of its words, or any indexed
  word containing the term (a regular expression run over the term dictionary, not the
  documents). Ranked by BM25 (phrase matches count double), newest first on ties.
- ``database``: SQLite FTS5 or PostgreSQL full-text search over ``CaseText.words``; the same
  two ways to match a term (FTS5: the vocabulary table; PostgreSQL: trigram ``ILIKE``).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import connection

import tantivy

from sujarit.textsearch.query import Term

#: Index words containing a term that an SQLite query ORs in, at most.
MAX_EXPANSIONS = 200
#: Memory the Tantivy writer buffers before it writes a segment.
WRITER_HEAP = 64_000_000


class IndexBusy(RuntimeError):
    """Another writer (in this process or another) holds the index; try again later."""


class Backend(Protocol):
    def candidates(
        self, terms: Sequence[Term], *, limit: int, within: Sequence[int] | None = None
    ) -> tuple[list[int], bool]: ...


def backend() -> Backend:
    """The backend the settings choose (``SUJARIT_SEARCH_BACKEND``)."""
    if settings.SUJARIT_SEARCH_BACKEND == "tantivy":
        return TantivyBackend(Path(settings.SUJARIT_SEARCH_INDEX_DIR))
    return DatabaseBackend()


# --- the database ---------------------------------------------------------------------------


def _fts5_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class DatabaseBackend:
    """Full-text search in the database. The table names and the cursor can be given so that
    ``bench/search`` runs this very code on its own tables and connections."""

    def __init__(
        self,
        *,
        cursor: Callable[[], Any] | None = None,
        vendor: str | None = None,
        fts_table: str = "textsearch_fts",
        text_table: str = "textsearch_casetext",
    ) -> None:
        self.cursor = cursor or connection.cursor
        self.vendor = vendor or connection.vendor
        self.fts_table = fts_table
        self.text_table = text_table

    def candidates(
        self, terms: Sequence[Term], *, limit: int, within: Sequence[int] | None = None
    ) -> tuple[list[int], bool]:
        if not terms:
            return [], True
        if self.vendor == "postgresql":
            ids = self._postgresql(terms, limit=limit, within=within)
        else:
            ids = self._sqlite(terms, limit=limit, within=within)
        return ids, len(ids) < limit

    def _sqlite(
        self, terms: Sequence[Term], *, limit: int, within: Sequence[int] | None
    ) -> list[int]:
        clauses = []
        fts = self.fts_table
        with self.cursor() as cursor:
            for term in terms:
                cursor.execute(
                    f"SELECT word FROM {fts}_words WHERE instr(word, %s) > 0 LIMIT %s",  # noqa: S608
                    [term.text, MAX_EXPANSIONS],
                )
                options = [_fts5_string(" ".join(term.tokens))]
                options += [_fts5_string(f"{head} {tail}") + "*" for head, tail in term.splits]
                options += [_fts5_string(row[0]) for row in cursor.fetchall()]
                clauses.append("(" + " OR ".join(options) + ")")
            sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s"  # noqa: S608
            params: list[Any] = [" AND ".join(clauses)]
            if within is not None:
                sql += f" AND rowid IN ({','.join(['%s'] * len(within))})"
                params += list(within)
            cursor.execute(sql + " ORDER BY rank, rowid DESC LIMIT %s", [*params, limit])
            return [row[0] for row in cursor.fetchall()]

    def _postgresql(
        self, terms: Sequence[Term], *, limit: int, within: Sequence[int] | None
    ) -> list[int]:
        conditions: list[str] = []
        params: list[Any] = []
        ranks: list[str] = []
        for term in terms:
            conditions.append(
                "(to_tsvector('simple', words) @@ phraseto_tsquery('simple', %s)"
                " OR replace(words, ' ', '') ILIKE %s)"
            )
            phrase = " ".join(term.tokens)
            like = "%" + term.text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
            params += [phrase, like + "%"]
            ranks.append(phrase)
        rank = " + ".join(
            ["ts_rank(to_tsvector('simple', words), phraseto_tsquery('simple', %s))"] * len(ranks)
        )
        # Only fixed SQL fragments are joined here; every value is a parameter.
        sql = f"SELECT case_id FROM {self.text_table} WHERE {' AND '.join(conditions)}"  # noqa: S608
        if within is not None:
            sql += " AND case_id = ANY(%s)"
            params.append(list(within))
        sql += f" ORDER BY {rank} DESC, created_at DESC, case_id DESC LIMIT %s"
        with self.cursor() as cursor:
            cursor.execute(sql, [*params, *ranks, limit])
            return [row[0] for row in cursor.fetchall()]


# --- Tantivy --------------------------------------------------------------------------------

#: Characters with a meaning in Tantivy's (Rust) regular expressions.
_REGEX_SPECIAL = set("\\.+*?()|[]{}^$#&-~")


def _regex_escape(text: str) -> str:
    return "".join("\\" + c if c in _REGEX_SPECIAL else c for c in text)


def _around(text: str) -> str:
    """What may precede or follow ``text`` inside an indexed word, as a regular expression.

    Compiling ``.*`` (any Unicode character) costs Tantivy several milliseconds per query;
    segmentation never puts Thai and Latin letters in one word, so the class of the term's
    own script is enough and compiles about four times faster."""
    if all("\u0e00" <= c <= "\u0e7f" for c in text):
        return "[\u0e00-\u0e7f]*"
    if text.isascii():
        return "[ -~]*"
    return ".*"


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_integer_field("created", fast=True)
    builder.add_text_field("words", tokenizer_name="whitespace", index_option="position")
    return builder.build()


@functools.cache
def _open(path: str) -> tantivy.Index:
    Path(path).mkdir(parents=True, exist_ok=True)
    return tantivy.Index(schema(), path=path, reuse=True)


def document(case_id: int, created: int, words: str) -> tantivy.Document:
    return tantivy.Document(id=case_id, created=created, words=words)


class TantivyBackend:
    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def index(self) -> tantivy.Index:
        return _open(str(self.path))

    def query(self, terms: Sequence[Term], within: Sequence[int] | None = None) -> tantivy.Query:
        schema = self.index.schema
        musts: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for term in terms:
            if len(term.tokens) == 1:
                exact = tantivy.Query.term_query(schema, "words", term.tokens[0])
            else:
                exact = tantivy.Query.phrase_query(schema, "words", list(term.tokens))
            around = _around(term.text)
            inside = tantivy.Query.regex_query(
                schema, "words", around + _regex_escape(term.text) + around
            )
            options = [
                (tantivy.Occur.Should, tantivy.Query.boost_query(exact, 2.0)),
                (tantivy.Occur.Should, inside),
            ]
            for head, tail in term.splits:
                straddle = tantivy.Query.regex_phrase_query(
                    schema, "words", [_regex_escape(head), _regex_escape(tail) + around]
                )
                options.append((tantivy.Occur.Should, straddle))
            either = tantivy.Query.boolean_query(options)
            musts.append((tantivy.Occur.Must, either))
        if within is not None:
            musts.append(
                (tantivy.Occur.Must, tantivy.Query.term_set_query(schema, "id", list(within)))
            )
        return tantivy.Query.boolean_query(musts)

    def candidates(
        self, terms: Sequence[Term], *, limit: int, within: Sequence[int] | None = None
    ) -> tuple[list[int], bool]:
        if not terms or (within is not None and not within):
            return [], True
        index = self.index
        index.reload()
        searcher = index.searcher()
        result = searcher.search(self.query(terms, within), limit, count=False)
        addresses = [address for _score, address in result.hits]
        ids = searcher.fast_field_values("id", addresses)
        created = searcher.fast_field_values("created", addresses)
        ranked = sorted(
            zip(result.hits, ids, created, strict=True),
            key=lambda row: (-row[0][0], -(row[2] or 0), -(row[1] or 0)),
        )
        return [int(case_id) for _hit, case_id, _c in ranked if case_id is not None], len(
            addresses
        ) < limit

    def writer(self, *, wait: float = 10.0) -> tantivy.IndexWriter:
        """The index's one writer. Tantivy allows one per index across all processes (a lock
        file in the index directory); another process's writer is waited for, up to ``wait``
        seconds. Use it as a context manager: leaving the block commits and releases it."""
        deadline = time.monotonic() + wait
        while True:
            try:
                return self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
            except ValueError as error:
                if "LockBusy" not in str(error):
                    raise
                if time.monotonic() >= deadline:
                    raise IndexBusy(str(error)) from error
                time.sleep(0.05)
