"""Progress of long runs, shown on a terminal.

A run that reads a large file (the indicators, ``coverage``, ``import``) shows one line on
standard error, rewritten twice a second: what it is doing, how far it has got and for how long
it has run. Nothing is written when standard error is not a terminal, so a scheduled run's
output and a pipe's content stay clean; standard output carries only results.

How far a run has got comes from a *probe*, a function the display calls from its own thread:
DuckDB's own estimate for a query, or the bytes read so far of a file (:class:`Meter`, fed by
:func:`metered`, which counts what the file gives its buffer, compressed bytes for gzip).
"""

from __future__ import annotations

import gzip
import io
import logging
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TextIO, cast

#: Seconds between two refreshes of a progress line.
INTERVAL = 0.5
#: A probe returns the text to show (e.g. ``"42.0%"``), or None to leave the line as it is.
Probe = Callable[[], str | None]

#: Held while a progress line or a log message is written, so that they do not mix.
_LOCK = threading.Lock()
#: The progress lines being shown.
_SHOWN: set[Progress] = set()


class Progress:
    """One line of progress on ``stream``, or nothing when ``stream`` is None."""

    def __init__(
        self, stream: TextIO | None, label: str = "redflags", interval: float | None = None
    ):
        self.stream = stream
        self.label = label
        self.interval = INTERVAL if interval is None else interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._width = 0

    def follow(self, probe: Probe) -> None:
        """Show what ``probe`` returns every ``interval`` seconds until :meth:`stop`."""
        if self.stream is None or self._thread is not None:
            return
        started = time.monotonic()

        def loop() -> None:
            while not self._stop.wait(self.interval):
                try:
                    text = probe()
                except Exception:  # noqa: BLE001 - progress is cosmetic; never fail the run
                    return
                if text is not None:
                    self._show(f"{self.label}: {text} ({time.monotonic() - started:.0f} s)")

        self._stop.clear()
        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()

    def _show(self, line: str) -> None:
        if self.stream is None:
            return
        with _LOCK:
            # Pad over a longer line shown before, then return to the start of the line.
            self.stream.write("\r" + line.ljust(self._width))
            self.stream.flush()
            self._width = max(self._width, len(line))
            _SHOWN.add(self)

    def _erase(self) -> None:
        """Clear the line (the caller holds ``_LOCK``); the next refresh shows it again."""
        if self.stream is not None and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
        _SHOWN.discard(self)

    def stop(self) -> None:
        """Stop showing and clear the line (a run's messages then start on a clean line)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        with _LOCK:
            self._erase()


class LogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A log handler that clears a progress line before it writes a message, so that a
    warning in the middle of a run starts on a line of its own."""

    def emit(self, record: logging.LogRecord) -> None:
        with _LOCK:
            for shown in list(_SHOWN):
                shown._erase()
            super().emit(record)


def on_terminal(stream: TextIO, label: str = "redflags") -> Progress:
    """Progress on ``stream`` if it is a terminal, else a silent one."""
    return Progress(stream if stream.isatty() else None, label)


class Meter:
    """How much of a file has been read: bytes so far, and the file's size when known."""

    def __init__(self) -> None:
        self.done = 0
        self.total: int | None = None
        self.started = False

    def start(self, total: int | None) -> None:
        self.done = 0
        self.total = total
        self.started = True

    def text(self) -> str | None:
        """How much was read (a probe for :class:`Progress`); None before the file is open."""
        if not self.started:
            return None
        if self.total:
            return f"{min(100.0, 100.0 * self.done / self.total):5.1f}%"
        return f"{self.done / 2**20:,.0f} MB read"


class _Counted(io.RawIOBase):
    """A readable stream that adds every byte it hands out to a :class:`Meter`."""

    def __init__(self, raw: IO[bytes], meter: Meter, *, close_raw: bool) -> None:
        super().__init__()
        self._raw = raw
        self._meter = meter
        self._close_raw = close_raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        if count:
            self._meter.done += count
        return int(count or 0)

    def close(self) -> None:
        if self._close_raw and not self.closed:
            self._raw.close()
        super().close()


def metered_stdin(meter: Meter) -> IO[bytes]:
    """Standard input, with every byte read from it counted in ``meter`` (closing the result
    leaves standard input open)."""
    meter.start(None)
    stdin = cast(IO[bytes], sys.stdin.buffer)
    return io.BufferedReader(_Counted(stdin, meter, close_raw=False), 1 << 16)


def metered(path: str | Path, meter: Meter) -> IO[bytes]:
    """``path`` opened for reading, decompressed if it is gzip, with every byte read from it
    counted in ``meter`` (compressed bytes, against the file's size)."""
    file = Path(path)
    raw = cast(IO[bytes], file.open("rb", buffering=0))
    gzipped = raw.read(2) == b"\x1f\x8b"
    raw.seek(0)
    meter.start(file.stat().st_size)
    counted = io.BufferedReader(_Counted(raw, meter, close_raw=True), 1 << 16)
    if gzipped:
        return cast(IO[bytes], _ClosingGzip(counted))
    return counted


class _ClosingGzip(gzip.GzipFile):
    """A gzip reader that also closes the stream it reads from (``GzipFile`` closes only a
    file it opened itself)."""

    def __init__(self, source: IO[bytes]) -> None:
        super().__init__(fileobj=source, mode="rb")
        self._source = source

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._source.close()


__all__ = [
    "LogHandler",
    "Meter",
    "Probe",
    "Progress",
    "metered",
    "metered_stdin",
    "on_terminal",
]
