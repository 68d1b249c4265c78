"""Field coverage of a JSON-lines file, as Cardinal's ``coverage`` command reports it.

For every JSON path, the number of non-empty values: ``""`` is a line, a path ending in ``/`` an
object, ``[]`` an array element; empty values are ``""``, ``[]``, ``{}``, ``null`` and anything
holding only empty values. It tells which indicators a publication can support.

This reads the file line by line (streaming, one line in memory at a time); it is a diagnostic
that walks whole documents, which DuckDB's typed reader is not made for.
"""

from __future__ import annotations

import gzip
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

logger = logging.getLogger("sujarit.redflags")


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; Python accepts them by default, Cardinal does not.
    raise ValueError(f"{name} is not valid JSON")


def _open(path: str | Path) -> IO[bytes]:
    if str(path) == "-":
        return sys.stdin.buffer
    file = Path(path)
    handle = file.open("rb")
    if handle.read(2) == b"\x1f\x8b":
        handle.close()
        return cast(IO[bytes], gzip.GzipFile(file, "rb"))
    handle.seek(0)
    return handle


def documents(path: str | Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) for every valid non-blank line; warns about the others."""
    handle = _open(path)
    try:
        for number, raw in enumerate(handle, start=1):
            line = raw[:-1] if raw.endswith(b"\n") else raw
            if line.endswith(b"\r"):
                line = line[:-1]
            if not line.strip():
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                logger.warning("Line %d is not valid UTF-8, skipping.", number)
                continue
            try:
                value = json.loads(text, parse_constant=_reject_constant)
            except ValueError as error:
                logger.warning("Line %d is invalid JSON, skipping. [%s]", number, error)
                continue
            yield number, value
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()


class Coverage:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def _increment(self, path: str) -> None:
        self.counts[path] = self.counts.get(path, 0) + 1

    def add(self, value: Any, path: list[str]) -> bool:
        """Count the non-empty nodes under ``value``; True if ``value`` is non-empty."""
        increment = False
        if isinstance(value, list):
            if value:
                path.append("[]")
                for item in value:
                    increment |= self.add(item, path)
                path.pop()
        elif isinstance(value, dict):
            if value:
                path.append("/")
                for key, item in value.items():
                    path.append(key)
                    increment |= self.add(item, path)
                    path.pop()
                if increment:
                    self._increment("".join(path))
                path.pop()
        elif isinstance(value, str):
            increment = value != ""
        elif value is not None:
            increment = True
        if increment:
            self._increment("".join(path))
        return increment


def coverage(path: str | Path) -> dict[str, int]:
    """Counts of non-empty values per JSON path over every line of the file."""
    result = Coverage()
    for _, value in documents(path):
        result.add(value, [])
    return result.counts
