"""Field coverage of a JSON-lines file, as Cardinal's ``coverage`` command reports it.

For every JSON path, the number of non-empty values: ``""`` is a line, a path ending in ``/`` an
object, ``[]`` an array element; empty values are ``""``, ``[]``, ``{}``, ``null`` and anything
holding only empty values. It tells which indicators a publication can support.

This reads the file line by line (streaming, one line in memory at a time), a large plain file
in parts, one process per core; it is a diagnostic that walks whole documents, which DuckDB's
typed reader is not made for.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import itertools
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from sujarit.redflags.progress import Meter, Progress, metered, metered_stdin
from sujarit.redflags.source import is_gzip, loads_as_cardinal

logger = logging.getLogger("sujarit.redflags")


class _Skipped(str):
    """Why a line is skipped."""


def _read_as_cardinal(line: bytes, error: orjson.JSONDecodeError) -> Any:
    """A line orjson refused, read as Cardinal reads it, or why it is skipped (:class:`_Skipped`).

    orjson refuses a number beyond a double (``1e999``), which Cardinal reads; so does
    :func:`sujarit.redflags.source.loads_as_cardinal`."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return _Skipped("is not valid UTF-8, skipping.")
    try:
        return loads_as_cardinal(text)
    except ValueError:
        return _Skipped(f"is invalid JSON, skipping. [{error}]")


def documents(path: str | Path, meter: Meter | None = None) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) for every valid non-blank line; warns about the others.
    The bytes read so far are counted in ``meter``.

    A line is read as Cardinal reads it: ``NaN``, ``Infinity`` and an escaped surrogate without
    its pair (``"\\ud800"``) are invalid JSON, a number beyond a double (``1e999``) is a
    number. (orjson reads the lines; Python's decoder only those orjson refuses.)
    """
    meter = meter or Meter()
    handle = metered_stdin(meter) if str(path) == "-" else metered(path, meter)
    try:
        yield from _parsed(enumerate(handle, start=1), _warn)
    finally:
        handle.close()


def _warn(number: int, reason: str) -> None:
    logger.warning("Line %d %s", number, reason)


def _parsed(
    lines: Iterable[tuple[int, bytes]], skipped: Callable[[int, str], None]
) -> Iterator[tuple[int, Any]]:
    """(line number, value) of the numbered lines that are JSON; ``skipped`` hears of the
    others (blank lines are passed over)."""
    for number, raw in lines:
        line = raw[:-1] if raw.endswith(b"\n") else raw
        if line.endswith(b"\r"):
            line = line[:-1]
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            value = _read_as_cardinal(line, error)
            if isinstance(value, _Skipped):
                skipped(number, value)
                continue
        yield number, value


class _Node:
    """A JSON path and how many non-empty values were found at it, with the nodes of the paths
    below it found so far (looked up by key, not by building the path's text each time)."""

    __slots__ = ("count", "items", "members", "nodes", "path", "slash")

    def __init__(self, path: str, nodes: dict[str, _Node]) -> None:
        self.path = path
        self.count = 0
        #: Every node by its path: two paths can be the same text (the member ``""`` of an
        #: object at ``/`` and the object's own ``/``; a member ``a[]`` and the items of a
        #: member ``a``), and such a path has one count, as in Cardinal.
        self.nodes = nodes
        self.members: dict[str, _Node] = {}
        self.slash: _Node | None = None
        self.items: _Node | None = None

    def _at(self, path: str) -> _Node:
        node = self.nodes.get(path)
        if node is None:
            node = self.nodes[path] = _Node(path, self.nodes)
        return node

    def member(self, key: str) -> _Node:
        node = self.members.get(key)
        if node is None:
            node = self.members[key] = self._at(f"{self.path}/{key}")
        return node

    def object(self) -> _Node:
        if self.slash is None:
            self.slash = self._at(self.path + "/")
        return self.slash

    def array(self) -> _Node:
        if self.items is None:
            self.items = self._at(self.path + "[]")
        return self.items


class Coverage:
    """Counts of non-empty values per JSON path, over the documents added.

    A value is empty if it is ``null``, ``""``, ``[]``, ``{}`` or holds only empty values. A
    non-empty object is counted at its path and at its path followed by ``/`` (where its
    members' paths start), a non-empty array at its path (its items are at ``path[]``). The
    paths come out in the order they were first counted, as in Cardinal.
    """

    def __init__(self) -> None:
        self._root = _Node("", {})
        self._root.nodes[""] = self._root
        self._order: list[_Node] = []

    @property
    def counts(self) -> dict[str, int]:
        return {node.path: node.count for node in self._order}

    def add(self, value: Any) -> bool:
        """Count the non-empty values of a document; True if it is non-empty."""
        if isinstance(value, dict | list):
            return bool(value) and self._nested(value, self._root)
        if value is None or value == "":
            return False
        self._counted(self._root)
        return True

    def _counted(self, node: _Node) -> None:
        if not node.count:
            self._order.append(node)
        node.count += 1

    def _nested(self, value: Any, node: _Node) -> bool:
        """Count the values under a non-empty object or array at ``node``. Scalars are counted
        here rather than by a call of their own: most values are scalars."""
        found = False
        if type(value) is dict:
            for key, item in value.items():
                kind = type(item)
                if kind is dict or kind is list:
                    if not item or not self._nested(item, node.member(key)):
                        continue
                elif item is None or item == "":
                    continue
                else:
                    self._counted(node.member(key))
                found = True
            if not found:
                return False
            self._counted(node.object())
        else:
            items = node.array()
            for item in value:
                kind = type(item)
                if kind is dict or kind is list:
                    if not item or not self._nested(item, items):
                        continue
                elif item is None or item == "":
                    continue
                else:
                    self._counted(items)
                found = True
            if not found:
                return False
        self._counted(node)
        return True


#: A plain file at least this large is read by one process per core, each over a part of it.
PARALLEL_FROM = 64 * 2**20


def coverage(
    path: str | Path, progress: Progress | None = None, *, workers: int | None = None
) -> dict[str, int]:
    """Counts of non-empty values per JSON path over every line of the file (``progress``
    shows how much of the file has been read).

    A large plain file is cut at line breaks into one part per core (``workers``), each read
    by a process of its own; the counts and their order, and the warnings and their line
    numbers, are those of a single pass (the warnings come once every part is read)."""
    watcher = progress or Progress(None)
    workers = workers or _cores()
    # A daemonic process (a pool's worker) may not start processes of its own.
    if str(path) != "-" and workers > 1 and not multiprocessing.current_process().daemon:
        file = Path(path)
        size = file.stat().st_size
        if size >= PARALLEL_FROM and not is_gzip(file):
            return _in_parts(file, size, workers, watcher)
    result = Coverage()
    meter = Meter()
    watcher.follow(meter.text)
    try:
        for _, value in documents(path, meter):
            result.add(value)
    finally:
        watcher.stop()
    return result.counts


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _line_starts(path: Path, size: int, parts: int) -> list[int]:
    """Offsets cutting the file into about ``parts`` parts, each at the start of a line."""
    starts = [0]
    with path.open("rb") as handle:
        for part in range(1, parts):
            handle.seek(max(size * part // parts, starts[-1]))
            if handle.tell() > 0:
                handle.seek(handle.tell() - 1)
                handle.readline()  # To the end of the line the cut falls in.
            if handle.tell() > starts[-1] and handle.tell() < size:
                starts.append(handle.tell())
    return [*starts, size]


#: Bytes read so far by each part's process (shared memory; set in each process).
_READ: Any = None


def _share(read: Any) -> None:
    global _READ
    _READ = read


@dataclasses.dataclass
class _Part:
    """What a process found in its part: counts in the order first found, skipped lines
    (numbered from the part's first line) and the number of lines."""

    counts: list[tuple[str, int]]
    skipped: list[tuple[int, str]]
    lines: int


def _read_part(path: str, index: int, start: int, end: int) -> _Part:
    result = Coverage()
    skipped: list[tuple[int, str]] = []
    lines = 0

    def numbered() -> Iterator[tuple[int, bytes]]:
        nonlocal lines
        done = 0
        with open(path, "rb") as handle:
            handle.seek(start)
            while start + done < end:
                raw = handle.readline()
                if not raw:
                    return
                done += len(raw)
                lines += 1
                if _READ is not None and (lines & 1023 == 0 or start + done >= end):
                    _READ[index] = done
                yield lines, raw

    for _, value in _parsed(numbered(), lambda number, reason: skipped.append((number, reason))):
        result.add(value)
    return _Part(list(result.counts.items()), skipped, lines)


def _in_parts(path: Path, size: int, workers: int, progress: Progress) -> dict[str, int]:
    starts = _line_starts(path, size, workers)
    context = multiprocessing.get_context("spawn")
    read = context.Array("q", len(starts) - 1, lock=False)
    progress.follow(lambda: f"{min(100.0, 100.0 * sum(read) / size):5.1f}%")
    try:
        with concurrent.futures.ProcessPoolExecutor(
            max_workers=len(starts) - 1, mp_context=context, initializer=_share, initargs=(read,)
        ) as pool:
            futures = [
                pool.submit(_read_part, str(path), index, start, end)
                for index, (start, end) in enumerate(itertools.pairwise(starts))
            ]
            parts = [future.result() for future in futures]
    finally:
        progress.stop()
    # A path first found in an earlier part comes first, as it would in a single pass.
    counts: dict[str, int] = {}
    first_line = 1
    for part in parts:
        for name, count in part.counts:
            counts[name] = counts.get(name, 0) + count
        for number, reason in part.skipped:
            _warn(first_line + number - 1, reason)
        first_line += part.lines
    return counts
