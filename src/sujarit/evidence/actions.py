"""Writes of evidence files: adding them (at intake, in follow-up, by staff) and purging them.

A file is sealed and written to the storage first, then its row is inserted; if the
transaction fails, the files written for it are deleted again (``written_files``), so a
refused report leaves nothing in the storage. Audit events name the case, the number of
files and their kinds: never a file name, content or anything the sender wrote.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from sujarit.accounts.models import User
from sujarit.audit.actions import record
from sujarit.cases.actions.intake import ReportInput, Submission, submit_report
from sujarit.cases.models import Case, CaseEvent
from sujarit.evidence.forms import PreparedFile
from sujarit.evidence.models import EvidenceFile, Source
from sujarit.evidence.queries import can_add_evidence
from sujarit.evidence.storage import delete_stored, write_sealed, written_files


def _store(
    case: Case,
    prepared: PreparedFile,
    *,
    source: str,
    by: User | None,
    now: datetime,
    written: list[str],
) -> EvidenceFile:
    row = EvidenceFile(
        case=case,
        uuid=uuid.uuid4(),
        source=source,
        added_by=by if source == Source.STAFF else None,
        kind=prepared.kind.code,
        content_type=prepared.kind.content_type,
        size=len(prepared.data),
        created_at=now,
    )
    name, key_name = write_sealed(prepared.data, context=row.context)
    written.append(name)
    row.storage_name = name
    row.key_name = key_name
    row.save()
    return row


def _add(
    case: Case,
    files: Sequence[PreparedFile],
    *,
    source: str,
    by: User | None,
    now: datetime,
    written: list[str],
) -> list[EvidenceFile]:
    rows = [
        _store(case, prepared, source=source, by=by, now=now, written=written) for prepared in files
    ]
    record(
        actor=by,
        action="evidence.added",
        target=case,
        data={
            "source": source,
            "files": [row.pk for row in rows],
            "kinds": [row.kind for row in rows],
        },
    )
    return rows


def add_citizen_evidence(
    *, case: Case, files: Sequence[PreparedFile], now: datetime | None = None
) -> list[EvidenceFile]:
    """The complainant adds files from the follow-up page or the API: stored, and a step
    "you added information" on the timeline so that the centre sees when they came."""
    if not files:
        return []
    now = now or timezone.now()
    with written_files() as written, transaction.atomic():
        rows = _add(case, files, source=Source.CITIZEN, by=None, now=now, written=written)
        CaseEvent.objects.create(case=case, at=now, kind=CaseEvent.Kind.INFORMATION, public=True)
    return rows


def add_staff_evidence(
    *, case: Case, files: Sequence[PreparedFile], by: User, now: datetime | None = None
) -> list[EvidenceFile]:
    """A coordinator attaches files to a case (a letter received, a photo from a visit)."""
    if not can_add_evidence(by, case):
        raise PermissionDenied("Only coordinators attach files to a case.")
    if not files:
        return []
    now = now or timezone.now()
    with written_files() as written, transaction.atomic():
        return _add(case, files, source=Source.STAFF, by=by, now=now, written=written)


def submit_report_with_evidence(
    *, report: ReportInput, files: Sequence[PreparedFile], by: User | None = None
) -> Submission:
    """A report and its files, in one transaction: both are stored or neither is. A repeat
    of a submission already stored (same idempotency key) stores no files again."""
    with written_files() as written, transaction.atomic():
        submission = submit_report(report=report, by=by)
        if submission.created and files:
            # Files sent with a report are the complainant's, even when a network member
            # types the report in from a visit (who is named in the report's audit event).
            _add(
                submission.case,
                files,
                source=Source.CITIZEN,
                by=by,
                now=submission.case.created_at,
                written=written,
            )
    return submission


def purge_case_evidence(sender: Any = None, *, case: Case, **kwargs: Any) -> int:
    """Receiver of ``personal_data_purge``: the case's files leave the storage, their rows
    stay (marked purged) so that the case's history still counts them. Files are deleted
    once the purge commits: a purge that fails deletes nothing. Returns how many files."""
    now = timezone.now()
    rows = list(EvidenceFile.objects.filter(case=case, purged_at__isnull=True))
    names = [row.storage_name for row in rows]
    EvidenceFile.objects.filter(pk__in=[row.pk for row in rows]).update(purged_at=now)

    def delete_files() -> None:
        for name in names:
            delete_stored(name)

    transaction.on_commit(delete_files)
    return len(rows)
