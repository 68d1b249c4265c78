"""Identity release is never one person's decision: an agency asks, a custodian decides, the
complainant is told, and the audit log keeps both steps without the identity."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

import pytest

from sujarit.audit.models import AuditEvent
from sujarit.cases.actions.identity import (
    APPROVED_NOTICE,
    DENIED_NOTICE,
    REQUEST_NOTICE,
    decide_identity_request,
    request_identity,
)
from sujarit.cases.models import Case, CaseEvent, Identity, IdentityRequest
from sujarit.cases.queries import (
    can_see_identity,
    complainant_for,
    identity_requests_to_decide,
)
from sujarit.cases.tests.agency_support import refer
from sujarit.cases.workflow import TransitionRefused

pytestmark = pytest.mark.django_db

NAME = "นางสมศรี ใจดี"
PHONE = "0812345678"


@pytest.fixture
def referral(case_factory, coordinator, agency_a):
    case = case_factory(identity=Identity.CONFIDENTIAL, name=NAME, phone=PHONE)
    # Alice handles the case.
    case.assigned_to = coordinator
    case.save(update_fields=["assigned_to"])
    (referral,) = refer(case, agency_a, by=coordinator)
    return referral


@pytest.fixture
def pending(referral, officer_a):
    return request_identity(referral=referral, reason="ต้องสอบปากคำผู้ร้อง", by=officer_a)


def identity_events(case: Case) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.IDENTITY))


def test_the_agency_does_not_see_a_confidential_complainant(referral, officer_a, officer_b):
    assert not can_see_identity(officer_a, referral.case)
    assert complainant_for(officer_a, referral.case) is None
    assert not can_see_identity(officer_b, referral.case)


def test_an_officer_asks_and_the_complainant_is_told_in_thai_without_names(
    pending, referral, officer_a
):
    assert pending.status == IdentityRequest.Status.PENDING
    assert pending.requested_by == officer_a
    (event,) = identity_events(referral.case)
    assert event.public
    with translation.override("th"):
        assert event.public_note == str(REQUEST_NOTICE)
    assert event.public_note.startswith("หน่วยงาน")
    for word in (officer_a.username, officer_a.get_full_name() or officer_a.username, "chai"):
        assert word not in event.public_note
    assert referral.agency.name_th not in event.public_note
    audit = AuditEvent.objects.get(action="identity.requested")
    assert audit.actor == officer_a
    assert audit.data == {
        "case": referral.case_id,
        "referral": referral.pk,
        "agency": referral.agency_id,
        "after": {"status": "pending"},
    }


def test_a_reason_is_required_and_one_request_waits_at_a_time(referral, officer_a):
    with pytest.raises(TransitionRefused):
        request_identity(referral=referral, reason="  ", by=officer_a)
    request_identity(referral=referral, reason="ต้องการพยาน", by=officer_a)
    with pytest.raises(TransitionRefused):
        request_identity(referral=referral, reason="อีกครั้ง", by=officer_a)
    assert IdentityRequest.objects.count() == 1


def test_only_the_referrals_agency_may_ask(referral, officer_b, coordinator):
    for user in (officer_b, coordinator):
        with pytest.raises(PermissionDenied):
            request_identity(referral=referral, reason="อยากรู้", by=user)
    assert not IdentityRequest.objects.exists()


def test_nobody_may_ask_for_an_anonymous_complainant(
    case_factory, coordinator, agency_a, officer_a
):
    case = case_factory(identity=Identity.ANONYMOUS, name="", phone="")
    (referral,) = refer(case, agency_a, by=coordinator)
    with pytest.raises(PermissionDenied):
        request_identity(referral=referral, reason="ต้องการ", by=officer_a)


def test_the_handling_coordinator_cannot_decide(pending, coordinator):
    with pytest.raises(PermissionDenied):
        decide_identity_request(request=pending, approve=True, by=coordinator)
    pending.refresh_from_db()
    assert pending.status == IdentityRequest.Status.PENDING
    assert pending not in identity_requests_to_decide(coordinator)
    assert not AuditEvent.objects.filter(action__in=["identity.approved", "identity.denied"])


def test_officers_and_auditors_cannot_decide(pending, officer_a, auditor):
    for user in (officer_a, auditor):
        with pytest.raises(PermissionDenied):
            decide_identity_request(request=pending, approve=True, by=user)
        assert not identity_requests_to_decide(user).exists()


def test_another_coordinator_approves_and_only_then_the_agency_sees_the_identity(
    pending, referral, officer_a, officer_b, other_coordinator, auditor
):
    assert list(identity_requests_to_decide(other_coordinator)) == [pending]
    assert complainant_for(officer_a, referral.case) is None
    decided = decide_identity_request(
        request=pending, approve=True, by=other_coordinator, note="จำเป็นต่อการสอบสวน"
    )
    assert decided.status == IdentityRequest.Status.APPROVED
    assert decided.decided_by == other_coordinator
    referral.refresh_from_db()
    assert referral.identity_released
    case = referral.case
    complainant = complainant_for(officer_a, case)
    assert complainant is not None and complainant.name == NAME
    # Only the requesting agency: not another agency, not the auditors.
    assert complainant_for(officer_b, case) is None
    assert complainant_for(auditor, case) is None
    request_event, decision_event = identity_events(case)
    assert decision_event.public
    assert "อนุมัติ" in decision_event.public_note
    assert other_coordinator.username not in decision_event.public_note
    audit = AuditEvent.objects.get(action="identity.approved")
    assert audit.actor == other_coordinator
    assert audit.data == {
        "case": case.pk,
        "referral": referral.pk,
        "agency": referral.agency_id,
        "decision": "approved",
        "before": {"status": "pending", "identity_released": False},
        "after": {"status": "approved", "identity_released": True},
    }
    assert NAME not in str(audit.data) and PHONE not in str(audit.data)


def test_an_admin_is_a_custodian_too(pending, referral, admin_user):
    assert list(identity_requests_to_decide(admin_user)) == [pending]
    decide_identity_request(request=pending, approve=True, by=admin_user)
    referral.refresh_from_db()
    assert referral.identity_released


def test_a_denied_request_releases_nothing(pending, referral, officer_a, other_coordinator):
    decided = decide_identity_request(request=pending, approve=False, by=other_coordinator)
    assert decided.status == IdentityRequest.Status.DENIED
    referral.refresh_from_db()
    assert not referral.identity_released
    assert complainant_for(officer_a, referral.case) is None
    decision_event = identity_events(referral.case)[-1]
    assert decision_event.public
    assert "ปฏิเสธ" in decision_event.public_note
    audit = AuditEvent.objects.get(action="identity.denied")
    assert audit.data["decision"] == "denied"
    assert audit.data["after"] == {"status": "denied", "identity_released": False}
    # A decided request is not decided twice.
    with pytest.raises(TransitionRefused):
        decide_identity_request(request=pending, approve=True, by=other_coordinator)


def test_the_complainants_timeline_gets_both_notices(pending, other_coordinator):
    decide_identity_request(request=pending, approve=False, by=other_coordinator)
    public = CaseEvent.objects.filter(
        case=pending.referral.case, kind=CaseEvent.Kind.IDENTITY, public=True
    ).order_by("at", "id")
    notes = [event.public_note for event in public]
    with translation.override("th"):
        assert notes == [str(REQUEST_NOTICE), str(DENIED_NOTICE)]
        assert str(APPROVED_NOTICE) not in notes
    for note in notes:
        for name in ("alice", "bob", "chai", NAME):
            assert name not in note


def test_a_coordinator_who_asked_cannot_decide(referral, other_coordinator, officer_a):
    # The rule also covers a request recorded by a coordinator on an agency's behalf.
    request = IdentityRequest.objects.create(
        referral=referral,
        requested_by=other_coordinator,
        requested_at=referral.referred_at,
        reason="โทรศัพท์จากหน่วยงาน",
    )
    with pytest.raises(PermissionDenied):
        decide_identity_request(request=request, approve=True, by=other_coordinator)


# --- the pages ------------------------------------------------------------------------------


def test_the_custodian_page_lists_what_this_custodian_may_decide(
    pending, verified_client, coordinator, other_coordinator, django_assert_max_num_queries
):
    url = reverse("cases:identity-requests")
    response = verified_client(coordinator).get(url)
    assert response.status_code == 200
    assert pending.referral.case.reference not in response.content.decode()
    client = verified_client(other_coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    page = response.content.decode()
    assert pending.referral.case.reference in page
    assert "ต้องสอบปากคำผู้ร้อง" in page
    assert NAME not in page and PHONE not in page


def test_the_custodian_decides_through_the_page(pending, verified_client, other_coordinator):
    client = verified_client(other_coordinator)
    url = reverse("cases:identity-request-decide", args=[pending.pk])
    response = client.post(url, {"decision": "deny", "note": "ยังไม่จำเป็น"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:identity-requests")
    pending.refresh_from_db()
    assert pending.status == IdentityRequest.Status.DENIED
    assert pending.decision_note == "ยังไม่จำเป็น"


def test_the_handling_coordinator_is_refused_on_the_page(pending, verified_client, coordinator):
    url = reverse("cases:identity-request-decide", args=[pending.pk])
    response = verified_client(coordinator).post(url, {"decision": "approve"})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == IdentityRequest.Status.PENDING


def test_a_decision_without_a_choice_changes_nothing(pending, verified_client, other_coordinator):
    url = reverse("cases:identity-request-decide", args=[pending.pk])
    response = verified_client(other_coordinator).post(url, {"decision": "maybe"}, follow=True)
    assert response.status_code == 200
    assert "อนุมัติหรือปฏิเสธ" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == IdentityRequest.Status.PENDING


def test_the_officer_asks_through_the_referral_page(referral, verified_client, officer_a):
    client = verified_client(officer_a)
    page = client.get(reverse("cases:referral", args=[referral.pk])).content.decode()
    assert NAME not in page
    assert reverse("cases:referral-identity-request", args=[referral.pk]) in page
    url = reverse("cases:referral-identity-request", args=[referral.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert not IdentityRequest.objects.exists()
    response = client.post(url, {"reason": "ต้องการสอบพยาน"})
    assert response.status_code == 302
    assert IdentityRequest.objects.get().reason == "ต้องการสอบพยาน"
    page = client.get(reverse("cases:referral", args=[referral.pk])).content.decode()
    assert NAME not in page
    # The form is gone while the request waits.
    assert reverse("cases:referral-identity-request", args=[referral.pk]) not in page


def test_after_approval_the_referral_page_shows_the_identity(
    pending, referral, verified_client, officer_a, officer_b, other_coordinator
):
    decide_identity_request(request=pending, approve=True, by=other_coordinator)
    page = verified_client(officer_a).get(reverse("cases:referral", args=[referral.pk]))
    assert NAME in page.content.decode() and PHONE in page.content.decode()
    other = verified_client(officer_b).get(reverse("cases:referral", args=[referral.pk]))
    assert other.status_code == 404


def test_no_identity_can_be_asked_for_once_the_details_are_erased(referral, officer_a):
    from sujarit.cases.actions.retention import erase_contact_details
    from sujarit.cases.queries import can_request_identity

    assert can_request_identity(officer_a, referral)
    erase_contact_details(case=referral.case)
    referral.refresh_from_db()
    assert not can_request_identity(officer_a, referral)
    with pytest.raises(PermissionDenied):
        request_identity(referral=referral, reason="ต้องสอบปากคำผู้ร้อง", by=officer_a)
