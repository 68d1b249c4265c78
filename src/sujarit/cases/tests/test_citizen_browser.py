"""A citizen on a phone: sends a report in Thai, reads the receipt code, follows it up and
writes to the coordination centre. Screenshots of the form and of the code are kept in
``test-artifacts/`` for people to check the layout at 360 px."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sujarit.cases import receipts
from sujarit.cases.models import Case, Message
from sujarit.web.testing import ARTIFACTS

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def test_citizen_reports_on_a_phone_and_follows_up(
    browser: Any, live_server: Any, cases_area: str
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(locale="th-TH", viewport=PHONE)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(f"{live_server.url}/report/")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("h1")).to_have_text("แจ้งเรื่อง")

    page.get_by_label("การทุจริตหรือประพฤติมิชอบของเจ้าหน้าที่รัฐ").check()
    page.get_by_label("เกิดอะไรขึ้น").fill("เจ้าหน้าที่ที่ดินเรียกเงินห้าพันบาทเพื่อเร่งออกโฉนด โดยไม่มีใบเสร็จ")
    page.get_by_label("ตำบล", exact=True).select_option("240101")
    page.get_by_label("หมู่บ้านหรือชุมชน (ไม่บังคับ)").fill("หมู่ 2")
    page.get_by_label("จำนวนเงินที่เกี่ยวข้อง เป็นบาท (ไม่บังคับ)").fill("5,000")

    # The map is drawn from our own boundaries: a first tap opens a district's subdistricts,
    # the next marks the place and fills the coordinates.
    map_box = page.locator("[data-intake-map]")
    expect(map_box).to_be_visible()
    expect(page.locator("[data-intake-map] path.leaflet-interactive").first).to_be_visible()
    box = map_box.bounding_box()
    assert box is not None
    middle = {"x": box["width"] / 2, "y": box["height"] / 2}
    map_box.click(position=middle)
    page.wait_for_timeout(500)
    map_box.click(position=middle)
    expect(page.get_by_label("ละติจูด (ไม่บังคับ)")).not_to_have_value("")
    latitude = float(page.get_by_label("ละติจูด (ไม่บังคับ)").input_value())
    assert 12.0 < latitude < 15.0

    # Anonymous hides the contact fields; confidential shows them.
    contact = page.locator("fieldset[data-contact]")
    page.get_by_label("ไม่เปิดเผยตัวตน: ไม่เก็บข้อมูลติดต่อใด ๆ").check()
    expect(contact).to_be_hidden()
    page.get_by_label("เปิดเผยเป็นความลับ: ข้อมูลติดต่อเห็นได้เฉพาะผู้ประสานงาน").check()
    expect(contact).to_be_visible()
    page.get_by_label("โทรศัพท์").fill("081 234 5678")

    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "citizen-report-form.png"), full_page=True)

    page.get_by_role("button", name="ส่งเรื่อง", exact=True).click()
    expect(page.locator("h1")).to_have_text("เราได้รับเรื่องของคุณแล้ว")
    assert "/report/done/" in page.url
    shown = page.locator(".receipt-code").inner_text()
    code = re.sub(r"\s", "", shown)
    assert receipts.is_well_formed(code)
    assert code not in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "citizen-receipt-code.png"), full_page=True)

    case = Case.objects.get()
    assert receipts.matches(code, case.receipt_hash)
    assert case.channel == "web" and case.latitude is not None

    # A refresh does not show the code again.
    page.reload()
    expect(page.locator(".receipt-code")).to_have_count(0)

    page.get_by_role("link", name="ติดตามเรื่องของคุณ").click()
    expect(page.locator("h1")).to_have_text("ติดตามเรื่องของคุณ")
    page.get_by_label("รหัสติดตาม").fill(shown)
    page.get_by_role("button", name="เปิดเรื่องของฉัน").click()

    expect(page.locator("h1")).to_have_text("เรื่องของคุณ")
    expect(page.locator(".timeline")).to_contain_text("เรื่องของคุณส่งถึงแล้ว")
    expect(page.locator(".status-label")).to_have_text("รับเรื่องแล้ว")
    page.get_by_label("ข้อความของคุณ").fill("ฉันมีภาพถ่ายใบเสร็จปลอม ส่งให้ได้ทางไหน")
    page.get_by_role("button", name="ส่งข้อความ").click()
    expect(page.locator(".messages")).to_contain_text("ส่งข้อความถึงศูนย์ประสานงานแล้ว")
    expect(page.locator(".thread")).to_contain_text("ฉันมีภาพถ่ายใบเสร็จปลอม")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "citizen-follow-up.png"), full_page=True)
    assert Message.objects.get().case == case

    page.get_by_role("button", name="ออก").click()
    expect(page.locator("h1")).to_have_text("ติดตามเรื่องของคุณ")
    assert not errors, errors


def test_refused_form_keeps_what_was_typed_and_points_at_the_problems(
    browser: Any, live_server: Any, cases_area: str
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(locale="th-TH", viewport=PHONE)
    page.goto(f"{live_server.url}/report/")
    page.get_by_label("เกิดอะไรขึ้น").fill("ถนนพังมาหลายเดือนแล้ว ไม่มีใครมาซ่อม")
    page.get_by_label("จำนวนเงินที่เกี่ยวข้อง เป็นบาท (ไม่บังคับ)").fill("-3")
    page.get_by_role("button", name="ส่งเรื่อง", exact=True).click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("เลือกว่ารายงานนี้เกี่ยวกับเรื่องใด")
    expect(summary).to_contain_text("จำนวนเงินต้องไม่ติดลบ")
    expect(page.get_by_label("เกิดอะไรขึ้น")).to_have_value("ถนนพังมาหลายเดือนแล้ว ไม่มีใครมาซ่อม")
    amount = page.get_by_label("จำนวนเงินที่เกี่ยวข้อง เป็นบาท (ไม่บังคับ)")
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(amount).to_have_accessible_description(re.compile("จำนวนเงินต้องไม่ติดลบ"))
    page.screenshot(path=str(ARTIFACTS / "citizen-report-errors.png"), full_page=True)
    assert not Case.objects.exists()
