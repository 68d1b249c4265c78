"""Target resolution: an agency kind becomes the agency serving the case's area."""

from __future__ import annotations

from typing import Any

import pytest

from sujarit.agencies.models import Agency
from sujarit.cases.models import LOCAL_TARGET, Rank, ReportKind
from sujarit.cases.routing import Facts, resolve_target

pytestmark = pytest.mark.django_db


def facts(subdistrict: str = "240101", accused: str | None = None, **fields: Any) -> Facts:
    agency = Agency.objects.get(code=accused) if accused else None
    values: dict[str, Any] = {
        "kind": ReportKind.CORRUPTION,
        "rank": Rank.OFFICIAL,
        "amount": None,
        "accused_agency_kind": agency.kind if agency else "",
        "province": subdistrict[:2],
        "subdistrict": subdistrict,
        "accused_agency_id": agency.pk if agency else None,
    }
    values.update(fields)
    return Facts(**values)


def code_of(agency: Agency | None) -> str | None:
    return agency.code if agency is not None else None


def test_the_provincial_office_is_chosen_when_the_province_has_one(cases_area: str) -> None:
    assert code_of(resolve_target("nacc_provincial", facts())) == "nacc-24"
    assert code_of(resolve_target("election_commission_provincial", facts())) == (
        "election-commission-24"
    )
    assert code_of(resolve_target("damrongtham", facts())) == "damrongtham-24"


def test_the_national_body_acts_when_the_province_has_no_office(cases_area: str) -> None:
    Agency.objects.filter(code="nacc-24").update(is_active=False)
    assert code_of(resolve_target("nacc_provincial", facts())) == "nacc"


def test_the_regional_office_serving_the_province_is_chosen(cases_area: str) -> None:
    assert code_of(resolve_target("pacc_regional", facts())) == "pacc-region-2"
    assert code_of(resolve_target("audit_office_regional", facts())) == "audit-office-region-2"


def test_a_province_no_regional_office_serves_falls_back_to_the_national_body(
    cases_area: str,
) -> None:
    # Chon Buri (20): the reference data names no PACC region and no NACC office for it here.
    other = facts(subdistrict="200101")
    assert code_of(resolve_target("pacc_regional", other)) == "pacc"
    assert code_of(resolve_target("audit_office_regional", other)) == "audit-office"
    assert code_of(resolve_target("nacc_provincial", other)) == "nacc"


def test_a_missing_damrongtham_centre_falls_back_to_the_provincial_office(
    cases_area: str,
) -> None:
    Agency.objects.filter(code="damrongtham-24").update(is_active=False)
    assert code_of(resolve_target("damrongtham", facts())) == "provincial-office-24"


def test_a_kind_with_no_agency_and_no_fallback_resolves_to_nothing(cases_area: str) -> None:
    assert resolve_target("other", facts()) is None


def test_the_local_target_is_the_local_body_of_the_subdistrict(cases_area: str) -> None:
    assert code_of(resolve_target(LOCAL_TARGET, facts("240101"))) == "demo-municipality-240101"
    assert code_of(resolve_target(LOCAL_TARGET, facts("240102"))) == "demo-sao-240102"


def test_the_local_target_is_the_local_body_named_as_involved(cases_area: str) -> None:
    # Named but seated in another subdistrict: the body the complainant named still acts.
    named = facts("240101", accused="demo-sao-240103")
    assert code_of(resolve_target(LOCAL_TARGET, named)) == "demo-sao-240103"
    assert code_of(resolve_target(LOCAL_TARGET, facts("240101", accused="pao-24"))) == "pao-24"


def test_a_named_agency_that_is_not_local_does_not_replace_the_local_body(
    cases_area: str,
) -> None:
    named = facts("240102", accused="provincial-office-24")
    assert code_of(resolve_target(LOCAL_TARGET, named)) == "demo-sao-240102"


def test_a_switched_off_local_body_named_as_involved_is_not_chosen(cases_area: str) -> None:
    Agency.objects.filter(code="demo-sao-240103").update(is_active=False)
    named = facts("240101", accused="demo-sao-240103")
    assert code_of(resolve_target(LOCAL_TARGET, named)) == "demo-municipality-240101"


def test_a_subdistrict_without_a_local_body_resolves_to_nothing(cases_area: str) -> None:
    Agency.objects.filter(code="demo-sao-240102").update(is_active=False)
    assert resolve_target(LOCAL_TARGET, facts("240102")) is None
