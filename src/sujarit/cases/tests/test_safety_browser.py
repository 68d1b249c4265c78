"""Evidence, search and duplicates in a real browser on a phone-sized screen.

A citizen attaches a file that is not accepted: the form says so beside the file field and
keeps what was typed; with a real photo carrying GPS data the report goes through and the
stored photo has no GPS left. A coordinator then finds the report by a Thai word on the queue
page, sees the earlier report about the same canal under "possible duplicates" and links the
two. Screenshots are kept in ``test-artifacts/``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings

import pytest
from PIL import Image

from sujarit.accounts.models import User
from sujarit.accounts.testing import verified_client
from sujarit.cases.models import Case
from sujarit.cases.models_duplicates import CaseLink
from sujarit.evidence.models import EvidenceFile
from sujarit.evidence.storage import read_sealed
from sujarit.evidence.tests.samples import jpeg_with_gps
from sujarit.web.testing import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DESCRIPTION = "ผู้รับเหมาขุดลอกคลองสาธารณะไม่ครบตามสัญญา ผักตบชวายังเต็มคลอง แต่เบิกเงินไปแล้ว"


def test_a_citizen_attaches_a_photo_and_a_refused_file_keeps_the_form(
    browser: Any, live_server: Any, cases_area: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(locale="th-TH", viewport=PHONE)
    page.goto(f"{live_server.url}/report/")
    page.get_by_label("การทุจริตหรือประพฤติมิชอบของเจ้าหน้าที่รัฐ").check()
    page.get_by_label("เกิดอะไรขึ้น").fill(DESCRIPTION)
    page.get_by_label("ตำบล", exact=True).select_option("240101")
    page.get_by_label("ไม่เปิดเผยตัวตน: ไม่เก็บข้อมูลติดต่อใด ๆ").check()

    # A text file named like a photo: the type is read from the content, not the name.
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(b"this is not a picture at all\n" * 10)
    files = page.locator('input[type="file"][name="evidence"]')
    files.set_input_files(str(fake))
    page.get_by_role("button", name="ส่งเรื่อง", exact=True).click()
    # Said beside the file field (and in the summary at the top), in Thai.
    expect(page.locator("#id_evidence_error")).to_contain_text("เป็นไฟล์ประเภทที่ระบบไม่รับ")
    expect(page.get_by_label("เกิดอะไรขึ้น")).to_have_value(DESCRIPTION)
    assert Case.objects.count() == 0 and EvidenceFile.objects.count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "citizen-evidence-refused.png"), full_page=True)

    photo = tmp_path / "canal.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.locator('input[type="file"][name="evidence"]').set_input_files(str(photo))
    page.get_by_label("ไม่เปิดเผยตัวตน: ไม่เก็บข้อมูลติดต่อใด ๆ").check()
    page.get_by_role("button", name="ส่งเรื่อง", exact=True).click()
    expect(page.locator("h1")).to_have_text("เราได้รับเรื่องของคุณแล้ว")

    stored = EvidenceFile.objects.get()
    assert stored.case.description == DESCRIPTION
    clear = read_sealed(stored.storage_name, context=f"evidence:{stored.uuid}")
    with Image.open(io.BytesIO(clear)) as image:
        assert image.format == "JPEG"
        assert image.getexif().get_ifd(0x8825) == {}


def test_a_coordinator_searches_in_thai_and_links_a_duplicate(
    browser: Any, live_server: Any, case_factory: Any, coordinator: User
) -> None:
    from playwright.sync_api import expect

    earlier = case_factory(description=DESCRIPTION)
    case_factory(description="ไฟฟ้าส่องสว่างริมถนนดับทั้งซอยมาสามเดือน แจ้งเทศบาลแล้วไม่มีใครมาซ่อม")
    newer = case_factory(
        description="ผู้รับเหมาขุดลอกคลองสาธารณะไม่ครบตามสัญญา แต่เบิกเงินไปแล้ว ผักตบชวายังเต็มคลองอยู่เลย"
    )

    session = verified_client(coordinator).cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(locale="th-TH", viewport={"width": 360, "height": 740})
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/cases/")
    page.get_by_role("searchbox").fill("ผักตบชวา")
    page.get_by_role("button", name="ค้นหา", exact=True).click()
    expect(page.get_by_role("link", name=newer.reference)).to_be_visible()
    expect(page.get_by_role("link", name=earlier.reference)).to_be_visible()
    assert page.locator("tbody tr:not(.snippet)").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(ARTIFACTS / "staff-search-360.png"), full_page=True)

    page.get_by_role("link", name=newer.reference).click()
    panel = page.locator("section", has=page.get_by_role("heading", name="เรื่องที่อาจซ้ำกัน"))
    expect(panel.get_by_role("link", name=earlier.reference)).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "staff-duplicates-360.png"), full_page=True)
    panel.get_by_role("button", name="เชื่อมโยง", exact=True).first.click()
    expect(page.get_by_text("เชื่อมโยงแล้ว", exact=True).first).to_be_visible()
    assert CaseLink.objects.count() == 1
