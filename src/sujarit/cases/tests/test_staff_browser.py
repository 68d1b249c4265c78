"""A real browser on a phone-sized screen: a coordinator finds a new case in the queue, starts
screening, refers it to the proposed agency and opens the referral letter; the public figures
page draws its bars. Nothing overflows 360 px and the content security policy refuses nothing.
Screenshots are kept in ``test-artifacts/``."""

from __future__ import annotations

from typing import Any

from django.conf import settings

import pytest

from sujarit.accounts.models import User
from sujarit.accounts.testing import verified_client
from sujarit.cases.actions.publication import publish_case
from sujarit.cases.models import Case, CaseStatus, Referral
from sujarit.web.testing import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 360


def test_a_coordinator_refers_a_case_on_a_phone(
    browser: Any, live_server: Any, case_factory: Any, coordinator: User
) -> None:
    from playwright.sync_api import expect

    case = case_factory(accused_rank="official", consent_to_disclose=False)
    session = verified_client(coordinator).cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(locale="th-TH", viewport={"width": WIDTH, "height": 740})
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
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    page.goto(f"{live_server.url}/cases/")
    expect(page.locator("h1")).to_have_text("รายการงาน")
    fits_the_screen()
    page.screenshot(path=str(ARTIFACTS / "staff-queue-360.png"), full_page=True)

    page.get_by_role("link", name=case.reference).click()
    expect(page.locator("h1")).to_contain_text(case.reference)
    fits_the_screen()
    page.get_by_text("เริ่มคัดกรอง").first.click()
    page.get_by_role("button", name="เริ่มคัดกรอง").click()
    expect(page.get_by_text("เริ่มคัดกรองแล้ว")).to_be_visible()

    # The refer form is open in screening, with routing's proposal ticked.
    proposed = page.locator('input[name="refer-agencies"]:checked')
    expect(proposed).to_have_count(1)
    page.get_by_label("ข้อความถึงหน่วยงาน (พิมพ์ในหนังสือส่งต่อ)").fill("โปรดตรวจสอบใบเสร็จ")
    fits_the_screen()
    page.screenshot(path=str(ARTIFACTS / "staff-case-360.png"), full_page=True)
    page.get_by_role("button", name="ส่งต่อ", exact=True).click()
    expect(page.get_by_text("ส่งต่อเรื่องแล้ว")).to_be_visible()

    page.get_by_role("link", name="หนังสือส่งต่อเรื่อง (พิมพ์)").click()
    expect(page.get_by_text("ขอแสดงความนับถือ")).to_be_visible()
    expect(page.get_by_text("ผู้ร้องขอให้ปกปิดตัวตน", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="พิมพ์")).to_be_visible()
    fits_the_screen()
    page.screenshot(path=str(ARTIFACTS / "staff-letter-360.png"), full_page=True)
    page.set_viewport_size({"width": 1000, "height": 1400})
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    page.screenshot(path=str(ARTIFACTS / "staff-letter-print.png"), full_page=True)

    referral = Referral.objects.get(case=case)
    assert referral.note == "โปรดตรวจสอบใบเสร็จ"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REFERRED
    assert refused == []


def test_public_figures_on_a_phone(
    browser: Any, live_server: Any, case_factory: Any, coordinator: User
) -> None:
    from playwright.sync_api import expect

    for kind in ("corruption", "corruption", "grievance"):
        case = case_factory(kind=kind)
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.REFERRED)
        case.refresh_from_db()
        publish_case(case=case, by=coordinator, title="เก็บค่าธรรมเนียมเกิน", summary="สรุป", outcome="")
    page = browser.new_page(locale="th-TH", viewport={"width": WIDTH, "height": 740})
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/published/figures/")
    expect(page.locator("svg.chart").first).to_be_visible()
    expect(page.locator("rect.bar")).to_have_count(2 + 1 + 1 + 1)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    page.screenshot(path=str(ARTIFACTS / "published-figures-360.png"), full_page=True)
    page.goto(f"{live_server.url}/published/")
    expect(page.get_by_role("link", name="เก็บค่าธรรมเนียมเกิน").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    page.screenshot(path=str(ARTIFACTS / "published-list-360.png"), full_page=True)
    assert refused == []
