"""Service levels: when cases and referrals are due, and how late they are (time given as
``now``, never read from the clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sujarit.cases import sla
from sujarit.cases.models import CaseStatus, Referral, ReferralStatus, ServiceLevel
from sujarit.cases.tests.agency_support import refer
from sujarit.cases.workflow import DEFAULT_SERVICE_DAYS, move

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 3, 16, 9, 0, tzinfo=UTC)


def test_service_levels_come_from_the_table_over_the_defaults():
    assert sla.service_levels() == DEFAULT_SERVICE_DAYS
    ServiceLevel.objects.create(status=CaseStatus.SCREENING, days=5)
    ServiceLevel.objects.create(status=CaseStatus.RESOLVED, days=30)
    levels = sla.service_levels()
    assert levels[CaseStatus.SCREENING] == 5
    assert levels[CaseStatus.RESOLVED] == 30
    assert levels[CaseStatus.REFERRED] == DEFAULT_SERVICE_DAYS[CaseStatus.REFERRED]


def test_case_due_dates_per_state():
    assert sla.case_due_at(CaseStatus.SCREENING, T0) == T0 + timedelta(days=3)
    assert sla.case_due_at(CaseStatus.IN_PROGRESS, T0) == T0 + timedelta(days=60)
    assert sla.case_due_at(CaseStatus.CLOSED, T0) is None
    ServiceLevel.objects.create(status=CaseStatus.SCREENING, days=7)
    assert sla.case_due_at(CaseStatus.SCREENING, T0) == T0 + timedelta(days=7)
    # A table read once can serve many computations.
    levels: dict[str, int] = {CaseStatus.SCREENING.value: 2}
    assert sla.case_due_at(CaseStatus.SCREENING, T0, levels=levels) == T0 + timedelta(days=2)
    assert sla.case_due_at(CaseStatus.REFERRED, T0, levels=levels) is None


def test_a_referral_is_due_within_the_referred_state_service_level():
    assert sla.referral_due_at(T0) == T0 + timedelta(days=15)
    ServiceLevel.objects.create(status=CaseStatus.REFERRED, days=10)
    assert sla.referral_due_at(T0) == T0 + timedelta(days=10)


@pytest.mark.parametrize(
    ("now", "days"),
    [
        (T0 - timedelta(days=2), 0),
        (T0, 0),
        (T0 + timedelta(seconds=1), 1),
        (T0 + timedelta(hours=23, minutes=59), 1),
        (T0 + timedelta(days=1), 1),
        (T0 + timedelta(days=1, seconds=1), 2),
        (T0 + timedelta(days=10, hours=3), 11),
    ],
)
def test_days_overdue_count_a_started_day(now, days):
    assert sla.days_overdue(T0, now=now) == days


def test_no_due_date_is_never_overdue():
    assert sla.days_overdue(None, now=T0) == 0


def test_a_case_is_overdue_after_its_state_due_date(case_factory, coordinator):
    case = case_factory()
    move(case, CaseStatus.SCREENING, by=coordinator, now=T0)
    assert case.due_at == T0 + timedelta(days=3)
    assert not sla.is_case_overdue(case, now=T0 + timedelta(days=3))
    assert sla.is_case_overdue(case, now=T0 + timedelta(days=3, seconds=1))
    move(case, CaseStatus.CLOSED, by=coordinator, now=T0 + timedelta(days=4), outcome="ไม่มีมูล")
    assert not sla.is_case_overdue(case, now=T0 + timedelta(days=40))


def test_acknowledgement_overdue_and_what_the_agency_is_late_against(
    case_factory, coordinator, agency_a
):
    case = case_factory()
    (referral,) = refer(case, agency_a, by=coordinator, now=T0)
    assert referral.due_at == T0 + timedelta(days=15)
    late = T0 + timedelta(days=16)
    assert sla.is_acknowledgement_overdue(referral, now=late)
    assert not sla.is_acknowledgement_overdue(referral, now=T0 + timedelta(days=14))
    assert sla.referral_due(referral) == referral.due_at
    assert sla.referral_days_overdue(referral, now=late) == 1
    # Acknowledged: the agency is then late against the case's acknowledged state.
    referral.status = ReferralStatus.ACKNOWLEDGED
    referral.acknowledged_at = T0 + timedelta(days=2)
    move(case, CaseStatus.ACKNOWLEDGED, by=coordinator, now=T0 + timedelta(days=2))
    assert not sla.is_acknowledgement_overdue(referral, now=late)
    assert sla.referral_due(referral) == T0 + timedelta(days=32)
    assert sla.referral_days_overdue(referral, now=late) == 0
    assert sla.referral_days_overdue(referral, now=T0 + timedelta(days=35)) == 3
    referral.status = ReferralStatus.RESOLVED
    assert sla.referral_due(referral) is None


def test_late_referrals_filter_agrees_with_referral_due(
    case_factory, coordinator, agency_a, agency_b
):
    waiting = refer(case_factory(), agency_a, by=coordinator, now=T0)[0]
    working_case = case_factory()
    working = refer(working_case, agency_b, by=coordinator, now=T0)[0]
    working.status = ReferralStatus.IN_PROGRESS
    working.save(update_fields=["status"])
    move(working_case, CaseStatus.ACKNOWLEDGED, by=coordinator, now=T0)
    for days, expected in [(10, set()), (20, {waiting.pk}), (40, {waiting.pk, working.pk})]:
        now = T0 + timedelta(days=days)
        found = set(Referral.objects.filter(sla.late_referrals(now)).values_list("pk", flat=True))
        assert found == expected
        computed = {
            r.pk
            for r in Referral.objects.select_related("case")
            if sla.referral_days_overdue(r, now=now)
        }
        assert computed == expected


@pytest.mark.parametrize(
    ("acknowledged", "declined", "status", "now_days", "late"),
    [
        (14, None, ReferralStatus.ACKNOWLEDGED, 30, False),
        (16, None, ReferralStatus.ACKNOWLEDGED, 30, True),
        (None, 20, ReferralStatus.DECLINED, 30, True),
        (None, 3, ReferralStatus.DECLINED, 30, False),
        (None, None, ReferralStatus.SENT, 10, False),
        (None, None, ReferralStatus.SENT, 16, True),
    ],
)
def test_answered_late(acknowledged, declined, status, now_days, late):
    referral = Referral(
        referred_at=T0,
        due_at=T0 + timedelta(days=15),
        status=status,
        acknowledged_at=T0 + timedelta(days=acknowledged) if acknowledged else None,
        declined_at=T0 + timedelta(days=declined) if declined else None,
    )
    assert sla.answered_late(referral, now=T0 + timedelta(days=now_days)) is late


def test_what_is_left_to_remind(case_factory, coordinator, agency_a):
    case = case_factory()
    (referral,) = refer(case, agency_a, by=coordinator, now=T0)
    late = T0 + timedelta(days=20)
    assert list(sla.cases_to_remind(late)) == [case]
    assert list(sla.referrals_to_remind(late)) == [referral]
    case.reminded_at = late
    case.save(update_fields=["reminded_at"])
    referral.reminded_at = late
    referral.save(update_fields=["reminded_at"])
    assert not sla.cases_to_remind(late).exists()
    assert not sla.referrals_to_remind(late).exists()
    # A new state is a new service level, and a new reminder when it runs out.
    move(case, CaseStatus.ACKNOWLEDGED, by=coordinator, now=late)
    assert not sla.cases_to_remind(late + timedelta(days=29)).exists()
    assert list(sla.cases_to_remind(late + timedelta(days=31))) == [case]
