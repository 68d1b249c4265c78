"""The case page: what each role sees of a case, and the actions offered from its status."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client

import pytest

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.cases.actions import triage
from sujarit.cases.models import Case, CaseStatus, Message, Referral
from sujarit.cases.tests.staff_support import html, main_html, put_in, serve_province

pytestmark = pytest.mark.django_db

S = CaseStatus
NAME = "นางสมศรี ใจดี"
PHONE = "0812345678"


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def page_of(client: Client, case: Case) -> str:
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    return main_html(response)


def test_coordinator_sees_the_whole_case(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    case = case_factory(accused_rank="official", village="บ้านหนองน้ำ")
    triage.begin_screening(case=case, by=coordinator)
    triage.add_internal_note(case=case, note="Called the district office.", by=coordinator)
    Message.objects.create(
        case=case, at=case.created_at, sender=Message.Sender.COMPLAINANT, body="Any news?"
    )
    page = page_of(english(verified_client(coordinator)), case)
    assert case.description in page
    assert NAME in page and PHONE in page
    assert "บ้านหนองน้ำ" in page
    # Routing's proposal with its explanation (the rule and its facts).
    assert "pacc-official" in page
    # The timeline with the internal note; the messages with the reply form.
    assert "Called the district office." in page
    assert "Any news?" in page
    assert f'action="/cases/{case.pk}/reply/"' in page
    # Only the moves the workflow allows from screening.
    for allowed in ("refer", "network", "reject", "close"):
        assert f'action="/cases/{case.pk}/{allowed}/"' in page
    for refused in ("screen", "resolve", "reopen", "progress"):
        assert f'action="/cases/{case.pk}/{refused}/"' not in page


@pytest.mark.parametrize("persona", ["auditor", "admin_user"])
def test_auditors_and_administrators_read_without_identity_or_buttons(
    persona: str,
    request: pytest.FixtureRequest,
    verified_client: Callable[[User], Client],
    coordinator: User,
    case_factory: Callable[..., Case],
) -> None:
    user = request.getfixturevalue(persona)
    case = case_factory(accused_rank="official", consent_to_disclose=True)
    triage.add_internal_note(case=case, note="Called the district office.", by=coordinator)
    page = page_of(english(verified_client(user)), case)
    assert case.description in page
    assert NAME not in page and PHONE not in page
    assert "Identity hidden" in page
    assert "Called the district office." in page
    assert '<form method="post" action="/cases/' not in page


@pytest.mark.parametrize(("consent", "visible"), [(True, True), (False, False)])
def test_an_officer_sees_the_identity_only_with_consent(
    consent: bool,
    visible: bool,
    verified_client: Callable[[User], Client],
    coordinator: User,
    officer_a: User,
    agency_a: Agency,
    case_factory: Callable[..., Case],
) -> None:
    serve_province(agency_a)
    case = put_in(case_factory(accused_rank="official", consent_to_disclose=consent), S.SCREENING)
    triage.add_internal_note(case=case, note="internal words", by=coordinator)
    Message.objects.create(
        case=case, at=case.created_at, sender=Message.Sender.COMPLAINANT, body="message words"
    )
    triage.refer_case(case=case, agencies=[agency_a], by=coordinator, override_reason="test")
    page = page_of(english(verified_client(officer_a)), case)
    assert (NAME in page) is visible
    assert (PHONE in page) is visible
    assert ("Identity hidden" in page) is not visible
    # Agencies never read the centre's notes or the conversation with the complainant.
    assert "internal words" not in page and "message words" not in page
    assert '<form method="post"' not in page.split('class="lang-switch"')[-1]
    assert "alice" not in page


def test_anonymous_reports_say_so(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    case = case_factory(identity="anonymous", name="", phone="")
    page = page_of(english(verified_client(coordinator)), case)
    assert "No contact details are kept for an anonymous report." in page


def test_actions_follow_the_status(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    client = verified_client(coordinator)
    expected = {
        S.RECEIVED: {"screen"},
        S.REFERRED: {"resolve"},
        S.NETWORK: {"progress", "refer", "resolve"},
        S.RESOLVED: {"close", "reopen"},
        S.REJECTED: {"reopen"},
        S.CLOSED: set(),
    }
    moves = {"screen", "refer", "network", "progress", "resolve", "reject", "close", "reopen"}
    for status, allowed in expected.items():
        case = put_in(case_factory(), status)
        page = page_of(client, case)
        shown = {slug for slug in moves if f'action="/cases/{case.pk}/{slug}/"' in page}
        assert shown == allowed, status
        # A closed or rejected case is not routed again.
        assert (f'action="/cases/{case.pk}/reroute/"' in page) is (
            status not in (S.CLOSED, S.REJECTED)
        )


def test_refer_form_preselects_the_proposal_and_offers_other_agencies(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    case = put_in(case_factory(accused_rank="official"), S.SCREENING)
    proposal = case.proposals.get()
    page = page_of(english(verified_client(coordinator)), case)
    form = page.split(f'action="/cases/{case.pk}/refer/"')[1].split("</form>")[0]
    assert re.search(rf'value="{proposal.agency_id}"[^>]*checked', form)
    # Nothing else is ticked in advance.
    assert len(re.findall(r'name="refer-agencies"[^>]*checked', form)) == 1
    assert "Other agencies serving the province" in form
    assert "ศูนย์ดำรงธรรมจังหวัดฉะเชิงเทรา" in form
    # The admissibility checklist, with checkboxes for the items checked by hand.
    assert f'value="{proposal.agency_id}:pacc-rank"' in form
    assert "✓" in form and "✗" in form


def test_refer_through_the_page(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    case = put_in(case_factory(accused_rank="official"), S.SCREENING)
    proposal = case.proposals.get()
    client = english(verified_client(coordinator))
    response = client.post(
        f"/cases/{case.pk}/refer/",
        {
            "refer-agencies": [str(proposal.agency_id)],
            "refer-note": "Please look into the fee.",
            "refer-admissibility": [f"{proposal.agency_id}:pacc-rank"],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    referral = Referral.objects.get(case=case)
    assert referral.admissibility["pacc-rank"] is True
    assert referral.admissibility["pacc-time-limit"] is False
    response = client.get(f"/cases/{case.pk}/")
    assert "The case is referred." in html(response)
    assert f"/cases/{case.pk}/referrals/{referral.pk}/letter/" in main_html(response)


def test_override_without_reason_keeps_what_was_typed(
    verified_client: Callable[[User], Client],
    coordinator: User,
    agency_a: Agency,
    case_factory: Callable[..., Case],
) -> None:
    serve_province(agency_a)
    case = put_in(case_factory(accused_rank="official"), S.SCREENING)
    client = english(verified_client(coordinator))
    response = client.post(
        f"/cases/{case.pk}/refer/",
        {"refer-agencies": [str(agency_a.pk)], "refer-note": "typed note kept"},
    )
    assert response.status_code == 400
    page = main_html(response)
    assert "Say why you refer the case to other agencies than routing proposed." in page
    assert "typed note kept" in page
    assert (
        'aria-describedby="id_refer-override_reason_helptext id_refer-override_reason_error"'
        in page
    )
    assert not Referral.objects.filter(case=case).exists()


def test_a_refused_move_is_explained(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    case = put_in(case_factory(), S.CLOSED)
    client = english(verified_client(coordinator))
    response = client.post(
        f"/cases/{case.pk}/reject/", {"reject-reason": "x", "reject-public_note": "y"}
    )
    assert response.status_code == 400
    assert "A case cannot go from “Closed” to “Rejected”." in main_html(response)
    response = client.post(f"/cases/{case.pk}/screen/")
    assert response.status_code == 400
    assert "Screening has already started." in main_html(response)
    assert Case.objects.get(pk=case.pk).status == S.CLOSED


def test_missing_fields_are_errors_on_the_form(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    case = put_in(case_factory(), S.SCREENING)
    client = english(verified_client(coordinator))
    response = client.post(f"/cases/{case.pk}/reject/", {"reject-reason": "spam"})
    assert response.status_code == 400
    page = main_html(response)
    assert 'id="id_reject-public_note_error"' in page
    assert "spam</textarea>" in page
    assert Case.objects.get(pk=case.pk).status == S.SCREENING
