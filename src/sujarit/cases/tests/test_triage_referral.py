"""Referring a case: one referral per agency, routing's proposal or an override with a reason,
the acknowledgement deadline, the admissibility checklist as seen, and the identity released
only with the complainant's consent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.cases.actions import triage
from sujarit.cases.models import Case, CaseStatus, Referral, RoutingProposal
from sujarit.cases.tests.staff_support import (  # noqa: F401 (fixture)
    audit_events,
    in_english,
    put_in,
    serve_province,
)
from sujarit.cases.workflow import DEFAULT_SERVICE_DAYS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

S = CaseStatus
OVERRIDE = "Say why you refer the case to other agencies than routing proposed."


def _pacc(case: Case) -> Agency:
    proposal = RoutingProposal.objects.select_related("agency").get(case=case)
    assert proposal.agency is not None and proposal.agency.code == "pacc-region-2"
    return proposal.agency


@pytest.fixture
def screened(case_factory: Callable[..., Case]) -> Case:
    """A case about an official, proposed for PACC region 2, in screening."""
    return put_in(case_factory(accused_rank="official"), S.SCREENING)


def test_referring_to_the_proposed_agency(screened: Case, coordinator: User) -> None:
    pacc = _pacc(screened)
    now = timezone.now()
    (referral,) = triage.refer_case(
        case=screened, agencies=[pacc], by=coordinator, note="Please check the fee.", now=now
    )
    screened.refresh_from_db()
    assert screened.status == S.REFERRED
    assert referral.agency == pacc
    assert referral.was_proposed
    assert referral.override_reason == ""
    assert referral.note == "Please check the fee."
    assert referral.referred_by == coordinator
    assert referral.referred_at == now
    assert referral.due_at == now + timedelta(days=DEFAULT_SERVICE_DAYS[S.REFERRED])
    (event,) = audit_events("case.referred", screened)
    assert event.data == {
        "from": "screening",
        "to": "referred",
        "referrals": [referral.pk],
        "agencies": [pacc.pk],
        "proposed": [pacc.pk],
        "override": False,
        "identity_released": False,
    }


def test_choosing_another_agency_needs_a_reason(
    screened: Case, coordinator: User, agency_a: Agency
) -> None:
    serve_province(agency_a)
    with pytest.raises(ValidationError) as refused:
        triage.refer_case(case=screened, agencies=[agency_a], by=coordinator, override_reason=" ")
    assert refused.value.messages == [OVERRIDE]
    assert refused.value.code == "override_reason"
    assert Case.objects.get(pk=screened.pk).status == S.SCREENING
    assert not Referral.objects.filter(case=screened).exists()
    (referral,) = triage.refer_case(
        case=screened,
        agencies=[agency_a],
        by=coordinator,
        override_reason="The district office already holds the file.",
    )
    assert not referral.was_proposed
    assert referral.override_reason == "The district office already holds the file."
    assert audit_events("case.referred", screened)[0].data["override"] is True


def test_adding_an_agency_to_the_proposal_needs_a_reason(
    screened: Case, coordinator: User, agency_a: Agency
) -> None:
    serve_province(agency_a)
    pacc = _pacc(screened)
    with pytest.raises(ValidationError):
        triage.refer_case(case=screened, agencies=[pacc, agency_a], by=coordinator)
    referrals = triage.refer_case(
        case=screened, agencies=[pacc, agency_a], by=coordinator, override_reason="both act"
    )
    assert [(r.agency, r.was_proposed) for r in referrals] == [(pacc, True), (agency_a, False)]
    # The reason explains the decision as a whole, so every referral of it keeps it.
    assert {r.override_reason for r in referrals} == {"both act"}


def test_leaving_out_a_proposed_agency_needs_a_reason(
    screened: Case, coordinator: User, agency_a: Agency
) -> None:
    serve_province(agency_a)
    pacc = _pacc(screened)
    RoutingProposal.objects.create(
        case=screened,
        agency=agency_a,
        target_kind="other",
        rule_code="test-rule",
        created_at=timezone.now(),
    )
    assert triage.deviates_from_routing(screened, [pacc.pk])
    assert not triage.deviates_from_routing(screened, [pacc.pk, agency_a.pk])
    with pytest.raises(ValidationError) as refused:
        triage.refer_case(case=screened, agencies=[pacc], by=coordinator)
    assert refused.value.messages == [OVERRIDE]
    (referral,) = triage.refer_case(
        case=screened, agencies=[pacc], by=coordinator, override_reason="A has no powers here"
    )
    assert referral.was_proposed


def test_an_unrouted_case_is_referred_with_a_reason(
    case_factory: Callable[..., Case], coordinator: User, agency_a: Agency
) -> None:
    serve_province(agency_a)
    case = put_in(case_factory(), S.SCREENING)
    assert case.unrouted
    with pytest.raises(ValidationError):
        triage.refer_case(case=case, agencies=[agency_a], by=coordinator)
    triage.refer_case(case=case, agencies=[agency_a], by=coordinator, override_reason="no rule")
    assert Case.objects.get(pk=case.pk).status == S.REFERRED


def test_no_agency_or_an_agency_of_another_province_is_refused(
    screened: Case, coordinator: User, agency_b: Agency
) -> None:
    with pytest.raises(ValidationError) as refused:
        triage.refer_case(case=screened, agencies=[], by=coordinator)
    assert refused.value.messages == ["Choose at least one agency."]
    # Agency B serves no province.
    with pytest.raises(ValidationError) as refused:
        triage.refer_case(case=screened, agencies=[agency_b], by=coordinator, override_reason="x")
    assert refused.value.messages == ["Test agency B does not serve this province."]
    assert Case.objects.get(pk=screened.pk).status == S.SCREENING


def test_an_agency_already_referred_to_is_refused(
    screened: Case, coordinator: User, agency_a: Agency
) -> None:
    serve_province(agency_a)
    pacc = _pacc(screened)
    triage.refer_case(case=screened, agencies=[pacc], by=coordinator)
    put_in(screened, S.IN_PROGRESS)
    with pytest.raises(ValidationError) as refused:
        triage.refer_case(case=screened, agencies=[pacc], by=coordinator)
    assert refused.value.messages == [f"The case is already referred to {pacc.name}."]
    # A further agency from in progress: the earlier referral counts as chosen.
    (second,) = triage.refer_case(
        case=screened, agencies=[agency_a], by=coordinator, override_reason="also the province"
    )
    assert Referral.objects.filter(case=screened).count() == 2
    assert Case.objects.get(pk=screened.pk).status == S.REFERRED
    assert second.agency == agency_a


@pytest.mark.parametrize(
    ("identity", "consent", "released"),
    [
        ("confidential", True, True),
        ("confidential", False, False),
        ("named", True, True),
        ("named", False, False),
        ("anonymous", False, False),
    ],
)
def test_identity_is_released_only_with_consent(
    identity: str,
    consent: bool,
    released: bool,
    case_factory: Callable[..., Case],
    coordinator: User,
) -> None:
    case = put_in(
        case_factory(accused_rank="official", identity=identity, consent_to_disclose=consent),
        S.SCREENING,
    )
    (referral,) = triage.refer_case(case=case, agencies=[_pacc(case)], by=coordinator)
    assert referral.identity_released is released
    assert audit_events("case.referred", case)[0].data["identity_released"] is released


def test_the_admissibility_checklist_is_recorded_as_seen(screened: Case, coordinator: User) -> None:
    pacc = _pacc(screened)
    (referral,) = triage.refer_case(
        case=screened,
        agencies=[pacc],
        by=coordinator,
        # The coordinator checked the rank by hand, not the time limit.
        admissibility={pacc.pk: {"pacc-rank"}},
    )
    assert referral.admissibility == {
        "pacc-rank": True,
        "pacc-time-limit": False,
        "pacc-complainant": True,
        "pacc-accused": False,
    }
    # A tick on an automatic item does not overrule the automatic test.
    snapshot = triage.admissibility_snapshot(screened, pacc, {"pacc-accused"})
    assert snapshot["pacc-accused"] is False
