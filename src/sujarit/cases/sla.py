"""Service levels: when a case or a referral is due, whether it is late, and by how much.

A case's state has a service level in days (the ``ServiceLevel`` rows admins edit, or
``workflow.DEFAULT_SERVICE_DAYS``); ``workflow.move`` stores the resulting ``due_at`` on the
case when it enters the state. A referral is due to be acknowledged within the service level of
the *referred* state, counted from the day it was sent; its ``due_at`` is stored too.

Every function that depends on the time takes ``now``, so that tests and the reminder task say
what time it is instead of reading the clock.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from sujarit.cases.models import (
    FINAL_STATUSES,
    Case,
    CaseStatus,
    Referral,
    ReferralStatus,
    ServiceLevel,
)
from sujarit.cases.queries import overdue_cases, overdue_referrals
from sujarit.cases.workflow import DEFAULT_SERVICE_DAYS

DAY = timedelta(days=1)

#: Referral states in which the agency still owes an answer.
OPEN_REFERRAL_STATUSES = frozenset(
    {ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED, ReferralStatus.IN_PROGRESS}
)


def service_levels() -> dict[str, int]:
    """Days allowed in each state: the admins' table over the defaults, read in one query."""
    levels = dict(DEFAULT_SERVICE_DAYS)
    levels.update(ServiceLevel.objects.values_list("status", "days"))
    return levels


def case_due_at(
    status: str, since: datetime, *, levels: dict[str, int] | None = None
) -> datetime | None:
    """When a case that entered ``status`` at ``since`` is due; ``None`` for a state without
    a service level (rejected, resolved, closed)."""
    days = (levels if levels is not None else service_levels()).get(status)
    return since + timedelta(days=days) if days is not None else None


def referral_due_at(
    referred_at: datetime, *, levels: dict[str, int] | None = None
) -> datetime | None:
    """When an agency must have acknowledged a referral sent at ``referred_at``."""
    return case_due_at(CaseStatus.REFERRED, referred_at, levels=levels)


def days_overdue(due_at: datetime | None, *, now: datetime) -> int:
    """Days past due, counting a started day as a day (due yesterday evening is one day
    late this morning); 0 when not due yet or without a due date."""
    if due_at is None or now <= due_at:
        return 0
    return math.ceil((now - due_at) / DAY)


def is_case_overdue(case: Case, *, now: datetime) -> bool:
    return case.status not in FINAL_STATUSES and case.due_at is not None and case.due_at < now


def is_acknowledgement_overdue(referral: Referral, *, now: datetime) -> bool:
    """Sent, not acknowledged, and past the acknowledgement's due date."""
    return (
        referral.status == ReferralStatus.SENT
        and referral.due_at is not None
        and referral.due_at < now
    )


def referral_due(referral: Referral) -> datetime | None:
    """What the agency is late against: the acknowledgement while the referral is sent; once
    it is acknowledged, the case's own state (acknowledged or in progress) while the agency
    still works on it. Reads ``referral.case``."""
    if referral.status == ReferralStatus.SENT:
        return referral.due_at
    if referral.status in OPEN_REFERRAL_STATUSES and referral.case.status in (
        CaseStatus.ACKNOWLEDGED,
        CaseStatus.IN_PROGRESS,
    ):
        return referral.case.due_at
    return None


def late_referrals(now: datetime) -> Q:
    """The referrals ``referral_due`` says are late at ``now``, as a filter."""
    working = (ReferralStatus.ACKNOWLEDGED, ReferralStatus.IN_PROGRESS)
    return Q(status=ReferralStatus.SENT, due_at__lt=now) | Q(
        status__in=working,
        case__status__in=(CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS),
        case__due_at__lt=now,
    )


def referral_days_overdue(referral: Referral, *, now: datetime) -> int:
    """How late the agency is on ``referral`` (see ``referral_due``); 0 when on time."""
    return days_overdue(referral_due(referral), now=now)


def answered_late(referral: Referral, *, now: datetime) -> bool:
    """Whether the agency answered the referral late, or has still not answered past the due
    date: acknowledged after it was due, declined after it was due, or still sent and due."""
    due = referral.due_at
    if due is None:
        return False
    if referral.acknowledged_at is not None:
        return referral.acknowledged_at > due
    if referral.declined_at is not None:
        return referral.declined_at > due
    return referral.status == ReferralStatus.SENT and due < now


def cases_to_remind(now: datetime) -> QuerySet[Case]:
    """Overdue cases whose handlers have not been reminded in the current state (``move``
    clears ``reminded_at`` whenever a case changes state)."""
    return overdue_cases(now).filter(reminded_at__isnull=True)


def referrals_to_remind(now: datetime) -> QuerySet[Referral]:
    """Unacknowledged referrals past due whose agency has not been reminded yet."""
    return overdue_referrals(now).filter(reminded_at__isnull=True)
