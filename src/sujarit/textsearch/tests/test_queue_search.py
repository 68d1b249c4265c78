"""The search box of the coordination centre's queue page: ranked results within the tab
and its filters, with the matching words marked, and nothing for people who may not see the
queues."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.test import Client

import pytest

from sujarit.accounts.models import User
from sujarit.cases.models import Case, CaseStatus
from sujarit.cases.tests.staff_support import main_html, put_in
from sujarit.textsearch.query import parse
from sujarit.textsearch.snippets import snippet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_search(settings: Any, tmp_path: Path) -> None:
    # The page is the same whichever backend answers; the backends have their own tests.
    settings.SUJARIT_SEARCH_BACKEND = "database"
    settings.SUJARIT_SEARCH_INDEX_DIR = tmp_path / "index"


def test_search_box_finds_thai_words_and_marks_them(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    canal = case_factory(description="ผักตบชวาเต็มคลองท่าตะเกียบ ไม่มีการขุดลอกมาสองปี")
    road = case_factory(description="ถนนลูกรังชำรุด")
    response = verified_client(coordinator).get("/cases/", {"q": "ผักตบชวา"})
    assert response.status_code == 200
    page = main_html(response)
    assert canal.reference in page
    assert road.reference not in page
    assert "<mark>ผักตบชวา</mark>" in page


def test_search_keeps_the_tab_and_filters(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    new = case_factory(description="ไฟฟ้าดับทั้งหมู่บ้าน", kind="grievance")
    screening = put_in(
        case_factory(description="ไฟฟ้าดับบ่อย", kind="grievance"), CaseStatus.SCREENING
    )
    corruption = case_factory(description="ไฟฟ้าดับเพราะเจ้าหน้าที่ขโมยสายไฟ", kind="corruption")
    client = verified_client(coordinator)
    page = main_html(client.get("/cases/", {"q": "ไฟฟ้าดับ", "tab": "new", "kind": "grievance"}))
    assert new.reference in page
    assert screening.reference not in page  # another tab
    assert corruption.reference not in page  # another kind
    # The search words travel with the tab links, and the filters with the search form.
    assert "q=%E0%B9%84%E0%B8%9F%E0%B8%9F%E0%B9%89%E0%B8%B2%E0%B8%94%E0%B8%B1%E0%B8%9A" in page
    assert 'name="kind" value="grievance"' in page


def test_search_results_in_english(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    case = case_factory(description="Road repair money went missing ถนนไม่ได้ซ่อม")
    client = verified_client(coordinator)
    client.cookies["django_language"] = "en"
    page = main_html(client.get("/cases/", {"q": "road", "tab": "all"}, HTTP_ACCEPT_LANGUAGE="en"))
    assert case.reference in page
    assert "best match first" in page


def test_search_with_no_match_says_so(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    case_factory(description="ถนนลูกรังชำรุด")
    client = verified_client(coordinator)
    client.cookies["django_language"] = "en"
    page = main_html(client.get("/cases/", {"q": "เรือดำน้ำ"}, HTTP_ACCEPT_LANGUAGE="en"))
    assert 'class="queue"' not in page
    assert "No case in this queue matches the search." in page


def test_officer_cannot_use_the_queue_search(
    verified_client: Callable[[User], Client], officer_a: User, case_factory: Callable[..., Case]
) -> None:
    case_factory(description="ผักตบชวาเต็มคลอง")
    response = verified_client(officer_a).get("/cases/", {"q": "ผักตบชวา"})
    assert response.status_code == 403


def test_anonymous_visitor_is_sent_to_log_in(client: Client) -> None:
    response = client.get("/cases/", {"q": "ผักตบชวา"})
    assert response.status_code == 302


def test_snippet_escapes_the_text_and_marks_the_term() -> None:
    text = "<b>ก่อน</b> " + "ก" * 100 + " ผักตบชวา ๑๐๐ ตัน " + "ข" * 100
    marked = snippet(text, parse("ผักตบชวา"))
    assert "<mark>ผักตบชวา</mark>" in marked
    assert "<b>" not in marked and marked.startswith("…") and marked.endswith("…")
    assert "<mark>๑๐๐</mark>" in snippet(text, parse("100"))
    assert snippet("<i>x</i>", parse("ไม่พบ")) == "&lt;i&gt;x&lt;/i&gt;"
