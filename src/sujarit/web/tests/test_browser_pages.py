"""Pages in a real browser: progressive enhancement with htmx under the site's CSP."""

from __future__ import annotations

from typing import Any

import pytest

from sujarit.agencies.models import Agency, AgencyKind
from sujarit.web.testing import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agency_search_filters_as_the_user_types_without_reloading(
    browser: Any, live_server: Any, geo_data: object
) -> None:
    from playwright.sync_api import expect

    for code, kind, name in [
        ("damrongtham-24", AgencyKind.DAMRONGTHAM, "ศูนย์ดำรงธรรมจังหวัดฉะเชิงเทรา"),
        ("nacc", AgencyKind.NACC, "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ"),
    ]:
        Agency.objects.create(
            code=code, kind=kind, level=Agency.Level.PROVINCIAL, province_id="24", name_th=name
        )
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text))
    page.goto(f"{live_server.url}/agencies/")
    expect(page.get_by_role("link", name="ศูนย์ดำรงธรรมจังหวัดฉะเชิงเทรา")).to_be_visible()
    # A marker on the window survives only if the page is not reloaded.
    page.evaluate("window.sujaritMarker = 1")

    page.get_by_role("searchbox").fill("ดำรงธรรม")

    expect(
        page.get_by_role("link", name="สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ")
    ).to_have_count(0)
    expect(page.get_by_role("link", name="ศูนย์ดำรงธรรมจังหวัดฉะเชิงเทรา")).to_be_visible()
    assert page.evaluate("window.sujaritMarker") == 1
    assert "q=" in page.url
    assert not [e for e in errors if "Content Security Policy" in e], errors
    page.screenshot(path=str(ARTIFACTS / "agency-search.png"), full_page=True)
