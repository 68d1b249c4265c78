"""The daily sweep of evidence files no live row needs (``sweep.py``), as a background task
that re-enqueues itself, like the retention purge (``sujarit sweep-evidence --schedule``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django_tasks import task
from django_tasks_db.models import DBTaskResult

from sujarit.cases.tasks import schedule_once
from sujarit.evidence.sweep import sweep

#: How long the recurring sweep waits between runs.
SWEEP_INTERVAL = timedelta(days=1)


def schedule_sweep(
    *, delay: timedelta = timedelta(0), now: datetime | None = None
) -> DBTaskResult[[], dict[str, int]] | None:
    """Enqueue ``sweep_evidence_files`` after ``delay`` unless a run is already waiting."""
    return schedule_once(sweep_evidence_files, delay, now)


@task()
def sweep_evidence_files() -> dict[str, int]:
    """Delete leftover and orphaned evidence files, then schedule the next run a day later
    (also after a failure: a storage that is down today must not end the sweeps)."""
    try:
        report = sweep(delete=True)
    finally:
        schedule_sweep(delay=SWEEP_INTERVAL)
    return report.as_dict()
