"""A real browser: a coordinator records an activity on the staff page, and the plan's
progress bar moves. Screenshots at phone width are kept in ``test-artifacts/``."""

from __future__ import annotations

from typing import Any

import pytest

from sujarit.accounts.models import User
from sujarit.accounts.testing import verified_client
from sujarit.network.tests.conftest import PlanSetup
from sujarit.web.testing import ARTIFACTS

pytestmark = pytest.mark.browser


def logged_in_page(browser: Any, live_server: Any, user: User) -> Any:
    client = verified_client(user)
    context = browser.new_context(locale="th-TH", viewport={"width": 360, "height": 780})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def test_recording_an_activity_moves_the_plans_progress_bar(
    browser: Any, live_server: Any, plan_setup: PlanSetup, people: dict[str, User]
) -> None:
    from playwright.sync_api import expect

    page = logged_in_page(browser, live_server, people["malee"])
    plan_url = f"{live_server.url}/network/plans/{plan_setup.plan.pk}/"
    page.goto(plan_url)
    bar = page.locator('progress[data-progress="plan"]')
    expect(bar).to_have_attribute("value", "0")

    page.goto(
        f"{live_server.url}/network/manage/activities/new/?plan_activity={plan_setup.trained.pk}"
    )
    expect(page.locator("h1")).to_have_text("บันทึกกิจกรรม")
    page.get_by_label("ชื่อเรื่อง").fill("อบรมหลักสูตรต้านทุจริต")
    page.get_by_label("ประเภท").select_option("training")
    page.get_by_label("วันที่", exact=True).fill("2025-11-20")
    page.locator('input[name="organizers"]').first.check()  # Na Mueang, her organization
    page.get_by_label("ประชาชนในพื้นที่").fill("30")
    page.get_by_label("เด็กและเยาวชน").fill("20")
    page.screenshot(path=str(ARTIFACTS / "network-record-activity.png"), full_page=True)
    page.get_by_role("button", name="บันทึกกิจกรรม").click()
    expect(page.locator(".message.success")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("อบรมหลักสูตรต้านทุจริต")

    page.goto(plan_url)
    # Pillar 1: (3 × 50 % + 1 × 0 %) / 4 = 37.5 %; pillar 4: 0 %; the plan: 19 %.
    expect(bar).to_have_attribute("value", "19")
    expect(page.locator(f'progress[data-progress="{plan_setup.trained.pk}"]')).to_have_attribute(
        "value", "50"
    )
    page.screenshot(path=str(ARTIFACTS / "network-plan-progress.png"), full_page=True)
