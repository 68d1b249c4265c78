"""The queue page: tabs, filters and paging links, read-only for auditors, and a number of
queries that does not grow with the number of rows."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

import pytest
from pytest_django import DjangoAssertNumQueries

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.cases import queues
from sujarit.cases.models import Case, CaseStatus, Referral
from sujarit.cases.tests.staff_support import main_html, put_in

pytestmark = pytest.mark.django_db

S = CaseStatus


def test_new_cases_are_the_first_tab(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    new = case_factory()
    screening = put_in(case_factory(), S.SCREENING)
    response = verified_client(coordinator).get("/cases/")
    assert response.status_code == 200
    page = main_html(response)
    assert new.reference in page
    assert screening.reference not in page
    assert 'aria-current="page">ใหม่' in page


def test_tabs_and_filters_from_the_query_string(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    corruption = put_in(case_factory(kind="corruption", subdistrict="240101"), S.SCREENING)
    grievance = put_in(case_factory(kind="grievance", subdistrict="240201"), S.SCREENING)
    client = verified_client(coordinator)
    page = main_html(client.get("/cases/", {"tab": "screening", "kind": "grievance"}))
    assert grievance.reference in page and corruption.reference not in page
    page = main_html(client.get("/cases/", {"tab": "all", "district": "2401"}))
    assert corruption.reference in page and grievance.reference not in page
    # The other tabs keep the filters.
    assert 'href="?district=2401&amp;tab=new"' in page


def test_bad_filters_say_what_is_wrong_and_show_the_tab_unfiltered(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    case = case_factory()
    client = verified_client(coordinator)
    client.cookies["django_language"] = "en"
    response = client.get(
        "/cases/",
        {
            "received_from": "2025-03-10",
            "received_to": "2025-03-01",
            "subdistrict": "240201",
            "district": "2401",
        },
    )
    page = main_html(response)
    assert response.status_code == 200
    assert "The end date is before the start date." in page
    assert "This subdistrict is not in the chosen district." in page
    assert 'aria-describedby="id_received_to_error"' in page
    # What was typed stays in the form.
    assert 'value="2025-03-10"' in page
    assert case.reference in page


def test_paging_links(
    monkeypatch: pytest.MonkeyPatch,
    verified_client: Callable[[User], Client],
    coordinator: User,
    case_factory: Callable[..., Case],
) -> None:
    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    monkeypatch.setattr(queues.page_of, "__defaults__", ("", "", 2))
    cases = [case_factory() for _ in range(5)]
    client = verified_client(coordinator)
    first = main_html(client.get("/cases/", {"tab": "all"}))
    assert cases[-1].reference in first and cases[0].reference not in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    next_href = first.split('rel="next"')[0].rsplit('href="?', 1)[1].split('"')[0]
    second = main_html(client.get("/cases/?" + next_href.replace("&amp;", "&")))
    assert cases[-3].reference in second and cases[-1].reference not in second
    assert 'rel="prev"' in second and 'rel="next"' in second


def test_query_count_does_not_grow_with_rows(
    verified_client: Callable[[User], Client],
    coordinator: User,
    case_factory: Callable[..., Case],
    agency_a: Agency,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = verified_client(coordinator)

    def make(count: int) -> None:
        for _ in range(count):
            case = put_in(case_factory(), S.REFERRED)
            Referral.objects.create(
                case=case, agency=agency_a, referred_by=coordinator, referred_at=case.created_at
            )

    make(2)
    client.get("/cases/", {"tab": "awaiting"})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/cases/", {"tab": "awaiting"})
    make(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/cases/", {"tab": "awaiting"})
    assert main_html(response).count('href="/cases/') >= 22
