"""How long a complainant's personal data is kept (Thailand's PDPA: no longer than needed).

Once a case has reached a status in which the centre's work is done, the clock starts (from
``Case.status_changed_at``, the moment it entered that status). When the retention period of
its kind of report and status has passed, ``sujarit purge-personal-data`` (a daily task)
purges its personal data (``sujarit.cases.actions.retention.purge_personal_data``) and keeps
the anonymised case, its timeline and its statistics.

Periods come from the ``RetentionPolicy`` rows administrators edit (a row for one kind of
report wins over a row for every kind) and otherwise from ``DEFAULT_RETENTION_DAYS``. A case
handled by a community network is not a separate rule: it ends resolved and then closed like
any other case, and those periods apply. A case reopened before its period ends starts again
from its next final status.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from sujarit.cases.models import Case, CaseStatus, ReportKind, RetentionPolicy

#: Statuses after which personal data may be purged; the others are work in progress.
RETAINED_STATUSES: tuple[str, ...] = (CaseStatus.REJECTED, CaseStatus.RESOLVED, CaseStatus.CLOSED)

#: Days kept after entering each status when no ``RetentionPolicy`` row says otherwise: a
#: rejected report's identity is kept a year (time for the complainant to object or bring new
#: facts); a resolved or closed case's five years (the time within which it is most often
#: reopened, audited or cited in a related case).
DEFAULT_RETENTION_DAYS: dict[str, int] = {
    CaseStatus.REJECTED: 365,
    CaseStatus.RESOLVED: 5 * 365,
    CaseStatus.CLOSED: 5 * 365,
}


def retention_table() -> dict[tuple[str, str], int]:
    """Days kept for every (kind of report, status) pair that is ever purged."""
    rows = {(row.kind, row.status): row.days for row in RetentionPolicy.objects.all()}
    table: dict[tuple[str, str], int] = {}
    for kind in ReportKind.values:
        for status in RETAINED_STATUSES:
            days = rows.get((kind, status), rows.get(("", status)))
            table[(kind, status)] = days if days is not None else DEFAULT_RETENTION_DAYS[status]
    return table


def cases_due_for_purge(now: datetime) -> QuerySet[Case]:
    """Cases whose retention period has passed and whose personal data is still kept."""
    due = Q()
    for (kind, status), days in retention_table().items():
        due |= Q(kind=kind, status=status, status_changed_at__lte=now - timedelta(days=days))
    return Case.objects.filter(due, personal_data_purged_at__isnull=True).order_by("pk")
