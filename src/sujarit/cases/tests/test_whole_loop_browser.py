"""The whole loop in a real browser: a citizen reports on a phone and keeps the receipt code;
a coordinator screens the case and refers it to the agency routing proposed; an officer of
that agency acknowledges, reports progress and resolves it; the citizen, back on the phone
with the code, reads the outcome, and nothing on the citizen's pages names a staff member."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings

import pytest

from sujarit.accounts.actions import create_user
from sujarit.accounts.models import Role, User
from sujarit.accounts.testing import verified_client
from sujarit.audit.models import AuditEvent
from sujarit.cases.models import Case, CaseStatus, Referral, ReferralStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def _staff_page(browser: Any, live_server: Any, user: User) -> Any:
    """A browser page logged in as ``user`` past the second factor."""
    session = verified_client(user).cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(locale="th-TH", viewport={"width": 1000, "height": 900})
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    return context.new_page()


def test_report_referral_answer_and_follow_up(
    browser: Any, live_server: Any, cases_area: str, coordinator: User
) -> None:
    from playwright.sync_api import expect

    # --- the citizen, on a phone --------------------------------------------------------
    phone = browser.new_context(locale="th-TH", viewport=PHONE).new_page()
    phone.goto(f"{live_server.url}/report/")
    phone.get_by_label("การทุจริตหรือประพฤติมิชอบของเจ้าหน้าที่รัฐ").check()
    phone.get_by_label("เกิดอะไรขึ้น").fill("เจ้าหน้าที่เรียกเงินสามพันบาทเพื่อเร่งออกใบอนุญาต โดยไม่มีใบเสร็จ")
    phone.get_by_label("ตำบล", exact=True).select_option("240101")
    phone.get_by_label("ระดับตำแหน่งของผู้ที่เกี่ยวข้อง").select_option("official")
    phone.get_by_label("เปิดเผยเป็นความลับ: ข้อมูลติดต่อเห็นได้เฉพาะผู้ประสานงาน").check()
    phone.get_by_label("โทรศัพท์").fill("081 234 5678")
    phone.get_by_role("button", name="ส่งเรื่อง", exact=True).click()
    expect(phone.locator("h1")).to_have_text("เราได้รับเรื่องของคุณแล้ว")
    shown = phone.locator(".receipt-code").inner_text()
    code = re.sub(r"\s", "", shown)
    case = Case.objects.get()
    proposal = case.proposals.exclude(agency=None).select_related("agency").first()
    assert proposal is not None, "routing proposes an agency for an official below director"
    agency = proposal.agency
    assert agency is not None

    # --- the coordinator ----------------------------------------------------------------
    desk = _staff_page(browser, live_server, coordinator)
    desk.goto(f"{live_server.url}/cases/")
    desk.get_by_role("link", name=case.reference).click()
    desk.get_by_text("เริ่มคัดกรอง").first.click()
    desk.get_by_role("button", name="เริ่มคัดกรอง").click()
    expect(desk.get_by_text("เริ่มคัดกรองแล้ว")).to_be_visible()
    expect(desk.locator('input[name="refer-agencies"]:checked')).to_have_count(1)
    desk.get_by_label("ข้อความถึงหน่วยงาน (พิมพ์ในหนังสือส่งต่อ)").fill("โปรดตรวจสอบใบเสร็จ")
    desk.get_by_role("button", name="ส่งต่อ", exact=True).click()
    expect(desk.get_by_text("ส่งต่อเรื่องแล้ว")).to_be_visible()
    referral = Referral.objects.get(case=case)
    assert referral.agency == agency and referral.was_proposed

    # --- the officer of the agency routing proposed -------------------------------------
    officer = create_user(
        username="somchai",
        email="somchai@example.org",
        role=Role.AGENCY_OFFICER,
        agency=agency,
        by=None,
    )
    inbox = _staff_page(browser, live_server, officer)
    inbox.goto(f"{live_server.url}/inbox/")
    inbox.get_by_role("link", name=case.reference, exact=False).click()
    expect(inbox.get_by_text("โปรดตรวจสอบใบเสร็จ")).to_be_visible()
    # The complainant asked for confidentiality: the officer does not see the phone number.
    expect(inbox.get_by_text("081")).to_have_count(0)
    inbox.get_by_role("button", name="ตอบรับการส่งต่อ").click()
    expect(inbox.get_by_text("ตอบรับการส่งต่อแล้ว")).to_be_visible()
    inbox.get_by_label("ความคืบหน้า สำหรับผู้ร้องเรียน").fill("ลงพื้นที่ตรวจสอบแล้ว")
    inbox.get_by_role("button", name="บันทึกความคืบหน้า").click()
    expect(inbox.get_by_text("ลงพื้นที่ตรวจสอบแล้ว")).to_be_visible()
    inbox.get_by_text("ตอบกลับด้วยผลการดำเนินการ").click()
    inbox.get_by_label("ผลการดำเนินการ", exact=True).fill("สั่งให้คืนเงินและตั้งกรรมการสอบวินัยแล้ว")
    inbox.get_by_role("button", name="บันทึกผลการดำเนินการ").click()
    expect(inbox.get_by_text("บันทึกผลการดำเนินการแล้ว")).to_be_visible()
    case.refresh_from_db()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RESOLVED
    assert case.status == CaseStatus.RESOLVED

    # --- the citizen again, with the code -----------------------------------------------
    phone.goto(f"{live_server.url}/follow/")
    phone.get_by_label("รหัสติดตาม").fill(code)
    phone.get_by_role("button", name="เปิดเรื่องของฉัน").click()
    expect(phone.locator("h1")).to_have_text("เรื่องของคุณ")
    expect(phone.locator(".timeline")).to_contain_text("ลงพื้นที่ตรวจสอบแล้ว")
    expect(phone.locator("main")).to_contain_text("สั่งให้คืนเงินและตั้งกรรมการสอบวินัยแล้ว")
    page_text = phone.locator("main").inner_text()
    for name in (coordinator.get_username(), officer.get_username(), "somchai"):
        assert name not in page_text
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Every step left its audit event.
    actions = set(
        AuditEvent.objects.filter(target_id=str(case.pk)).values_list("action", flat=True)
    )
    assert {"case.submitted", "case.referred"} <= actions
