"""Every agency-side page and endpoint, for every persona: who gets in, who is refused, and
how. Chai (officer_a) works for the agency the case is referred to; Dao (officer_b) for
another agency, so Chai's referral does not exist for her (404). Alice handles the case; Bob
is another coordinator (a custodian for it)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

import pytest

from sujarit.accounts.models import User
from sujarit.accounts.queries import AnyUser
from sujarit.cases.actions.identity import request_identity
from sujarit.cases.models import Identity, IdentityRequest, Referral, ReferralStatus
from sujarit.cases.queries import can_see_identity, complainant_for
from sujarit.cases.tests.agency_support import refer

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "outsider",
    "coordinator",
    "officer_a",
    "officer_b",
    "auditor",
    "admin_user",
]
LOGIN = "login"  # a redirect to the login page


@pytest.fixture
def referral(case_factory, coordinator, agency_a):
    case = case_factory(identity=Identity.CONFIDENTIAL)
    case.assigned_to = coordinator
    case.save(update_fields=["assigned_to"])
    (referral,) = refer(case, agency_a, by=coordinator)
    return referral


def client_for(request: pytest.FixtureRequest, persona: str) -> Client:
    if persona == "anonymous":
        return Client()
    user = request.getfixturevalue(persona)
    client: Client = request.getfixturevalue("verified_client")(user)
    return client


def check(response: Any, expected: int | str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, response.content[:300]


GET_PAGES: dict[str, dict[str, int | str]] = {
    "inbox": {
        "anonymous": LOGIN,
        "outsider": 403,
        "coordinator": 403,
        "officer_a": 200,
        "officer_b": 200,
        "auditor": 403,
        "admin_user": 403,
    },
    "referral": {
        "anonymous": LOGIN,
        "outsider": 403,
        "coordinator": 403,
        "officer_a": 200,
        "officer_b": 404,
        "auditor": 403,
        "admin_user": 403,
    },
    "identity-requests": {
        "anonymous": LOGIN,
        "outsider": 403,
        "coordinator": 200,
        "officer_a": 403,
        "officer_b": 403,
        "auditor": 403,
        "admin_user": 200,
    },
    "agency-figures": {
        "anonymous": LOGIN,
        "outsider": 403,
        "coordinator": 200,
        "officer_a": 200,
        "officer_b": 200,
        "auditor": 200,
        "admin_user": 200,
    },
}


def page_url(name: str, referral: Referral) -> str:
    if name == "referral":
        return reverse("cases:referral", args=[referral.pk])
    return reverse(f"cases:{name}")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(GET_PAGES))
def test_get_pages(request, referral, name, persona):
    client = client_for(request, persona)
    url = page_url(name, referral)
    check(client.get(url), GET_PAGES[name][persona])
    # The pages only read: a POST is refused whoever sends it.
    if persona != "anonymous":
        assert client.post(url).status_code == 405


ANSWERS = {
    "referral-acknowledge": {},
    "referral-progress": {"public_note": "ลงพื้นที่แล้ว"},
    "referral-resolve": {"outcome": "แก้ไขแล้ว"},
    "referral-decline": {"reason": "ไม่อยู่ในอำนาจ"},
    "referral-identity-request": {"reason": "ต้องสอบปากคำ"},
}
ANSWER_STATUS: dict[str, int | str] = {
    "anonymous": LOGIN,
    "outsider": 403,
    "coordinator": 403,
    "officer_a": 302,
    "officer_b": 404,
    "auditor": 403,
    "admin_user": 403,
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(ANSWERS))
def test_answer_buttons(request, referral, name, persona):
    if name == "referral-progress":
        referral.status = ReferralStatus.ACKNOWLEDGED
        referral.save(update_fields=["status"])
    before = referral.status
    client = client_for(request, persona)
    url = reverse(f"cases:{name}", args=[referral.pk])
    check(client.post(url, ANSWERS[name]), ANSWER_STATUS[persona])
    referral.refresh_from_db()
    changed = referral.status != before or IdentityRequest.objects.exists()
    assert changed is (persona == "officer_a")
    if persona != "anonymous":
        assert client.get(url).status_code == 405


DECIDE_STATUS: dict[str, int | str] = {
    "anonymous": LOGIN,
    "outsider": 403,
    "coordinator": 403,  # Alice handles the case: not its custodian
    "other_coordinator": 302,
    "officer_a": 403,
    "officer_b": 403,
    "auditor": 403,
    "admin_user": 302,
}


@pytest.mark.parametrize("persona", list(DECIDE_STATUS))
def test_identity_decision(request, referral, officer_a, persona):
    pending = request_identity(referral=referral, reason="ต้องสอบปากคำ", by=officer_a)
    client = client_for(request, persona)
    url = reverse("cases:identity-request-decide", args=[pending.pk])
    check(client.post(url, {"decision": "approve"}), DECIDE_STATUS[persona])
    pending.refresh_from_db()
    decided = pending.status == IdentityRequest.Status.APPROVED
    assert decided is (DECIDE_STATUS[persona] == 302)
    if persona != "anonymous":
        assert client.get(url).status_code == 405


def test_a_custodian_gets_404_for_a_request_that_does_not_exist(verified_client, admin_user):
    url = reverse("cases:identity-request-decide", args=[999_999])
    assert verified_client(admin_user).post(url, {"decision": "deny"}).status_code == 404


def test_an_officer_gets_404_for_a_referral_that_does_not_exist(verified_client, officer_a):
    assert (
        verified_client(officer_a).get(reverse("cases:referral", args=[999_999])).status_code == 404
    )


API_STATUS = {
    "anonymous": 401,
    "outsider": 403,
    "coordinator": 200,
    "officer_a": 200,
    "officer_b": 200,
    "auditor": 200,
    "admin_user": 200,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_figures_api(request, referral, persona):
    client = client_for(request, persona)
    response = client.get("/api/v1/figures/agencies")
    assert response.status_code == API_STATUS[persona]
    assert client.post("/api/v1/figures/agencies").status_code == 405


# --- identity visibility --------------------------------------------------------------------

#: Who may read the complainant of a confidential case referred to agency A.
WITHOUT_CONSENT = {
    "anonymous": False,
    "outsider": False,
    "coordinator": True,
    "officer_a": False,
    "officer_b": False,
    "auditor": False,
    "admin_user": False,
}
WITH_CONSENT = {**WITHOUT_CONSENT, "officer_a": True}


def user_for(request: pytest.FixtureRequest, persona: str) -> AnyUser:
    if persona == "anonymous":
        return AnonymousUser()
    user: User = request.getfixturevalue(persona)
    return user


@pytest.mark.parametrize("persona", PERSONAS)
def test_identity_without_consent(request, referral, persona):
    user = user_for(request, persona)
    assert can_see_identity(user, referral.case) is WITHOUT_CONSENT[persona]
    assert (complainant_for(user, referral.case) is not None) is WITHOUT_CONSENT[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_identity_with_consent(request, case_factory, coordinator, agency_a, persona):
    case = case_factory(identity=Identity.NAMED, consent_to_disclose=True)
    refer(case, agency_a, by=coordinator)
    user = user_for(request, persona)
    assert can_see_identity(user, case) is WITH_CONSENT[persona]
    assert (complainant_for(user, case) is not None) is WITH_CONSENT[persona]
