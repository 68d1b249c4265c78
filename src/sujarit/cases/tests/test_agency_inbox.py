"""The agency inbox and referral page: an officer sees the referrals to their own agency, the
case's facts and the coordinator's note, and nothing of the coordination centre's internal
notes, other agencies' referrals or other cases."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from sujarit.cases import queries
from sujarit.cases.actions.agency import acknowledge_referral
from sujarit.cases.models import (
    AdmissibilityItem,
    CaseEvent,
    CaseStatus,
    Identity,
    Message,
    ReferralStatus,
)
from sujarit.cases.tests.agency_support import refer
from sujarit.cases.views import agency as agency_views

pytestmark = pytest.mark.django_db

NAME = "นางสมศรี ใจดี"
PHONE = "0812345678"


@pytest.fixture
def referral(case_factory, coordinator, agency_a, agency_b):
    case = case_factory(
        description="ผู้ใหญ่บ้านเรียกเก็บเงินค่าธรรมเนียมที่ไม่มีอยู่จริง",
        village="หมู่ 3 บ้านคลองหลวง",
        accused_position="ผู้ใหญ่บ้าน",
        amount=Decimal("25000"),
        name=NAME,
        phone=PHONE,
    )
    first, second = refer(
        case,
        agency_a,
        agency_b,
        by=coordinator,
        note="โปรดตรวจสอบใบเสร็จที่แนบมา",
        admissibility={"accused_identified": True, "place_given": False, "manual_check": None},
    )
    second.note = "บันทึกสำหรับหน่วยงาน ข เท่านั้น"
    second.save(update_fields=["note"])
    CaseEvent.objects.create(
        case=case,
        at=timezone.now(),
        kind=CaseEvent.Kind.STATUS,
        actor=coordinator,
        note="บันทึกภายในของศูนย์: ผู้ร้องเคยร้องเรื่องอื่น",
        public=False,
    )
    Message.objects.create(
        case=case, at=timezone.now(), sender=Message.Sender.COMPLAINANT, body="ข้อความถึงศูนย์ลับ"
    )
    return first


def inbox(client: Client, **params: str) -> Any:
    return client.get(reverse("cases:inbox"), params)


def test_the_inbox_lists_the_referrals_to_the_officers_agency_only(
    referral, verified_client, officer_a, officer_b, case_factory, coordinator, agency_b
):
    other_case = case_factory()
    (other,) = refer(other_case, agency_b, by=coordinator)
    response = inbox(verified_client(officer_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("cases:referral", args=[referral.pk]) in html
    assert other_case.reference not in html
    html_b = inbox(verified_client(officer_b)).content.decode()
    assert reverse("cases:referral", args=[other.pk]) in html_b
    assert reverse("cases:referral", args=[referral.pk]) not in html_b


def test_the_inbox_filters_by_status_and_marks_overdue(
    referral, verified_client, officer_a, case_factory, coordinator, agency_a
):
    late_case = case_factory()
    (late,) = refer(
        late_case, agency_a, by=coordinator, now=timezone.now() - timedelta(days=20, hours=-1)
    )
    acknowledge_referral(referral=referral, by=officer_a)
    client = verified_client(officer_a)
    html = inbox(client).content.decode()
    assert "เกินกำหนด 5 วัน" in html
    sent = inbox(client, status=ReferralStatus.SENT).content.decode()
    assert late_case.reference in sent and referral.case.reference not in sent
    acknowledged = inbox(client, status=ReferralStatus.ACKNOWLEDGED).content.decode()
    assert referral.case.reference in acknowledged and late_case.reference not in acknowledged
    overdue = inbox(client, overdue="on").content.decode()
    assert late_case.reference in overdue and referral.case.reference not in overdue
    assert late.pk


def test_the_inbox_pages_by_keyset(
    verified_client,
    officer_a,
    case_factory,
    coordinator,
    agency_a,
    monkeypatch,
    django_assert_max_num_queries,
):
    monkeypatch.setattr(agency_views, "PAGE_SIZE", 2)
    start = timezone.now() - timedelta(days=1)
    referrals = []
    for hours in range(5):
        case = case_factory()
        referrals += refer(case, agency_a, by=coordinator, now=start + timedelta(hours=hours))
    # Two referrals sent at the same instant: the id breaks the tie.
    twin = case_factory()
    referrals += refer(twin, agency_a, by=coordinator, now=start + timedelta(hours=4))
    client = verified_client(officer_a)
    seen: list[int] = []
    query: dict[str, str] = {}
    pages = 0
    while True:
        with django_assert_max_num_queries(10):
            response = inbox(client, **query)
        pages += 1
        seen += [r.pk for r, _ in response.context["rows"]]
        if not response.context["next_query"]:
            break
        query = dict(pair.split("=", 1) for pair in response.context["next_query"].split("&"))
    assert pages == 3
    expected = sorted(referrals, key=lambda r: (r.referred_at, r.pk), reverse=True)
    assert seen == [r.pk for r in expected]


def test_a_bad_cursor_shows_the_first_page(referral, verified_client, officer_a):
    response = inbox(verified_client(officer_a), after="not-a-cursor")
    assert response.status_code == 200
    assert [r.pk for r, _ in response.context["rows"]] == [referral.pk]


def test_the_referral_page_shows_the_facts_the_note_and_the_checklist(
    referral, verified_client, officer_a
):
    AdmissibilityItem.objects.create(
        target_kind=referral.agency.kind,
        code="accused_identified",
        order=1,
        text_th="ระบุตัวผู้ถูกร้องหรือหน่วยงานได้",
        text_en="The person or agency involved is named",
        test=AdmissibilityItem.Check.ACCUSED_IDENTIFIED,
    )
    response = verified_client(officer_a).get(reverse("cases:referral", args=[referral.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ผู้ใหญ่บ้านเรียกเก็บเงินค่าธรรมเนียมที่ไม่มีอยู่จริง" in html
    assert "หมู่ 3 บ้านคลองหลวง" in html
    assert "25,000" in html
    assert "โปรดตรวจสอบใบเสร็จที่แนบมา" in html
    assert "ระบุตัวผู้ถูกร้องหรือหน่วยงานได้" in html
    assert "place_given" in html  # an item no longer in the table shows by its code
    assert response.context["admissibility"][0] == ("ระบุตัวผู้ถูกร้องหรือหน่วยงานได้", True)


def test_the_referral_page_never_shows_internal_notes_or_other_agencies(
    referral, verified_client, officer_a, agency_b
):
    html = verified_client(officer_a).get(reverse("cases:referral", args=[referral.pk]))
    text = html.content.decode()
    assert "บันทึกภายในของศูนย์" not in text
    assert "ข้อความถึงศูนย์ลับ" not in text
    assert "บันทึกสำหรับหน่วยงาน ข เท่านั้น" not in text
    assert agency_b.name_th not in text


def test_a_confidential_complainant_stays_hidden_without_consent(
    referral, verified_client, officer_a
):
    text = verified_client(officer_a).get(reverse("cases:referral", args=[referral.pk]))
    html = text.content.decode()
    assert NAME not in html and PHONE not in html
    assert "ผู้ร้องเรียนขอให้ปกปิดตัวตน" in html


def test_a_consenting_complainant_is_shown_to_the_agency(
    case_factory, coordinator, agency_a, verified_client, officer_a
):
    case = case_factory(identity=Identity.NAMED, consent_to_disclose=True, name=NAME, phone=PHONE)
    (referral,) = refer(case, agency_a, by=coordinator)
    html = verified_client(officer_a).get(reverse("cases:referral", args=[referral.pk]))
    assert NAME in html.content.decode() and PHONE in html.content.decode()


def test_an_anonymous_report_says_so(
    case_factory, coordinator, agency_a, verified_client, officer_a
):
    case = case_factory(identity=Identity.ANONYMOUS, name="", phone="")
    (referral,) = refer(case, agency_a, by=coordinator)
    html = verified_client(officer_a).get(reverse("cases:referral", args=[referral.pk]))
    assert "ไม่ระบุตัวตน" in html.content.decode()
    assert reverse("cases:referral-identity-request", args=[referral.pk]) not in (
        html.content.decode()
    )


def test_the_referral_letter_is_linked_only_for_those_who_may_print_it(
    referral, verified_client, officer_a, monkeypatch
):
    url = reverse("cases:referral", args=[referral.pk])
    letter = reverse("cases:referral-letter", args=[referral.case_id, referral.pk])
    allowed = queries.can_print_letter(officer_a, referral)
    html = verified_client(officer_a).get(url).content.decode()
    assert (letter in html) is allowed
    # When the letter's own rule lets the agency print it, the page links it.
    monkeypatch.setattr(queries, "can_print_letter", lambda user, referral: True)
    assert letter in verified_client(officer_a).get(url).content.decode()


# --- answering through the page -------------------------------------------------------------


def test_the_officer_answers_through_the_page(referral, verified_client, officer_a):
    client = verified_client(officer_a)
    page_url = reverse("cases:referral", args=[referral.pk])
    response = client.post(reverse("cases:referral-acknowledge", args=[referral.pk]))
    assert response.status_code == 302 and response["Location"] == page_url
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACKNOWLEDGED
    response = client.post(
        reverse("cases:referral-progress", args=[referral.pk]),
        {"public_note": "ลงพื้นที่ตรวจสอบแล้ว", "note": "รอผลจากอำเภอ"},
    )
    assert response.status_code == 302
    page = client.get(page_url).content.decode()
    assert "ลงพื้นที่ตรวจสอบแล้ว" in page and "รอผลจากอำเภอ" in page
    response = client.post(
        reverse("cases:referral-resolve", args=[referral.pk]), {"outcome": "สั่งให้คืนเงิน"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RESOLVED
    assert referral.case.status == CaseStatus.IN_PROGRESS  # agency B has not answered yet


def test_a_missing_outcome_keeps_what_was_typed_elsewhere_and_explains(
    referral, verified_client, officer_a
):
    client = verified_client(officer_a)
    response = client.post(reverse("cases:referral-resolve", args=[referral.pk]), {"outcome": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="resolve-outcome_error"' in html
    assert 'aria-describedby="resolve-outcome_helptext resolve-outcome_error"' in html
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_a_refused_answer_is_explained_and_keeps_the_text(referral, verified_client, officer_a):
    client = verified_client(officer_a)
    client.post(reverse("cases:referral-acknowledge", args=[referral.pk]))
    response = client.post(
        reverse("cases:referral-decline", args=[referral.pk]), {"reason": "ไม่ใช่อำนาจของเรา"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "ปฏิเสธการส่งต่อได้เฉพาะก่อนตอบรับเท่านั้น" in html
    assert "ไม่ใช่อำนาจของเรา" in html
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACKNOWLEDGED


def test_the_pages_read_in_english(referral, verified_client, officer_a):
    from sujarit.accounts.testing import in_english

    client = in_english(verified_client(officer_a))
    assert "Referral inbox" in inbox(client).content.decode()
    page = client.get(reverse("cases:referral", args=[referral.pk])).content.decode()
    assert "The complainant asked for confidentiality" in page
