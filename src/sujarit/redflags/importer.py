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

All releases are held in memory until the end (they must be grouped by ocid); this suits files
of up to a few million releases. Output is sorted by ocid, so it does not depend on file order.
"""

from __future__ import annotations

import csv
import dataclasses
import gzip
import json
import logging
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TextIO

import ocdsmerge
from ocdskit.upgrade import upgrade_10_11
from ocdsmerge.exceptions import OCDSMergeError, OCDSMergeWarning

SCHEMA = Path(__file__).parent / "schema" / "release-schema.json"
SUFFIXES = (".json", ".jsonl", ".json.gz", ".jsonl.gz")


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


@dataclasses.dataclass
class _Found:
    """Releases and compiled releases found so far, by ocid."""

    releases: dict[str, list[dict[str, Any]]] = dataclasses.field(default_factory=dict)
    seen: set[tuple[str, str, str]] = dataclasses.field(default_factory=set)
    compiled: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    #: Where each ocid's data came from, for error messages.
    origins: dict[str, str] = dataclasses.field(default_factory=dict)


def find_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files to read: given files, and the OCDS-looking files under given directories."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.name.endswith(SUFFIXES):
                    yield child
        else:
            yield path


def _open_text(path: Path) -> IO[str]:
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def _documents(path: Path, problems: list[Problem]) -> Iterator[tuple[int | None, Any]]:
    """The JSON documents of a file: the whole file, or each line of a JSON-lines file."""
    try:
        with _open_text(path) as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(str(path), None, f"cannot be read ({error})"))
        return
    if not text.strip():
        problems.append(Problem(str(path), None, "the file is empty"))
        return
    try:
        yield None, json.loads(text, object_pairs_hook=OrderedDict)
        return
    except json.JSONDecodeError as error:
        if error.msg != "Extra data":
            problems.append(Problem(str(path), error.lineno, f"invalid JSON ({error.msg})"))
            return
    # Several documents: JSON lines (one document per line).
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line, object_pairs_hook=OrderedDict)
        except json.JSONDecodeError as error:
            problems.append(Problem(str(path), number, f"invalid JSON ({error.msg})"))


def _minor_version(data: dict[str, Any], *, package: bool) -> str:
    version = data.get("version")
    if isinstance(version, str) and version.count(".") >= 1:
        # "1.0.1" and similar patch versions count as their minor version.
        return ".".join(version.split(".")[:2])
    if package:
        return "1.0"  # A package without a version is OCDS 1.0 by definition.
    # A loose release or record: ocdskit's rule (1.1 introduced parties).
    listed = data.get("releases")
    releases: list[Any] = listed if isinstance(listed, list) else [data]
    has_parties = any(isinstance(r, dict) and "parties" in r for r in releases)
    return "1.1" if has_parties or "compiledRelease" in data else "1.0"


def _upgrade(data: dict[str, Any], version: str) -> dict[str, Any]:
    if version != "1.0":
        return data
    # ocdskit decides from the data's own version field; give it the one we determined.
    data["version"] = "1.0"
    upgraded: dict[str, Any] = upgrade_10_11(data)
    return upgraded


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
        found.compiled.setdefault(ocid, release)
        found.origins.setdefault(ocid, file)
        return True
    key = (ocid, str(release.get("id")), str(release.get("date")))
    if key not in found.seen:
        found.seen.add(key)
        found.releases.setdefault(ocid, []).append(release)
        found.origins.setdefault(ocid, file)
    return True


def _add_record(
    found: _Found, record: Any, origin: str, line: int | None, problems: list[Problem], file: str
) -> bool:
    if not isinstance(record, dict):
        problems.append(Problem(file, line, f"{origin}: not a JSON object"))
        return False
    used = False
    for index, release in enumerate(record.get("releases") or []):
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
            found.compiled.setdefault(ocid, compiled)
            found.origins.setdefault(ocid, file)
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
    if isinstance(data.get("records"), list):
        data = _upgrade(data, _minor_version(data, package=True))
        used = False
        for index, record in enumerate(data["records"]):
            used |= _add_record(found, record, f"records[{index}]", line, problems, file)
        return used
    if "compiledRelease" in data or (isinstance(data.get("releases"), list) and "ocid" in data):
        data = _upgrade(data, _minor_version(data, package=False))
        return _add_record(found, data, "record", line, problems, file)
    if isinstance(data.get("releases"), list):
        data = _upgrade(data, _minor_version(data, package=True))
        used = False
        for index, release in enumerate(data["releases"]):
            used |= _add_release(found, release, f"releases[{index}]", line, problems, file)
        if not data["releases"]:
            problems.append(Problem(file, line, "a release package with no releases"))
        return used
    if "ocid" in data:
        data = _upgrade(data, _minor_version(data, package=False))
        data.pop("version", None)  # Not a release field; some publishers add it.
        return _add_release(found, data, "release", line, problems, file)
    problems.append(Problem(file, line, "not an OCDS package, record or release"))
    return False


def _merge(found: _Found, problems: list[Problem]) -> Iterator[tuple[dict[str, Any], bool]]:
    merger = ocdsmerge.Merger(schema=str(SCHEMA))
    for ocid in sorted(set(found.releases) | set(found.compiled)):
        releases = found.releases.get(ocid)
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
                    Problem(found.origins.get(ocid, "?"), None, f"{ocid}: cannot merge ({error})")
                )
            except (TypeError, ValueError, KeyError) as error:
                problems.append(
                    Problem(found.origins.get(ocid, "?"), None, f"{ocid}: cannot merge ({error!r})")
                )
        if ocid in found.compiled:
            yield found.compiled[ocid], False


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


def import_paths(paths: Iterable[Path], output: Path | TextIO) -> ImportReport:
    """Read every OCDS file under ``paths`` and write compiled releases as JSON lines."""
    report = ImportReport()
    found = _Found()
    notes = _Notes(report)
    ocdskit_logger = logging.getLogger("ocdskit")
    ocdskit_logger.addHandler(notes)
    propagate, ocdskit_logger.propagate = ocdskit_logger.propagate, False
    try:
        for path in find_files(paths):
            report.files += 1
            file = str(path)
            used = False
            notes.file = file
            for line, data in _documents(path, report.problems):
                notes.line = line
                used |= _add_document(found, data, line, report.problems, file)
            report.files_used += used
    finally:
        ocdskit_logger.removeHandler(notes)
        ocdskit_logger.propagate = propagate
    handle: TextIO
    if isinstance(output, Path):
        handle = output.open("w", encoding="utf-8")
    else:
        handle = output
    try:
        for compiled, merged in _merge(found, report.problems):
            handle.write(json.dumps(compiled, ensure_ascii=False, separators=(",", ":")))
            handle.write("\n")
            report.releases += 1
            report.merged += merged
    finally:
        if isinstance(output, Path):
            handle.close()
    return report
