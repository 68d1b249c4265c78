"""The public pages of published cases: only what a coordinator approved, never identities,
descriptions, evidence or staff names; unpublished cases absent; bounded queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.test import Client

import pytest
from pytest_django import DjangoAssertNumQueries

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.cases.actions.publication import publish_case, unpublish_case
from sujarit.cases.actions.triage import add_internal_note, refer_case
from sujarit.cases.models import Case, CaseStatus
from sujarit.cases.tests.staff_support import html, main_html, put_in, serve_province

pytestmark = pytest.mark.django_db

S = CaseStatus
DESCRIPTION = "ผู้ใหญ่บ้านหมู่ 4 เรียกเงิน 500 บาทจากนางสาวมะลิ ก่อนลงนามหนังสือรับรองที่ดิน"
NAME = "นางสมศรี ใจดี"
BANGKOK = ZoneInfo("Asia/Bangkok")


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def published(
    case_factory: Callable[..., Case], coordinator: User, agency_a: Agency
) -> Callable[..., Case]:
    serve_province(agency_a)

    def make(
        title: str = "Fees for a free certificate", status: str = S.SCREENING, **fields: object
    ) -> Case:
        case = put_in(case_factory(description=DESCRIPTION, **fields), S.SCREENING)
        add_internal_note(case=case, note="internal staff words", by=coordinator)
        refer_case(case=case, agencies=[agency_a], by=coordinator, override_reason="staff reason")
        if status != S.SCREENING:
            put_in(case, status)
        publish_case(
            case=case,
            by=coordinator,
            title=title,
            summary="A village office asked for a fee no rule sets.",
            outcome="The fee was refunded.",
        )
        return case

    return make


def test_the_list_shows_published_cases_only(
    client: Client,
    published: Callable[..., Case],
    case_factory: Callable[..., Case],
    coordinator: User,
) -> None:
    shown = published(title="Fees for a free certificate")
    hidden = published(title="Taken down again")
    unpublish_case(case=hidden, by=coordinator)
    never = put_in(case_factory(description="never published words"), S.REFERRED)
    response = english(client).get("/published/")
    assert response.status_code == 200
    page = main_html(response)
    assert "Fees for a free certificate" in page
    assert f"/published/{shown.pk}/" in page
    assert "Taken down again" not in page and f"/published/{hidden.pk}/" not in page
    assert f"/published/{never.pk}/" not in page and "never published words" not in page
    assert "Test agency A" in page
    assert "Referred to an agency" in page


def test_nothing_private_reaches_the_public_pages(
    client: Client, published: Callable[..., Case], coordinator: User
) -> None:
    case = published()
    for url in ("/published/", f"/published/{case.pk}/", "/published/figures/"):
        for language in ("th", "en"):
            client.cookies["django_language"] = language
            page = html(client.get(url))
            assert DESCRIPTION not in page and "มะลิ" not in page
            assert NAME not in page and "0812345678" not in page
            assert coordinator.username not in page
            assert "internal staff words" not in page and "staff reason" not in page
            assert case.reference not in page


def test_the_case_page(client: Client, published: Callable[..., Case]) -> None:
    case = published(status=S.RESOLVED)
    Case.objects.filter(pk=case.pk).update(created_at=datetime(2025, 3, 16, 10, 0, tzinfo=BANGKOK))
    page = main_html(client.get(f"/published/{case.pk}/"))
    assert "Fees for a free certificate" in page
    assert "A village office asked for a fee no rule sets." in page
    assert "The fee was refunded." in page
    # The month it was received, not the day.
    assert "มีนาคม 2568" in page and "16 มีนาคม 2568" not in page
    assert "หน่วยงานทดสอบ ก" in page


def test_unpublished_and_unknown_cases_are_not_found(
    client: Client,
    published: Callable[..., Case],
    case_factory: Callable[..., Case],
    coordinator: User,
) -> None:
    case = published()
    unpublish_case(case=case, by=coordinator)
    never = case_factory()
    for pk in (case.pk, never.pk, 999999):
        assert client.get(f"/published/{pk}/").status_code == 404


def test_demo_cases_are_labelled(client: Client, published: Callable[..., Case]) -> None:
    case = published(is_demo=True)
    page = main_html(english(client).get("/published/"))
    assert '<span class="badge demo">demo</span>' in page
    detail = main_html(client.get(f"/published/{case.pk}/"))
    assert "This is a generated demonstration case, not a real one." in detail


def test_figures_count_published_cases_by_kind_status_subdistrict_and_month(
    client: Client, published: Callable[..., Case], case_factory: Callable[..., Case]
) -> None:
    a = published(kind="corruption", subdistrict="240101")
    b = published(kind="corruption", subdistrict="240101", status=S.RESOLVED)
    c = published(kind="grievance", subdistrict="240102", status=S.RESOLVED)
    Case.objects.filter(pk__in=[a.pk, b.pk]).update(
        created_at=datetime(2025, 1, 10, tzinfo=BANGKOK)
    )
    Case.objects.filter(pk=c.pk).update(created_at=datetime(2025, 2, 10, tzinfo=BANGKOK))
    put_in(case_factory(kind="election_fraud"), S.REFERRED)  # not published: not counted
    response = english(client).get("/published/figures/")
    assert response.status_code == 200
    page = main_html(response)
    assert "3 cases have been published." in page

    def table(slug: str) -> list[tuple[str, str]]:
        section = page.split(f'id="figures-{slug}"')[1].split("</section>")[0]
        body = section.split("<tbody>")[1].split("</tbody>")[0]
        rows = []
        for row in body.split("<tr>")[1:]:
            cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
            rows.append((cells[0], cells[1]))
        return rows

    assert table("kind") == [
        ("Corruption or misconduct by an official", "2"),
        ("Grievance about a public service", "1"),
    ]
    assert table("status") == [("Resolved", "2"), ("Referred to an agency", "1")]
    assert table("subdistrict") == [
        ("Na Mueang · Mueang Chachoengsao", "2"),
        ("Tha Khai · Mueang Chachoengsao", "1"),
    ]
    assert table("month") == [("January 2025", "2"), ("February 2025", "1")]
    # Each dimension also drawn as bars in an inline SVG.
    assert page.count('<svg class="chart"') == 4
    assert page.count('<rect class="bar"') == 2 + 2 + 2 + 2


def test_figures_without_published_cases(client: Client, cases_area: str) -> None:
    page = main_html(english(client).get("/published/figures/"))
    assert "0 cases have been published." in page
    assert "<svg" not in page


def test_the_list_is_paged(client: Client, published: Callable[..., Case]) -> None:
    for number in range(22):
        published(title=f"Published case number {number}")
    first = main_html(english(client).get("/published/"))
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = main_html(client.get("/published/", {"page": 2}))
    assert second.count('<h2><a href="/published/') == 2


def test_list_query_count_is_bounded(
    client: Client,
    published: Callable[..., Case],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for number in range(12):
        published(title=f"Case {number}")
    # The site's shell (three queries) plus the count, the page and the agencies.
    with django_assert_max_num_queries(6):
        response = client.get("/published/")
    assert main_html(response).count('<h2><a href="/published/') == 12
    # The shell, the province, and one grouped count per dimension.
    with django_assert_max_num_queries(8):
        client.get("/published/figures/")
