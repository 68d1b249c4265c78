"""Agency response figures: how fast each agency acknowledges and resolves what it is sent,
how often it is late, and how often its "resolved" does not hold.

For the referrals *sent* in a date range (by the day they were sent, in the site's time zone):

- ``referrals``: how many;
- ``median_days_to_acknowledge``: median of (acknowledged − sent) in days, over the referrals
  acknowledged (resolving a referral that was never acknowledged counts as acknowledging it);
- ``median_days_to_resolve``: median of (resolved − sent) in days, over the referrals resolved;
- ``share_overdue``: referrals answered late (acknowledged, or declined, after the due date) or
  still unacknowledged past the due date, over all referrals;
- ``share_disputed``: resolved referrals whose case the complainant then disputed (a
  ``Dispute`` dated at or after the referral's resolution), over the referrals resolved.

Counts are computed in the database (one grouped query); medians in Python over the
per-referral durations fetched as a few columns, which is portable between SQLite and
PostgreSQL. The province row covers every referral in the range.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from sujarit.agencies.models import Agency
from sujarit.cases.models import Dispute, Referral, ReferralStatus

SECONDS_PER_DAY = 86_400
#: The range shown when none is asked for: the last 365 days, today included.
DEFAULT_RANGE_DAYS = 365


@dataclass(frozen=True)
class ResponseFigures:
    """One row: an agency's figures, or the province's (``agency`` is ``None``)."""

    agency: Agency | None
    referrals: int
    acknowledged: int
    resolved: int
    overdue: int
    disputed: int
    median_days_to_acknowledge: float | None
    median_days_to_resolve: float | None

    @property
    def share_overdue(self) -> float | None:
        return self.overdue / self.referrals if self.referrals else None

    @property
    def share_disputed(self) -> float | None:
        return self.disputed / self.resolved if self.resolved else None

    @property
    def percent_overdue(self) -> float | None:
        share = self.share_overdue
        return round(share * 100, 1) if share is not None else None

    @property
    def percent_disputed(self) -> float | None:
        share = self.share_disputed
        return round(share * 100, 1) if share is not None else None


@dataclass(frozen=True)
class FiguresReport:
    since: date
    until: date
    agencies: list[ResponseFigures]
    province: ResponseFigures


def default_range(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return today - timedelta(days=DEFAULT_RANGE_DAYS - 1), today


def _bounds(since: date, until: date) -> tuple[datetime, datetime]:
    """The instants from the start of ``since`` to the end of ``until``, in local time."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(since, time.min, tzinfo=zone)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def referrals_sent(since: date, until: date) -> QuerySet[Referral]:
    start, end = _bounds(since, until)
    return Referral.objects.filter(referred_at__gte=start, referred_at__lt=end)


def _late(now: datetime) -> Q:
    """The referrals answered late or still unanswered past due (see ``sla.answered_late``)."""
    return (
        Q(acknowledged_at__isnull=False, acknowledged_at__gt=F("due_at"))
        | Q(acknowledged_at__isnull=True, declined_at__isnull=False, declined_at__gt=F("due_at"))
        | Q(status=ReferralStatus.SENT, due_at__lt=now)
    )


def _median_days(durations: list[float]) -> float | None:
    return statistics.median(durations) if durations else None


def _days(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / SECONDS_PER_DAY


def agency_response_figures(
    *, since: date, until: date, agency_id: int | None = None, now: datetime | None = None
) -> FiguresReport:
    """The figures of every agency with referrals sent from ``since`` to ``until`` (both
    included), or of the one agency ``agency_id`` (listed even without referrals), and the
    province totals. ``now`` decides which unacknowledged referrals are already late."""
    now = now or timezone.now()
    referrals = referrals_sent(since, until)
    disputed_after = Dispute.objects.filter(case=OuterRef("case"), at__gte=OuterRef("resolved_at"))
    counts = (
        referrals.alias(was_disputed=Exists(disputed_after))
        .values("agency_id")
        .annotate(
            total=Count("pk"),
            acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
            resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
            overdue=Count("pk", filter=_late(now)),
            disputed=Count("pk", filter=Q(resolved_at__isnull=False, was_disputed=True)),
        )
        .order_by("agency_id")
    )
    by_agency: dict[int, dict[str, Any]] = {row["agency_id"]: dict(row) for row in counts}

    to_acknowledge: dict[int, list[float]] = defaultdict(list)
    to_resolve: dict[int, list[float]] = defaultdict(list)
    durations = referrals.filter(
        Q(acknowledged_at__isnull=False) | Q(resolved_at__isnull=False)
    ).values_list("agency_id", "referred_at", "acknowledged_at", "resolved_at")
    for agency, referred_at, acknowledged_at, resolved_at in durations.iterator():
        if acknowledged_at is not None:
            to_acknowledge[agency].append(_days(acknowledged_at, referred_at))
        if resolved_at is not None:
            to_resolve[agency].append(_days(resolved_at, referred_at))

    shown = [agency_id] if agency_id is not None else list(by_agency)
    rows = [
        _row(agency, by_agency.get(agency.pk), to_acknowledge[agency.pk], to_resolve[agency.pk])
        for agency in Agency.objects.filter(pk__in=shown).order_by("name_th", "pk")
    ]
    province = ResponseFigures(
        agency=None,
        referrals=sum(r["total"] for r in by_agency.values()),
        acknowledged=sum(r["acknowledged"] for r in by_agency.values()),
        resolved=sum(r["resolved"] for r in by_agency.values()),
        overdue=sum(r["overdue"] for r in by_agency.values()),
        disputed=sum(r["disputed"] for r in by_agency.values()),
        median_days_to_acknowledge=_median_days(
            [d for values in to_acknowledge.values() for d in values]
        ),
        median_days_to_resolve=_median_days([d for values in to_resolve.values() for d in values]),
    )
    return FiguresReport(since=since, until=until, agencies=rows, province=province)


def _row(
    agency: Agency,
    counts: dict[str, Any] | None,
    to_acknowledge: list[float],
    to_resolve: list[float],
) -> ResponseFigures:
    counts = counts or {}
    return ResponseFigures(
        agency=agency,
        referrals=counts.get("total", 0),
        acknowledged=counts.get("acknowledged", 0),
        resolved=counts.get("resolved", 0),
        overdue=counts.get("overdue", 0),
        disputed=counts.get("disputed", 0),
        median_days_to_acknowledge=_median_days(to_acknowledge),
        median_days_to_resolve=_median_days(to_resolve),
    )
