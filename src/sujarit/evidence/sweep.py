"""Stored evidence files that no live row needs any more, found and deleted.

Storage writes are not part of a transaction (``storage.py``), so a file can outlive its
reason to exist:

* **leftovers of purges**: a purge marks the rows purged and deletes their files after the
  commit; if that deletion failed (storage down, process killed), the sealed file stays,
  although the retention policy says it must go. These are deleted whatever their age.
* **orphans**: a file with no row at all, left by a crash between writing the file and
  committing its row, or by a key rotation that crashed after writing the re-sealed copy.
  A file being uploaded right now also has no row yet, so orphans are deleted only once they
  are older than ``min_age``.

Files are examined one storage folder at a time (``evidence/<2 hex digits>/``), with the rows
of that folder only, so memory does not grow with the number of files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from django.core.files.storage import Storage
from django.utils import timezone

from sujarit.audit.actions import record
from sujarit.evidence.models import EvidenceFile
from sujarit.evidence.storage import FOLDER, delete_stored, evidence_storage

#: An orphan younger than this may belong to an upload still in progress.
DEFAULT_MIN_AGE = timedelta(hours=24)


@dataclasses.dataclass
class SweepReport:
    #: Files looked at.
    examined: int = 0
    #: Files of live (not purged) rows: kept.
    kept: int = 0
    #: Files of purged rows, still stored.
    purged_leftovers: int = 0
    #: Files without any row, older than the minimum age.
    orphans: int = 0
    #: Files without any row, too recent to judge: kept for now.
    recent: int = 0
    #: Files deleted (0 in a dry run).
    deleted: int = 0

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


def _folders(storage: Storage) -> Iterator[str]:
    try:
        folders, _files = storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    yield from sorted(f"{FOLDER}/{folder}" for folder in folders)


def sweep(
    *,
    delete: bool,
    min_age: timedelta = DEFAULT_MIN_AGE,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SweepReport:
    """Find (and with ``delete``, delete) the stored files no live row needs."""
    now = now or timezone.now()
    storage = evidence_storage()
    report = SweepReport()
    folders = list(_folders(storage))
    for done, folder in enumerate(folders, start=1):
        _subfolders, files = storage.listdir(folder)
        rows = dict(
            EvidenceFile.objects.filter(storage_name__startswith=folder + "/").values_list(
                "storage_name", "purged_at"
            )
        )
        for file_name in sorted(files):
            name = f"{folder}/{file_name}"
            report.examined += 1
            if name in rows and rows[name] is None:
                report.kept += 1
                continue
            if name in rows:
                report.purged_leftovers += 1
            elif now - storage.get_modified_time(name) >= min_age:
                report.orphans += 1
            else:
                report.recent += 1
                continue
            if delete:
                delete_stored(name)
                report.deleted += 1
        if progress is not None:
            progress(done, len(folders))
    if report.deleted:
        # Counts only: the storage names say nothing, but there is nothing more to tell.
        record(actor=None, action="evidence.swept", data=report.as_dict())
    return report
