"""A real browser on a phone-sized screen: an officer opens the inbox, acknowledges a referral,
reports progress and answers with the outcome; nothing overflows the screen and the content
security policy refuses nothing. Screenshots are kept in ``test-artifacts/``."""

from __future__ import annotations

from typing import Any

from django.conf import settings

import pytest

from sujarit.accounts.models import User
from sujarit.accounts.testing import verified_client
from sujarit.agencies.models import Agency
from sujarit.cases.models import CaseStatus, Referral, ReferralStatus
from sujarit.cases.tests.agency_support import refer
from sujarit.web.testing import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_answers_a_referral_on_a_phone(
    browser: Any,
    live_server: Any,
    case_factory: Any,
    coordinator: User,
    officer_a: User,
    agency_a: Agency,
) -> None:
    from playwright.sync_api import expect

    case = case_factory()
    (referral,) = refer(case, agency_a, by=coordinator, note="โปรดตรวจสอบใบเสร็จ")
    session = verified_client(officer_a).cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(locale="th-TH", viewport={"width": 360, "height": 740})
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    def fits_the_screen() -> None:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto(f"{live_server.url}/inbox/")
    expect(page.locator("h1")).to_have_text("เรื่องที่ส่งต่อถึงหน่วยงาน")
    fits_the_screen()
    page.screenshot(path=str(ARTIFACTS / "agency-inbox-360.png"), full_page=True)

    page.get_by_role("link", name=case.reference, exact=False).click()
    expect(page.get_by_text("โปรดตรวจสอบใบเสร็จ")).to_be_visible()
    fits_the_screen()
    page.get_by_role("button", name="ตอบรับการส่งต่อ").click()
    expect(page.get_by_text("ตอบรับการส่งต่อแล้ว")).to_be_visible()

    page.get_by_label("ความคืบหน้า สำหรับผู้ร้องเรียน").fill("ลงพื้นที่ตรวจสอบแล้ว")
    page.get_by_role("button", name="บันทึกความคืบหน้า").click()
    expect(page.get_by_text("ลงพื้นที่ตรวจสอบแล้ว")).to_be_visible()

    page.get_by_text("ตอบกลับด้วยผลการดำเนินการ").click()
    outcome = page.get_by_label("ผลการดำเนินการ", exact=True)
    # The browser itself asks for the outcome before sending the form.
    expect(outcome).to_have_attribute("required", "")
    outcome.fill("สั่งให้คืนเงินครบแล้ว")
    page.get_by_role("button", name="บันทึกผลการดำเนินการ").click()
    expect(page.get_by_text("บันทึกผลการดำเนินการแล้ว")).to_be_visible()
    fits_the_screen()
    page.screenshot(path=str(ARTIFACTS / "agency-referral-360.png"), full_page=True)

    referral = Referral.objects.select_related("case").get(pk=referral.pk)
    assert referral.status == ReferralStatus.RESOLVED
    assert referral.case.status == CaseStatus.RESOLVED
    assert refused == []
    context.close()
