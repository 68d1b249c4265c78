"""A real browser: the site in Thai, the switch to English, and a staff login with its code.

Debian's Chromium is driven through Playwright's executable path, so no browser is ever
downloaded. A screenshot of the logged-in page is kept in ``test-artifacts/``.
"""

from __future__ import annotations

from typing import Any

import pytest

from sujarit.accounts.models import User
from sujarit.accounts.testing import confirmed_totp_device, give_password, totp_token
from sujarit.web.testing import ARTIFACTS

pytestmark = pytest.mark.browser

SCREENSHOT = ARTIFACTS / "browser-login.png"


def test_coordinator_logs_in_with_password_and_code_after_switching_to_english(
    browser: Any, live_server: Any, coordinator: User, geo_data: object
) -> None:
    from playwright.sync_api import expect

    password = give_password(coordinator)
    device = confirmed_totp_device(coordinator)
    page = browser.new_page(locale="th-TH", viewport={"width": 390, "height": 844})
    html = page.locator("html")

    page.goto(f"{live_server.url}/")
    expect(html).to_have_attribute("lang", "th")
    expect(page.locator("h1")).to_contain_text("ฉะเชิงเทรา")
    expect(page.get_by_role("heading", name="อำเภอและตำบล")).to_be_visible()
    page.screenshot(path=str(SCREENSHOT.with_name("browser-home-th.png")), full_page=True)

    page.locator('form.lang-switch button[name="language"]').click()
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Chachoengsao")

    page.locator('a[href$="/accounts/login/"]').first.click()
    expect(page.locator("h1")).to_have_text("Log in")

    page.get_by_label("Username").fill(coordinator.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()

    expect(page.locator("h1")).to_have_text("Two-step login")
    code_field = page.get_by_label("6-digit code from your authenticator app")
    expect(code_field).to_have_attribute("autocomplete", "one-time-code")
    code_field.fill(totp_token(device))
    page.get_by_role("button", name="Verify", exact=True).click()

    expect(page.locator('a[href$="/accounts/me/"]')).to_have_text(coordinator.username)
    expect(page.locator('form[action$="/accounts/logout/"] button')).to_be_visible()
    assert "/two-factor/" not in page.url
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 0
