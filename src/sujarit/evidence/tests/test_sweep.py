"""The sweep deletes evidence files that a failed purge left behind and files without a row,
and never a file a live row needs or an upload that may still be under way."""

from __future__ import annotations

import os
import time
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone, translation

import pytest

from sujarit.audit.models import AuditEvent
from sujarit.evidence import tasks
from sujarit.evidence.models import EvidenceFile
from sujarit.evidence.storage import write_sealed
from sujarit.evidence.sweep import sweep
from sujarit.evidence.tests.conftest import stored_files

pytestmark = pytest.mark.django_db

TWO_DAYS = 2 * 24 * 3600


def _orphan(evidence_dir: Path, *, age_seconds: float) -> Path:
    """A sealed file with no row, as a crash between writing it and committing leaves it."""
    name, _key = write_sealed(b"%PDF-1.4 leftover", context="evidence:crashed-upload")
    path = evidence_dir / name
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


def _purge_failed_to_delete(row: EvidenceFile) -> None:
    """The row was purged, but deleting its file after the commit failed."""
    EvidenceFile.objects.filter(pk=row.pk).update(purged_at=timezone.now())


def test_sweep_deletes_leftovers_and_old_orphans_and_keeps_the_rest(
    case_with_evidence, evidence_dir
):
    _case, live = case_with_evidence()
    _other, purged = case_with_evidence()
    _purge_failed_to_delete(purged)
    old_orphan = _orphan(evidence_dir, age_seconds=TWO_DAYS)
    new_orphan = _orphan(evidence_dir, age_seconds=60)

    report = sweep(delete=True)

    assert report.as_dict() == {
        "examined": 4,
        "kept": 1,
        "purged_leftovers": 1,
        "orphans": 1,
        "recent": 1,
        "deleted": 2,
    }
    remaining = set(stored_files(evidence_dir))
    assert remaining == {evidence_dir / live.storage_name, new_orphan}
    assert old_orphan not in remaining
    # The purged row stays (the case's history counts it); only its file went.
    assert EvidenceFile.objects.filter(pk=purged.pk).exists()
    event = AuditEvent.objects.get(action="evidence.swept")
    assert event.data["deleted"] == 2


def test_a_dry_run_deletes_nothing_and_records_nothing(case_with_evidence, evidence_dir):
    _case, purged = case_with_evidence()
    _purge_failed_to_delete(purged)
    _orphan(evidence_dir, age_seconds=TWO_DAYS)
    before = stored_files(evidence_dir)

    report = sweep(delete=False)

    assert (report.purged_leftovers, report.orphans, report.deleted) == (1, 1, 0)
    assert stored_files(evidence_dir) == before
    assert not AuditEvent.objects.filter(action="evidence.swept").exists()


def test_an_empty_storage_is_swept_without_error(evidence_dir):
    assert sweep(delete=True).examined == 0


def test_the_command_reports_counts_and_deletes_only_when_asked(case_with_evidence, evidence_dir):
    translation.activate("en")
    _case, purged = case_with_evidence()
    _purge_failed_to_delete(purged)
    out = StringIO()

    call_command("sweep-evidence", stdout=out)
    assert "1 of purged cases" in out.getvalue()
    assert "run again with --delete" in out.getvalue()
    assert len(stored_files(evidence_dir)) == 1

    out = StringIO()
    call_command("sweep-evidence", "--delete", "--min-age-hours", "0", stdout=out)
    assert "Deleted: 1." in out.getvalue()
    assert stored_files(evidence_dir) == []


def test_the_daily_task_is_scheduled_once_and_schedules_its_next_run(evidence_dir):
    from django_tasks_db.models import DBTaskResult

    assert tasks.schedule_sweep() is not None
    assert tasks.schedule_sweep() is None
    waiting = DBTaskResult.objects.filter(task_path=tasks.sweep_evidence_files.module_path)
    assert waiting.count() == 1

    waiting.delete()
    result = tasks.sweep_evidence_files.call()

    assert result["examined"] == 0
    assert waiting.count() == 1
