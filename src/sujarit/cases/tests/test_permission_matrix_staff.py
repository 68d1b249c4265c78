"""Who may open each page of the coordination centre and the public case pages, and who may
post each action: every role against every URL, with the status each must get."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.test import Client

import pytest

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.audit.models import AuditEvent
from sujarit.cases.actions.publication import publish_case
from sujarit.cases.actions.triage import refer_case
from sujarit.cases.models import Case, CaseStatus, Referral
from sujarit.cases.tests.staff_support import html, put_in, serve_province
from sujarit.cases.views.staff import ACTIONS

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "outsider",
    "member",
    "coordinator",
    "officer_a",
    "officer_b",
    "auditor",
    "admin_user",
]
LOGIN = 302


@dataclass
class World:
    """A case referred to agency A (so officer A may open it, officer B may not), its
    referral, a published case and an unpublished one."""

    case: Case
    referral: Referral
    published: Case
    unpublished: Case


@pytest.fixture
def world(
    case_factory: Callable[..., Case],
    coordinator: User,
    agency_a: Agency,
    agency_b: Agency,
    officer_a: User,
    officer_b: User,
) -> World:
    serve_province(agency_a, agency_b)
    case = put_in(case_factory(accused_rank="official"), CaseStatus.SCREENING)
    (referral,) = refer_case(case=case, agencies=[agency_a], by=coordinator, override_reason="A")
    published = put_in(case_factory(), CaseStatus.REFERRED)
    publish_case(
        case=published, by=coordinator, title="Public title", summary="Summary", outcome=""
    )
    unpublished = put_in(case_factory(), CaseStatus.REFERRED)
    return World(case=case, referral=referral, published=published, unpublished=unpublished)


def _client(role: str, request: pytest.FixtureRequest) -> Client:
    if role == "anonymous":
        return Client()
    verified_client = request.getfixturevalue("verified_client")
    return verified_client(request.getfixturevalue(role))  # type: ignore[no-any-return]


PAGES: dict[str, dict[str, int]] = {
    "queue": dict(
        anonymous=LOGIN,
        outsider=403,
        member=403,
        coordinator=200,
        officer_a=403,
        officer_b=403,
        auditor=200,
        admin_user=200,
    ),
    "case": dict(
        anonymous=LOGIN,
        outsider=404,
        member=404,
        coordinator=200,
        officer_a=200,
        officer_b=404,
        auditor=200,
        admin_user=200,
    ),
    "letter": dict(
        anonymous=LOGIN,
        outsider=404,
        member=404,
        coordinator=200,
        # The agency the letter is addressed to reads it too.
        officer_a=200,
        officer_b=404,
        auditor=403,
        admin_user=403,
    ),
    "published": {role: 200 for role in ROLES},
    "published-case": {role: 200 for role in ROLES},
    "published-stats": {role: 200 for role in ROLES},
    "unpublished-case": {role: 404 for role in ROLES},
}


def _url(page: str, world: World) -> str:
    return {
        "queue": "/cases/",
        "case": f"/cases/{world.case.pk}/",
        "letter": f"/cases/{world.case.pk}/referrals/{world.referral.pk}/letter/",
        "published": "/published/",
        "published-case": f"/published/{world.published.pk}/",
        "published-stats": "/published/figures/",
        "unpublished-case": f"/published/{world.unpublished.pk}/",
    }[page]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(PAGES))
def test_pages(page: str, role: str, world: World, request: pytest.FixtureRequest) -> None:
    response = _client(role, request).get(_url(page, world))
    assert response.status_code == PAGES[page][role]
    if response.status_code == LOGIN:
        assert response["Location"].startswith("/accounts/login/?next=")


#: Posting any action on the case: only coordinators get past the access checks.
POST_EXPECTED = dict(
    anonymous=LOGIN,
    outsider=404,
    member=404,
    officer_a=403,
    officer_b=404,
    auditor=403,
    admin_user=403,
)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_actions(action: str, role: str, world: World, request: pytest.FixtureRequest) -> None:
    client = _client(role, request)
    case_events = AuditEvent.objects.filter(target_type="cases.case")
    before = (Case.objects.get(pk=world.case.pk).status, case_events.count())
    response = client.post(f"/cases/{world.case.pk}/{action}/", {})
    if role == "coordinator":
        # Past the access checks: the empty form is refused (400) or a button acts (302).
        assert response.status_code in (302, 400)
        return
    assert response.status_code == POST_EXPECTED[role]
    # Nothing changed for anybody refused.
    assert (Case.objects.get(pk=world.case.pk).status, case_events.count()) == before


@pytest.mark.parametrize("action", list(ACTIONS))
def test_actions_are_posts(
    action: str, world: World, coordinator: User, verified_client: Callable[[User], Client]
) -> None:
    assert verified_client(coordinator).get(f"/cases/{world.case.pk}/{action}/").status_code == 405


def test_an_unknown_case_or_referral_is_not_found(
    world: World, coordinator: User, verified_client: Callable[[User], Client]
) -> None:
    client = verified_client(coordinator)
    assert client.get("/cases/999999/").status_code == 404
    assert client.post("/cases/999999/note/", {"note-note": "x"}).status_code == 404
    other = put_in(world.unpublished, CaseStatus.REFERRED)
    assert client.get(f"/cases/{other.pk}/referrals/{world.referral.pk}/letter/").status_code == 404


@pytest.mark.parametrize(
    ("role", "consent", "sees"),
    [
        ("coordinator", False, True),
        ("coordinator", True, True),
        ("auditor", True, False),
        ("admin_user", True, False),
        ("officer_a", False, False),
        ("officer_a", True, True),
    ],
)
def test_identity_visibility_on_the_case_page(
    role: str,
    consent: bool,
    sees: bool,
    request: pytest.FixtureRequest,
    case_factory: Callable[..., Case],
    coordinator: User,
    agency_a: Agency,
) -> None:
    serve_province(agency_a)
    case = put_in(
        case_factory(accused_rank="official", consent_to_disclose=consent), CaseStatus.SCREENING
    )
    refer_case(case=case, agencies=[agency_a], by=coordinator, override_reason="A")
    page = html(_client(role, request).get(f"/cases/{case.pk}/"))
    assert ("นางสมศรี ใจดี" in page) is sees
    assert ("0812345678" in page) is sees
