"""The auditors' pages: a case's audit trail without identities, and the chain's status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management import call_command
from django.test import Client

import pytest

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.audit.actions import record
from sujarit.audit.models import AuditEvent
from sujarit.audit.queries import case_trail
from sujarit.cases.actions.agency import acknowledge_referral
from sujarit.cases.actions.identity import request_identity
from sujarit.cases.actions.intake import submit_report
from sujarit.cases.models import Case, Identity, Referral
from sujarit.cases.testing import report_input
from sujarit.cases.tests.agency_support import refer

pytestmark = pytest.mark.django_db

NAME = "นางสมศรี ใจดี"
PHONE = "0812345678"


@pytest.fixture
def referral(
    cases_area: str, member: User, coordinator: User, officer_a: User, agency_a: Agency
) -> Referral:
    """A confidential report made by Malee on a monitoring visit, referred by Alice to agency
    A, acknowledged by Chai, who then asks who the complainant is."""
    case = submit_report(
        report=report_input(
            identity=Identity.CONFIDENTIAL, name=NAME, phone=PHONE, channel="visit"
        ),
        by=member,
    ).case
    (referral,) = refer(case, agency_a, by=coordinator)
    acknowledge_referral(referral=referral, by=officer_a)
    request_identity(referral=referral, reason="ต้องสอบปากคำผู้ร้อง", by=officer_a)
    return referral


def trail_url(case: Case) -> str:
    return f"/audit/cases/{case.pk}/"


def test_the_trail_holds_the_case_its_referral_and_identity_request(
    referral: Referral, case_factory: Callable[..., Case]
) -> None:
    other = case_factory()
    record(actor=None, action="unrelated.thing")
    actions = [entry.action for entry in case_trail(referral.case)]
    assert actions[0] == "case.submitted"
    assert "referral.acknowledged" in actions
    assert "identity.requested" in actions
    assert "unrelated.thing" not in actions
    assert all(
        entry.target_id != str(other.pk) or entry.target_type != "cases.case"
        for entry in case_trail(referral.case)
    )
    seqs = [entry.seq for entry in case_trail(referral.case)]
    assert seqs == sorted(seqs)


def test_the_trail_is_read_in_one_query(
    referral: Referral, django_assert_num_queries: Callable[[int], Any]
) -> None:
    with django_assert_num_queries(1):
        assert len(case_trail(referral.case)) == 3


def test_the_reporter_is_not_named_but_staff_are(
    referral: Referral, member: User, officer_a: User
) -> None:
    entries = {entry.action: entry for entry in case_trail(referral.case)}
    assert AuditEvent.objects.get(action="case.submitted").actor == member
    assert entries["case.submitted"].actor is None
    assert entries["referral.acknowledged"].actor == officer_a.username


def test_an_auditor_reads_the_trail_without_identities(
    referral: Referral, auditor: User, verified_client: Callable[[User], Client], member: User
) -> None:
    response = verified_client(auditor).get(trail_url(referral.case))
    assert response.status_code == 200
    page = response.content.decode()
    assert "case.submitted" in page and "identity.requested" in page
    assert "chai" in page
    for private in (NAME, PHONE, member.username, "ต้องสอบปากคำผู้ร้อง"):
        assert private not in page


def test_an_admin_reads_the_trail(
    referral: Referral, admin_user: User, verified_client: Callable[[User], Client]
) -> None:
    assert verified_client(admin_user).get(trail_url(referral.case)).status_code == 200


@pytest.mark.parametrize("persona", ["coordinator", "officer_a", "member"])
def test_other_roles_are_refused_the_trail(
    referral: Referral,
    persona: str,
    request: pytest.FixtureRequest,
    verified_client: Callable[[User], Client],
) -> None:
    user = request.getfixturevalue(persona)
    assert verified_client(user).get(trail_url(referral.case)).status_code == 403


def test_a_visitor_is_sent_to_sign_in(referral: Referral, client: Client) -> None:
    response = client.get(trail_url(referral.case))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_trail_of_a_case_that_does_not_exist_is_not_found(
    auditor: User, verified_client: Callable[[User], Client]
) -> None:
    assert verified_client(auditor).get("/audit/cases/999999/").status_code == 404


def test_the_case_page_links_the_trail_for_auditors_only(
    referral: Referral, auditor: User, coordinator: User, verified_client: Callable[[User], Client]
) -> None:
    case_url = f"/cases/{referral.case.pk}/"
    assert trail_url(referral.case) in verified_client(auditor).get(case_url).content.decode()
    assert (
        trail_url(referral.case) not in verified_client(coordinator).get(case_url).content.decode()
    )


def test_the_chain_page_shows_the_head_and_the_last_check(
    referral: Referral, auditor: User, verified_client: Callable[[User], Client]
) -> None:
    client = verified_client(auditor)
    page = client.get("/audit/").content.decode()
    head = AuditEvent.objects.order_by("-seq").first()
    assert head is not None and head.hash in page
    assert "/audit/" in client.get("/").content.decode()
    assert "check-ok" not in page
    call_command("audit", "verify")
    page = client.get("/audit/").content.decode()
    assert 'class="check-ok"' in page


def test_the_chain_page_is_for_auditors_and_admins(
    coordinator: User, admin_user: User, verified_client: Callable[[User], Client]
) -> None:
    assert verified_client(coordinator).get("/audit/").status_code == 403
    assert verified_client(admin_user).get("/audit/").status_code == 200
    assert 'href="/audit/"' not in verified_client(coordinator).get("/").content.decode()
