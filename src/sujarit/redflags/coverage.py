"""Field coverage of a JSON-lines file, as Cardinal's ``coverage`` command reports it.

For every JSON path, the number of non-empty values: ``""`` is a line, a path ending in ``/`` an
object, ``[]`` an array element; empty values are ``""``, ``[]``, ``{}``, ``null`` and anything
holding only empty values. It tells which indicators a publication can support.

This reads the file line by line (streaming, one line in memory at a time); it is a diagnostic
that walks whole documents, which DuckDB's typed reader is not made for.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from sujarit.redflags.progress import Meter, Progress, metered, metered_stdin

logger = logging.getLogger("sujarit.redflags")


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; Python accepts them by default, Cardinal does not.
    raise ValueError(f"{name} is not valid JSON")


class _Skipped(str):
    """Why a line is skipped."""


def _read_as_cardinal(line: bytes, error: orjson.JSONDecodeError) -> Any:
    """A line orjson refused, read as Cardinal reads it, or why it is skipped (:class:`_Skipped`).

    orjson refuses a number beyond a double (``1e999``), which Cardinal reads; Python's decoder
    reads it, but it also takes an escaped surrogate without its pair, which Cardinal refuses."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return _Skipped("is not valid UTF-8, skipping.")
    try:
        value = json.loads(text, parse_constant=_reject_constant)
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (ValueError, UnicodeEncodeError):
        return _Skipped(f"is invalid JSON, skipping. [{error}]")
    return value


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
        for number, raw in enumerate(handle, start=1):
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
                    logger.warning("Line %d %s", number, value)
                    continue
            yield number, value
    finally:
        handle.close()


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


def coverage(path: str | Path, progress: Progress | None = None) -> dict[str, int]:
    """Counts of non-empty values per JSON path over every line of the file (``progress``
    shows how much of the file has been read)."""
    result = Coverage()
    meter = Meter()
    watcher = progress or Progress(None)
    watcher.follow(meter.text)
    try:
        for _, value in documents(path, meter):
            result.add(value)
    finally:
        watcher.stop()
    return result.counts
