"""An agency answers a referral: acknowledge, progress, outcome, decline — and the case follows."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone

import pytest

from sujarit.audit.models import AuditEvent
from sujarit.cases.actions.agency import (
    acknowledge_referral,
    add_progress_note,
    decline_referral,
    resolve_referral,
)
from sujarit.cases.models import CaseEvent, CaseStatus, Referral, ReferralStatus
from sujarit.cases.tests.agency_support import refer
from sujarit.cases.workflow import TransitionRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(case_factory, coordinator, agency_a):
    case = case_factory()
    (referral,) = refer(case, agency_a, by=coordinator)
    return referral


@pytest.fixture
def referred_twice(case_factory, coordinator, agency_a, agency_b):
    case = case_factory()
    return refer(case, agency_a, agency_b, by=coordinator)


def test_acknowledging_moves_the_case_to_acknowledged_and_is_audited(referred, officer_a):
    now = timezone.now()
    answer = acknowledge_referral(referral=referred, by=officer_a, now=now)
    referred.refresh_from_db()
    referred.case.refresh_from_db()
    assert referred.status == ReferralStatus.ACKNOWLEDGED
    assert referred.acknowledged_at == now
    assert referred.acknowledged_by == officer_a
    assert referred.case.status == CaseStatus.ACKNOWLEDGED
    assert (answer.case_before, answer.case_after) == ("referred", "acknowledged")
    event = AuditEvent.objects.get(action="referral.acknowledged")
    assert event.actor == officer_a
    assert event.target_id == str(referred.pk)
    assert event.data == {
        "case": referred.case_id,
        "agency": referred.agency_id,
        "before": {"status": "sent"},
        "after": {"status": "acknowledged"},
        "case_before": {"status": "referred"},
        "case_after": {"status": "acknowledged"},
    }


def test_a_second_agency_acknowledging_leaves_the_case_where_it_is(
    referred_twice, officer_a, officer_b
):
    first, second = referred_twice
    acknowledge_referral(referral=first, by=officer_a)
    answer = acknowledge_referral(referral=second, by=officer_b)
    assert answer.case_before == answer.case_after == CaseStatus.ACKNOWLEDGED
    moves = CaseEvent.objects.filter(case=first.case, to_status=CaseStatus.ACKNOWLEDGED)
    assert moves.count() == 1


def test_acknowledging_twice_is_refused(referred, officer_a):
    acknowledge_referral(referral=referred, by=officer_a)
    with pytest.raises(TransitionRefused):
        acknowledge_referral(referral=referred, by=officer_a)
    assert AuditEvent.objects.filter(action="referral.acknowledged").count() == 1


def test_another_agency_cannot_answer(referred, officer_b, coordinator):
    for user in (officer_b, coordinator):
        with pytest.raises(PermissionDenied):
            acknowledge_referral(referral=referred, by=user)
        with pytest.raises(PermissionDenied):
            resolve_referral(referral=referred, by=user, outcome="done")
    referred.refresh_from_db()
    assert referred.status == ReferralStatus.SENT
    assert not AuditEvent.objects.filter(action__startswith="referral.").exists()


def test_progress_note_is_public_without_the_officer_name_and_moves_the_case(referred, officer_a):
    acknowledge_referral(referral=referred, by=officer_a)
    event = add_progress_note(
        referral=referred,
        by=officer_a,
        public_note="เจ้าหน้าที่ลงพื้นที่ตรวจสอบแล้ว",
        note="รอเอกสารจากอำเภอ",
    )
    referred.refresh_from_db()
    case = referred.case
    case.refresh_from_db()
    assert referred.status == ReferralStatus.IN_PROGRESS
    assert case.status == CaseStatus.IN_PROGRESS
    assert event.kind == CaseEvent.Kind.PROGRESS
    assert event.public
    assert event.public_note == "เจ้าหน้าที่ลงพื้นที่ตรวจสอบแล้ว"
    assert event.note == "รอเอกสารจากอำเภอ"
    assert officer_a.username not in event.public_note
    audit = AuditEvent.objects.get(action="referral.progress_noted")
    assert audit.data["before"] == {"status": "acknowledged"}
    assert audit.data["after"] == {"status": "in_progress"}
    assert audit.data["case_after"] == {"status": "in_progress"}
    assert audit.data["with_staff_note"] is True
    assert "รอเอกสาร" not in str(audit.data)
    # A second note changes nothing about the statuses.
    add_progress_note(referral=referred, by=officer_a, public_note="ส่งเรื่องต่อฝ่ายกฎหมาย")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert CaseEvent.objects.filter(case=case, to_status=CaseStatus.IN_PROGRESS).count() == 1


def test_progress_needs_an_acknowledgement_and_a_note_for_the_complainant(referred, officer_a):
    with pytest.raises(TransitionRefused):
        add_progress_note(referral=referred, by=officer_a, public_note="กำลังตรวจสอบ")
    acknowledge_referral(referral=referred, by=officer_a)
    with pytest.raises(TransitionRefused):
        add_progress_note(referral=referred, by=officer_a, public_note="  ", note="staff only")
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.PROGRESS).exists()


def test_resolving_the_only_referral_resolves_the_case_with_its_outcome(referred, officer_a):
    acknowledge_referral(referral=referred, by=officer_a)
    answer = resolve_referral(referral=referred, by=officer_a, outcome="  คืนเงินให้ชาวบ้านครบแล้ว ")
    case = referred.case
    case.refresh_from_db()
    assert answer.referral.status == ReferralStatus.RESOLVED
    assert answer.referral.outcome == "คืนเงินให้ชาวบ้านครบแล้ว"
    assert case.status == CaseStatus.RESOLVED
    assert case.outcome == "คืนเงินให้ชาวบ้านครบแล้ว"
    assert case.resolved_at is not None
    status_event = CaseEvent.objects.get(case=case, to_status=CaseStatus.RESOLVED)
    assert status_event.public and status_event.public_note == "คืนเงินให้ชาวบ้านครบแล้ว"
    audit = AuditEvent.objects.get(action="referral.resolved")
    assert audit.data["case_before"] == {"status": "acknowledged"}
    assert audit.data["case_after"] == {"status": "resolved"}
    assert "คืนเงิน" not in str(audit.data)


def test_the_case_is_resolved_when_every_agency_has_answered(
    referred_twice, officer_a, officer_b, agency_a, agency_b
):
    first, second = referred_twice
    resolve_referral(referral=first, by=officer_a, outcome="ตักเตือนเจ้าหน้าที่")
    case = first.case
    case.refresh_from_db()
    assert case.status == CaseStatus.ACKNOWLEDGED
    # The complainant hears of the first agency's outcome at once.
    assert CaseEvent.objects.filter(
        case=case, kind=CaseEvent.Kind.PROGRESS, public=True, public_note="ตักเตือนเจ้าหน้าที่"
    ).exists()
    first.refresh_from_db()
    # Answering without acknowledging first counts as acknowledging.
    assert first.acknowledged_at == first.resolved_at
    resolve_referral(referral=second, by=officer_b, outcome="เรียกเงินคืนแล้ว")
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    assert case.outcome == (
        f"{agency_a.name_th}: ตักเตือนเจ้าหน้าที่\n\n{agency_b.name_th}: เรียกเงินคืนแล้ว"
    )


def test_an_outcome_is_required(referred, officer_a):
    with pytest.raises(TransitionRefused):
        resolve_referral(referral=referred, by=officer_a, outcome="   ")
    referred.refresh_from_db()
    assert referred.status == ReferralStatus.SENT


def test_a_resolved_referral_cannot_be_answered_again(referred, officer_a):
    resolve_referral(referral=referred, by=officer_a, outcome="จบ")
    with pytest.raises(TransitionRefused):
        resolve_referral(referral=referred, by=officer_a, outcome="อีกครั้ง")
    with pytest.raises(TransitionRefused):
        add_progress_note(referral=referred, by=officer_a, public_note="อีก")
    with pytest.raises(TransitionRefused):
        decline_referral(referral=referred, by=officer_a, reason="ไม่ใช่อำนาจ")


def test_declining_every_referral_sends_the_case_back_to_screening(
    referred_twice, officer_a, officer_b
):
    first, second = referred_twice
    now = timezone.now()
    decline_referral(referral=first, by=officer_a, reason="ไม่อยู่ในอำนาจหน้าที่", now=now)
    case = first.case
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED
    answer = decline_referral(referral=second, by=officer_b, reason="ข้อมูลไม่พอ")
    case.refresh_from_db()
    assert answer.case_after == CaseStatus.SCREENING
    assert case.status == CaseStatus.SCREENING
    first.refresh_from_db()
    assert first.declined_at == now
    assert first.decline_reason == "ไม่อยู่ในอำนาจหน้าที่"
    audit = AuditEvent.objects.filter(action="referral.declined").order_by("id").last()
    assert audit is not None
    assert audit.data["case_after"] == {"status": "screening"}
    assert "ข้อมูล" not in str(audit.data)


def test_a_decline_after_the_others_resolved_resolves_the_case(
    referred_twice, officer_a, officer_b
):
    first, second = referred_twice
    resolve_referral(referral=first, by=officer_a, outcome="แก้ไขแล้ว")
    decline_referral(referral=second, by=officer_b, reason="ซ้ำกับหน่วยงานแรก")
    case = first.case
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    assert case.outcome == "แก้ไขแล้ว"


def test_declining_needs_a_reason_and_comes_before_acknowledging(referred, officer_a):
    with pytest.raises(TransitionRefused):
        decline_referral(referral=referred, by=officer_a, reason="")
    acknowledge_referral(referral=referred, by=officer_a)
    with pytest.raises(TransitionRefused):
        decline_referral(referral=referred, by=officer_a, reason="เปลี่ยนใจ")
    referred.refresh_from_db()
    assert referred.status == ReferralStatus.ACKNOWLEDGED


def test_the_workflow_refuses_an_answer_the_case_cannot_take(referred, officer_a, coordinator):
    # The coordinator has taken the case back to screening (every other agency declined
    # earlier, say): an outcome now would put the case in an impossible state.
    case = referred.case
    case.status = CaseStatus.SCREENING
    case.save(update_fields=["status"])
    with pytest.raises(TransitionRefused):
        resolve_referral(referral=referred, by=officer_a, outcome="จบแล้ว")
    # Nothing half-saved: the referral is still open.
    assert Referral.objects.get(pk=referred.pk).status == ReferralStatus.SENT


def test_acknowledging_from_a_stale_copy_reads_the_current_row(referred, officer_a):
    stale = Referral.objects.get(pk=referred.pk)
    acknowledge_referral(referral=referred, by=officer_a, now=timezone.now() - timedelta(hours=1))
    with pytest.raises(TransitionRefused):
        acknowledge_referral(referral=stale, by=officer_a)
