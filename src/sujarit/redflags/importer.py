"""Turning published OCDS files into the engine's input: one compiled release per line.

Publishers release OCDS in many shapes: release packages, record packages, single releases and
records, as JSON files or JSON lines, in OCDS 1.0 or 1.1. The indicators need one *compiled
release* per contracting process. This module uses Open Contracting's own libraries for the OCDS
work — ocdskit to recognise the shapes and to upgrade 1.0 to 1.1, ocdsmerge to merge the
releases of a process into its compiled release — always with the OCDS 1.1.5 schema shipped in
``schema/`` (they would download it otherwise).

The rules:

* Every release found (in packages, in records' ``releases``, or alone) is grouped by ``ocid``;
  the releases of an ocid are merged into one compiled release.
* An ocid with no full releases (only linked releases, or only a compiled release) keeps the
  publisher's compiled release (a record's ``compiledRelease``, or a release tagged
  ``compiled``).
* OCDS 1.0 data (a package ``version`` of 1.0 or none; a loose release without ``parties``) is
  upgraded to 1.1 first.
* A file or line that cannot be read, an object that is not OCDS, a release without an ocid, or
  releases that cannot be merged are reported — file, line (when known) and reason — and
  skipped; the import carries on with everything else.

Memory stays bounded whatever the size of the files. A package is streamed with ijson (its
``releases`` or ``records`` one at a time, never the whole file); a JSON-lines file is read
line by line. Releases are grouped by ocid in a temporary SQLite database on disk, and only one
ocid's releases are in memory while they are merged. Output is sorted by ocid, so it does not
depend on file order.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import logging
import sqlite3
import tempfile
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TextIO

import ijson
import ocdsmerge
from ocdskit.upgrade import upgrade_record_10_11, upgrade_release_10_11
from ocdsmerge.exceptions import OCDSMergeError, OCDSMergeWarning

from sujarit.redflags.progress import Meter, Progress, metered

SCHEMA = Path(__file__).parent / "schema" / "release-schema.json"
SUFFIXES = (".json", ".jsonl", ".json.gz", ".jsonl.gz")
#: A first line longer than this is not tried as a JSON line (the file is streamed instead).
FIRST_LINE_LIMIT = 1 << 20
#: A broken JSON file up to this size is parsed again by Python's json module, which names the
#: exact line of the error; a larger one is reported at the line ijson had reached.
EXACT_ERROR_LIMIT = 64 << 20


@dataclasses.dataclass(frozen=True)
class Problem:
    """Something that was skipped, and why."""

    file: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line is not None else self.file
        return f"{where}: {self.reason}"


@dataclasses.dataclass
class ImportReport:
    files: int = 0
    #: Files from which at least one release, record or compiled release was taken.
    files_used: int = 0
    #: Compiled releases written.
    releases: int = 0
    #: Of which merged here from individual releases.
    merged: int = 0
    problems: list[Problem] = dataclasses.field(default_factory=list)
    #: What ocdskit said while upgrading OCDS 1.0 data (kept, not skipped).
    notes: list[Problem] = dataclasses.field(default_factory=list)

    def write_csv(self, path: Path) -> None:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "line", "reason"])
            for problem in self.problems:
                writer.writerow([problem.file, problem.line or "", problem.reason])


class _Found:
    """Releases and compiled releases found so far, by ocid, in a temporary SQLite database
    (on disk: memory does not grow with the data). The first of equal releases (same ocid, id
    and date), the first compiled release of an ocid and the first file an ocid came from are
    kept."""

    def __init__(self, directory: str) -> None:
        self.db = sqlite3.connect(str(Path(directory) / "releases.sqlite3"))
        self.db.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
            "CREATE TABLE releases (ocid TEXT NOT NULL, id TEXT NOT NULL, date TEXT NOT NULL,"
            " data TEXT NOT NULL, UNIQUE (ocid, id, date));"
            "CREATE TABLE compiled (ocid TEXT PRIMARY KEY, data TEXT NOT NULL);"
            "CREATE TABLE origins (ocid TEXT PRIMARY KEY, file TEXT NOT NULL);"
        )

    def add_release(self, ocid: str, release: dict[str, Any], file: str) -> None:
        key = (ocid, str(release.get("id")), str(release.get("date")))
        self.db.execute(
            "INSERT OR IGNORE INTO releases VALUES (?, ?, ?, ?)", (*key, _dumps(release))
        )
        self._origin(ocid, file)

    def add_compiled(self, ocid: str, release: dict[str, Any], file: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO compiled VALUES (?, ?)", (ocid, _dumps(release)))
        self._origin(ocid, file)

    def _origin(self, ocid: str, file: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO origins VALUES (?, ?)", (ocid, file))

    def count(self) -> int:
        """The number of ocids found."""
        row = self.db.execute(
            "SELECT count(*) FROM (SELECT ocid FROM releases UNION SELECT ocid FROM compiled)"
        ).fetchone()
        return int(row[0])

    def ocids(self) -> Iterator[str]:
        # SQLite compares TEXT as UTF-8 bytes: the order of code points, as Python's sort.
        cursor = self.db.execute(
            "SELECT ocid FROM releases UNION SELECT ocid FROM compiled ORDER BY ocid"
        )
        for (ocid,) in cursor:
            yield ocid

    def releases(self, ocid: str) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT data FROM releases WHERE ocid = ? ORDER BY rowid", (ocid,)
        ).fetchall()
        return [_loads(data) for (data,) in rows]

    def compiled(self, ocid: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT data FROM compiled WHERE ocid = ?", (ocid,)).fetchone()
        return None if row is None else _loads(row[0])

    def origin(self, ocid: str) -> str:
        row = self.db.execute("SELECT file FROM origins WHERE ocid = ?", (ocid,)).fetchone()
        return "?" if row is None else str(row[0])

    def close(self) -> None:
        self.db.close()


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _loads(text: str | bytes) -> Any:
    return json.loads(text, object_pairs_hook=OrderedDict)


class _Items:
    """The ``releases`` or ``records`` of a package file, streamed from the file with ijson
    each time they are iterated (never all in memory)."""

    def __init__(
        self, path: Path, key: str, count: int, has_parties: bool, meter: Meter | None
    ) -> None:
        self.path = path
        self.key = key
        self.count = count
        self.meter = meter
        #: Whether any item has ``parties`` (how ocdskit tells OCDS 1.1 from 1.0).
        self.has_parties = has_parties

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Any]:
        with _open_binary(self.path, self.meter) as handle:
            yield from ijson.items(handle, f"{self.key}.item", map_type=OrderedDict, use_float=True)


def _is_list(value: Any) -> bool:
    return isinstance(value, list | _Items)


def find_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files to read: given files, and the OCDS-looking files under given directories."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.name.endswith(SUFFIXES):
                    yield child
        else:
            yield path


def _open_binary(path: Path, meter: Meter | None = None) -> IO[bytes]:
    """The file, decompressed if it is gzip; the bytes read are counted in ``meter``."""
    return metered(path, meter if meter is not None else Meter())


class _Counting:
    """A binary stream that counts the line breaks it has handed out (for error messages)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.lines = 1

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.lines += data.count(b"\n")
        return data


def _first_line(path: Path) -> tuple[int, bytes | None, bool]:
    """The number and text of the first non-blank line (None if there is none, or if it is
    longer than ``FIRST_LINE_LIMIT``), and whether anything but blanks follows it."""
    with _open_binary(path) as handle:
        number = 0
        while True:
            line = handle.readline(FIRST_LINE_LIMIT)
            number += 1
            if not line:
                return number, None, False
            if line.strip():
                break
        if len(line) >= FIRST_LINE_LIMIT and not line.endswith(b"\n"):
            return number, None, True
        for rest in handle:
            if rest.strip():
                return number, line, True
        return number, line, False


def _documents(
    path: Path, problems: list[Problem], meter: Meter | None = None
) -> Iterator[tuple[int | None, Any]]:
    """The JSON documents of a file: each line of a JSON-lines file, or the whole file (a
    package's items are streamed from the file, see :class:`_Items`)."""
    file = str(path)
    try:
        number, first, more = _first_line(path)
    except OSError as error:
        problems.append(Problem(file, None, f"cannot be read ({error})"))
        return
    if first is None and not more:
        problems.append(Problem(file, None, "the file is empty"))
        return
    if first is not None:
        try:
            document = _loads(first)
        except (json.JSONDecodeError, UnicodeDecodeError):
            document = None
        if document is not None and more:
            # Several documents: JSON lines (one document per line).
            yield from _lines(path, problems, meter)
            return
        if document is not None:
            yield None, document
            return
    try:
        document = _stream(path, meter)
    except _MultipleValues:
        yield from _lines(path, problems, meter)
        return
    except (ijson.JSONError, UnicodeDecodeError) as error:
        problems.append(_json_problem(path, error))
        return
    except OSError as error:
        problems.append(Problem(file, None, f"cannot be read ({error})"))
        return
    yield None, document


def _lines(
    path: Path, problems: list[Problem], meter: Meter | None = None
) -> Iterator[tuple[int, Any]]:
    with _open_binary(path, meter) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, _loads(line.decode("utf-8"))
            except UnicodeDecodeError as error:
                problems.append(Problem(str(path), number, f"not UTF-8 ({error.reason})"))
            except json.JSONDecodeError as error:
                problems.append(Problem(str(path), number, f"invalid JSON ({error.msg})"))


class _MultipleValues(Exception):
    """The file holds more than one JSON value: it is JSON lines."""


def _stream(path: Path, meter: Meter | None = None) -> Any:
    """A JSON file as a document whose ``releases`` or ``records`` (a package's, which can be
    large) are :class:`_Items`, streamed from the file when iterated; everything else is read
    here, in one pass over ijson's events that keeps only the small top-level values."""
    head: OrderedDict[str, Any] = OrderedDict()
    items: dict[str, list[Any]] = {}  # key -> [count, has_parties]
    builder: Any = None
    key = ""
    depth = 0
    started = whole = in_items = False
    with _open_binary(path, meter) as handle:
        counting = _Counting(handle)
        events = ijson.parse(counting, multiple_values=True, use_float=True)
        try:
            for _, event, value in events:
                opens = event in ("start_map", "start_array")
                closes = event in ("end_map", "end_array")
                if depth == 0:
                    if started:
                        raise _MultipleValues
                    started = True
                    if event != "start_map":
                        # Not an object: built whole (it is then reported as not OCDS).
                        whole = True
                        builder = ijson.ObjectBuilder(map_type=OrderedDict)
                        builder.event(event, value)
                    depth = 1 if opens else 0
                    continue
                if whole:
                    builder.event(event, value)
                elif depth == 1:
                    if event == "map_key":
                        key = value
                        head[key] = None
                    elif key in ("releases", "records") and event == "start_array":
                        items[key] = [0, False]
                        in_items = True
                    elif not closes:
                        builder = ijson.ObjectBuilder(map_type=OrderedDict)
                        builder.event(event, value)
                        if not opens:
                            head[key] = builder.value
                elif in_items:
                    # A package's items are only counted here; they are read when iterated.
                    if depth == 2 and not closes:
                        items[key][0] += 1
                    elif depth == 3 and event == "map_key" and value == "parties":
                        items[key][1] = True
                else:
                    builder.event(event, value)
                depth += 1 if opens else -1 if closes else 0
                if depth == 1 and closes and not whole:
                    if in_items:
                        in_items = False
                    else:
                        head[key] = builder.value
        except ijson.IncompleteJSONError as error:
            error.line = counting.lines
            raise
    if whole:
        return builder.value
    for name, (count, has_parties) in items.items():
        head[name] = _Items(path, name, count, has_parties, meter)
    return head


def _json_problem(path: Path, error: Exception) -> Problem:
    """An invalid JSON file: the exact line and Python's message when the file is small
    enough to parse again, else ijson's message at the line it had reached."""
    if path.stat().st_size <= EXACT_ERROR_LIMIT:
        try:
            with _open_binary(path) as handle:
                json.loads(handle.read().decode("utf-8"))
        except UnicodeDecodeError as decode:
            return Problem(str(path), None, f"not UTF-8 ({decode.reason})")
        except json.JSONDecodeError as exact:
            return Problem(str(path), exact.lineno, f"invalid JSON ({exact.msg})")
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return Problem(str(path), getattr(error, "line", None), f"invalid JSON ({reason})")


def _minor_version(data: dict[str, Any], *, package: bool) -> str:
    version = data.get("version")
    if isinstance(version, str) and version.count(".") >= 1:
        # "1.0.1" and similar patch versions count as their minor version.
        return ".".join(version.split(".")[:2])
    if package:
        return "1.0"  # A package without a version is OCDS 1.0 by definition.
    # A loose release or record: ocdskit's rule (1.1 introduced parties).
    listed = data.get("releases")
    if isinstance(listed, _Items):
        has_parties = listed.has_parties
    else:
        releases: list[Any] = listed if isinstance(listed, list) else [data]
        has_parties = any(isinstance(r, dict) and "parties" in r for r in releases)
    return "1.1" if has_parties or "compiledRelease" in data else "1.0"


#: What ocdskit and ocdsmerge raise on data that does not follow the schema's shapes (they
#: expect objects and lists where the schema has them).
_SHAPE_ERRORS = (AttributeError, IndexError, KeyError, TypeError, ValueError)


class _Unusable(Exception):
    """A release or record that cannot be used; the message says why."""


def _upgraded(item: Any, version: str, *, record: bool) -> Any:
    """A release or record upgraded from OCDS 1.0 to 1.1 by ocdskit (one at a time, so that a
    package is never held whole); :class:`_Unusable` if ocdskit cannot upgrade it."""
    if version != "1.0" or not isinstance(item, dict):
        return item
    try:
        if record:
            upgrade_record_10_11(item)
        else:
            upgrade_release_10_11(item)
    except _SHAPE_ERRORS as error:
        raise _Unusable(f"cannot be upgraded from OCDS 1.0 ({error})") from error
    return item


def _add_release(
    found: _Found, release: Any, origin: str, line: int | None, problems: list[Problem], file: str
) -> bool:
    if not isinstance(release, dict):
        problems.append(Problem(file, line, f"{origin}: not a JSON object"))
        return False
    ocid = release.get("ocid")
    if not isinstance(ocid, str) or not ocid:
        problems.append(Problem(file, line, f"{origin}: a release without an ocid"))
        return False
    # A release whose only content is a link cannot be merged (its data is elsewhere).
    if "url" in release and len(release) <= 3 and "tag" not in release:
        return False
    tag = release.get("tag")
    if isinstance(tag, list) and "compiled" in tag:
        found.add_compiled(ocid, release, file)
        return True
    found.add_release(ocid, release, file)
    return True


def _add_record(
    found: _Found, record: Any, origin: str, line: int | None, problems: list[Problem], file: str
) -> bool:
    if not isinstance(record, dict):
        problems.append(Problem(file, line, f"{origin}: not a JSON object"))
        return False
    used = False
    releases = record.get("releases")
    for index, release in enumerate(releases if isinstance(releases, list) else []):
        if (
            isinstance(release, dict)
            and "ocid" not in release
            and isinstance(record.get("ocid"), str)
        ):
            release["ocid"] = record["ocid"]
        if isinstance(release, dict) and "url" in release and "ocid" not in release:
            continue  # A linked release.
        used |= _add_release(found, release, f"{origin}.releases[{index}]", line, problems, file)
    compiled = record.get("compiledRelease")
    if isinstance(compiled, dict):
        ocid = compiled.get("ocid") or record.get("ocid")
        if isinstance(ocid, str) and ocid:
            found.add_compiled(ocid, compiled, file)
            used = True
    if not used:
        problems.append(Problem(file, line, f"{origin}: a record with no usable release"))
    return used


def _add_document(
    found: _Found, data: Any, line: int | None, problems: list[Problem], file: str
) -> bool:
    if not isinstance(data, dict):
        problems.append(
            Problem(file, line, "not an OCDS package, record or release (not an object)")
        )
        return False
    if _is_list(data.get("records")):
        version = _minor_version(data, package=True)
        used = False
        for index, record in enumerate(data["records"]):
            try:
                record = _upgraded(record, version, record=True)
            except _Unusable as error:
                problems.append(Problem(file, line, f"records[{index}]: {error}"))
                continue
            used |= _add_record(found, record, f"records[{index}]", line, problems, file)
        return used
    if "compiledRelease" in data or (_is_list(data.get("releases")) and "ocid" in data):
        # A single record: its releases are few, and read into memory.
        if isinstance(data.get("releases"), _Items):
            data["releases"] = list(data["releases"])
        try:
            data = _upgraded(data, _minor_version(data, package=False), record=True)
        except _Unusable as error:
            problems.append(Problem(file, line, f"record: {error}"))
            return False
        return _add_record(found, data, "record", line, problems, file)
    if _is_list(data.get("releases")):
        version = _minor_version(data, package=True)
        used = False
        for index, release in enumerate(data["releases"]):
            try:
                release = _upgraded(release, version, record=False)
            except _Unusable as error:
                problems.append(Problem(file, line, f"releases[{index}]: {error}"))
                continue
            used |= _add_release(found, release, f"releases[{index}]", line, problems, file)
        if not len(data["releases"]):
            problems.append(Problem(file, line, "a release package with no releases"))
        return used
    if "ocid" in data:
        try:
            data = _upgraded(data, _minor_version(data, package=False), record=False)
        except _Unusable as error:
            problems.append(Problem(file, line, f"release: {error}"))
            return False
        data.pop("version", None)  # Not a release field; some publishers add it.
        return _add_release(found, data, "release", line, problems, file)
    problems.append(Problem(file, line, "not an OCDS package, record or release"))
    return False


def _merge(
    found: _Found, problems: list[Problem], doing: _Doing
) -> Iterator[tuple[dict[str, Any], bool]]:
    merger = ocdsmerge.Merger(schema=str(SCHEMA))
    for ocid in found.ocids():
        doing.merged += 1
        releases = found.releases(ocid)
        if releases:
            try:
                with warnings.catch_warnings():
                    # Duplicate ids inside arrays are common in published data; ocdsmerge
                    # keeps the last one, which is what we want.
                    warnings.simplefilter("ignore", OCDSMergeWarning)
                    yield merger.create_compiled_release(releases), True
                continue
            except OCDSMergeError as error:
                problems.append(
                    Problem(found.origin(ocid), None, f"{ocid}: cannot merge ({error})")
                )
            except _SHAPE_ERRORS as error:
                problems.append(
                    Problem(found.origin(ocid), None, f"{ocid}: cannot merge ({error!r})")
                )
        compiled = found.compiled(ocid)
        if compiled is not None:
            yield compiled, False


class _Notes(logging.Handler):
    """Collects ocdskit's warnings (e.g. about merging 1.0 organisations) for the report."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(logging.INFO)
        self.report = report
        self.file = ""
        self.line: int | None = None

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().splitlines()[0]
        self.report.notes.append(Problem(self.file, self.line, f"upgrade: {message}"))


def import_paths(
    paths: Iterable[Path], output: Path | TextIO, progress: Progress | None = None
) -> ImportReport:
    """Read every OCDS file under ``paths`` and write compiled releases as JSON lines
    (``progress`` shows the file being read and how far, then the processes merged)."""
    watcher = progress or Progress(None)
    with tempfile.TemporaryDirectory(prefix="redflags-import-") as directory:
        found = _Found(directory)
        try:
            return _import(paths, output, found, watcher)
        finally:
            watcher.stop()
            found.close()


class _Doing:
    """What the import is doing, for its progress line (read from another thread)."""

    def __init__(self, files: int) -> None:
        self.files = files
        self.file = 0
        self.meter = Meter()
        self.merged = 0
        self.ocids: int | None = None

    def text(self) -> str:
        if self.ocids is not None:
            return f"merging {self.merged:,} of {self.ocids:,} processes"
        reading = f"reading file {self.file:,} of {self.files:,}"
        read = self.meter.text() if self.meter.done else None
        return f"{reading}, {read.strip()}" if read else reading


def _import(
    paths: Iterable[Path], output: Path | TextIO, found: _Found, progress: Progress
) -> ImportReport:
    report = ImportReport()
    files = list(find_files(paths))
    doing = _Doing(len(files))
    progress.follow(doing.text)
    notes = _Notes(report)
    ocdskit_logger = logging.getLogger("ocdskit")
    ocdskit_logger.addHandler(notes)
    propagate, ocdskit_logger.propagate = ocdskit_logger.propagate, False
    try:
        for path in files:
            doing.file += 1
            doing.meter.start(None)
            report.files += 1
            file = str(path)
            used = False
            notes.file = file
            for line, data in _documents(path, report.problems, doing.meter):
                notes.line = line
                used |= _add_document(found, data, line, report.problems, file)
            report.files_used += used
    finally:
        ocdskit_logger.removeHandler(notes)
        ocdskit_logger.propagate = propagate
    doing.ocids = found.count()
    handle: TextIO
    if isinstance(output, Path):
        handle = output.open("w", encoding="utf-8")
    else:
        handle = output
    try:
        for compiled, merged in _merge(found, report.problems, doing):
            handle.write(_dumps(compiled))
            handle.write("\n")
            report.releases += 1
            report.merged += merged
    finally:
        if isinstance(output, Path):
            handle.close()
    return report
