"""Admissibility checklists: the items of an agency's kind, and each automatic check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone, translation

import pytest

from sujarit.agencies.models import Agency
from sujarit.cases.admissibility import (
    check_accused_identified,
    check_amount_given,
    check_item,
    check_place_given,
    check_traceable_complainant,
    check_within_time_limit,
    checklist_for,
    checklist_record,
    years_since,
)
from sujarit.cases.models import AdmissibilityItem, Case, Complainant, Identity, Rank
from sujarit.cases.rules import default_item_specs

pytestmark = pytest.mark.django_db

Check = AdmissibilityItem.Check


def item(test: str, years: int | None = None) -> AdmissibilityItem:
    return AdmissibilityItem(
        target_kind="nacc", code="x", text_th="ข้อ", text_en="item", test=test, years=years
    )


def codes(case: Case, agency_code: str) -> list[str]:
    return [r.code for r in checklist_for(case, Agency.objects.get(code=agency_code))]


# --- which items apply ----------------------------------------------------------------------


def test_a_provincial_office_uses_its_national_bodys_items(
    case_factory: Callable[..., Case],
) -> None:
    case = case_factory()
    expected = ["nacc-complainant", "nacc-evidence", "nacc-accused", "nacc-act", "nacc-powers"]
    assert codes(case, "nacc-24") == expected
    assert codes(case, "nacc") == expected
    assert codes(case, "pacc-region-2") == [
        "pacc-rank",
        "pacc-time-limit",
        "pacc-complainant",
        "pacc-accused",
    ]
    assert codes(case, "election-commission-24") == [
        "ec-election",
        "ec-place",
        "ec-results-objection",
    ]
    assert codes(case, "audit-office-region-2") == ["audit-amount", "audit-agency", "audit-channel"]
    assert codes(case, "damrongtham-24") == [
        "damrongtham-place",
        "damrongtham-agency",
        "damrongtham-complainant",
    ]
    assert codes(case, "ombudsman") == [
        "ombudsman-agency",
        "ombudsman-unlawful",
        "ombudsman-not-human-rights",
    ]


def test_every_local_body_uses_the_local_items(case_factory: Callable[..., Case]) -> None:
    case = case_factory()
    local = ["local-place", "local-accused", "local-complainant"]
    assert codes(case, "demo-sao-240102") == local
    assert codes(case, "demo-municipality-240101") == local
    assert codes(case, "pao-24") == local


def test_an_agency_kind_without_items_has_an_empty_checklist(
    case_factory: Callable[..., Case],
) -> None:
    case = case_factory()
    assert codes(case, "provincial-office-24") == []


def test_an_office_specific_item_joins_the_family_items(case_factory: Callable[..., Case]) -> None:
    AdmissibilityItem.objects.create(
        target_kind="nacc_provincial",
        code="nacc-office-form",
        order=1,
        text_th="แบบฟอร์มของสำนักงาน",
        text_en="The office's form",
        test=Check.MANUAL,
    )
    assert codes(case_factory(), "nacc-24")[0] == "nacc-office-form"


def test_a_switched_off_item_is_left_out(case_factory: Callable[..., Case]) -> None:
    AdmissibilityItem.objects.filter(code="nacc-evidence").update(is_active=False)
    assert "nacc-evidence" not in codes(case_factory(), "nacc-24")


def test_every_default_item_kind_is_a_target_an_agency_can_have() -> None:
    assert {spec.target_kind for spec in default_item_specs()} == {
        "nacc",
        "pacc",
        "election_commission",
        "damrongtham",
        "local",
        "audit_office",
        "ombudsman",
    }


def test_results_read_in_the_active_language(case_factory: Callable[..., Case]) -> None:
    case = case_factory(identity=Identity.ANONYMOUS, name="", phone="")
    agency = Agency.objects.get(code="pacc-region-2")
    with translation.override("en"):
        result = checklist_for(case, agency)[2]
    assert result.code == "pacc-complainant"
    assert result.text == "The complainant can be contacted."
    assert result.met is False
    assert result.detail == "The report is anonymous: no contact details were kept."
    with translation.override("th"):
        result = checklist_for(case, agency)[2]
    assert result.text == "ผู้ร้องเรียนติดต่อได้"
    assert result.detail == "เรื่องนี้แจ้งโดยไม่ระบุตัวตน จึงไม่มีข้อมูลติดต่อ"


def test_the_record_kept_on_a_referral_maps_codes_to_results(
    case_factory: Callable[..., Case],
) -> None:
    case = case_factory(occurred_on=timezone.localdate() - dt.timedelta(days=30))
    record = checklist_record(checklist_for(case, Agency.objects.get(code="pacc-region-2")))
    assert record == {
        "pacc-rank": None,
        "pacc-time-limit": True,
        "pacc-complainant": True,
        "pacc-accused": False,
    }


# --- traceable complainant ------------------------------------------------------------------


def test_a_confidential_complainant_with_a_phone_is_traceable(
    case_factory: Callable[..., Case],
) -> None:
    case = case_factory(identity=Identity.CONFIDENTIAL, phone="0812345678", email="a@example.org")
    with translation.override("en"):
        met, detail = check_traceable_complainant(case, item(Check.TRACEABLE_COMPLAINANT))
    assert met is True
    assert detail == "Contact details on file (seen only by coordinators): phone, e-mail."
    # The detail says which kinds of contact exist, never the contact itself.
    assert "0812345678" not in detail and "example.org" not in detail


def test_an_anonymous_report_is_not_traceable(case_factory: Callable[..., Case]) -> None:
    case = case_factory(identity=Identity.ANONYMOUS, name="", phone="")
    met, _detail = check_traceable_complainant(case, item(Check.TRACEABLE_COMPLAINANT))
    assert met is False


def test_a_named_complainant_without_contact_details_is_not_traceable(
    case_factory: Callable[..., Case],
) -> None:
    case = case_factory(identity=Identity.NAMED, name="นายสมชาย", phone="")
    with translation.override("en"):
        met, detail = check_traceable_complainant(case, item(Check.TRACEABLE_COMPLAINANT))
    assert (met, detail) == (False, "No contact details were given.")


def test_erased_contact_details_are_not_traceable(case_factory: Callable[..., Case]) -> None:
    case = case_factory(identity=Identity.CONFIDENTIAL, phone="0812345678")
    Complainant.objects.filter(case=case).update(erased_at=timezone.now())
    with translation.override("en"):
        met, detail = check_traceable_complainant(case, item(Check.TRACEABLE_COMPLAINANT))
    assert (met, detail) == (False, "The contact details were erased.")


# --- accused identified ---------------------------------------------------------------------


def test_the_accused_is_identified_by_a_directory_agency(
    case_factory: Callable[..., Case],
) -> None:
    case = case_factory(accused_agency=Agency.objects.get(code="demo-sao-240102"))
    with translation.override("th"):
        met, detail = check_accused_identified(case, item(Check.ACCUSED_IDENTIFIED))
    assert met is True
    assert detail == "หน่วยงานที่เกี่ยวข้อง: องค์การบริหารส่วนตำบลท่าไข่ (ตัวอย่าง)"


def test_the_accused_is_identified_by_a_position_or_an_agency_in_words(
    case_factory: Callable[..., Case],
) -> None:
    case = case_factory(accused_position="ปลัด อบต.", accused_agency_text="อบต. ท่าไข่")
    with translation.override("en"):
        met, detail = check_accused_identified(case, item(Check.ACCUSED_IDENTIFIED))
    assert met is True
    assert detail == "Agency involved: อบต. ท่าไข่; position: ปลัด อบต."


def test_an_accused_with_neither_agency_nor_position_is_not_identified(
    case_factory: Callable[..., Case],
) -> None:
    case = case_factory(accused_rank=Rank.OFFICIAL)
    met, _detail = check_accused_identified(case, item(Check.ACCUSED_IDENTIFIED))
    assert met is False


# --- time limit -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("occurred", "met", "detail"),
    [
        (dt.date(2025, 3, 1), True, "Events less than a year ago; the limit is 5 years."),
        (dt.date(2024, 6, 1), True, "Events 1 year ago; the limit is 5 years."),
        (dt.date(2020, 6, 2), True, "Events 4 years ago; the limit is 5 years."),
        # Exactly five years to the day is still within a five-year limit.
        (dt.date(2020, 6, 1), True, "Events 5 years ago; the limit is 5 years."),
        (dt.date(2020, 5, 31), False, "Events 5 years ago; the limit is 5 years."),
        (dt.date(2019, 1, 1), False, "Events 6 years ago; the limit is 5 years."),
    ],
)
def test_events_within_the_time_limit(
    occurred: dt.date, met: bool, detail: str, case_factory: Callable[..., Case]
) -> None:
    case = case_factory(occurred_on=occurred)
    with translation.override("en"):
        result = check_within_time_limit(
            case, item(Check.WITHIN_TIME_LIMIT, years=5), today=dt.date(2025, 6, 1)
        )
    assert result == (met, detail)


def test_events_of_unknown_date_are_left_to_the_coordinator(
    case_factory: Callable[..., Case],
) -> None:
    case = case_factory(occurred_on=None)
    with translation.override("en"):
        met, detail = check_within_time_limit(case, item(Check.WITHIN_TIME_LIMIT, years=5))
    assert (met, detail) == (None, "The date of the events was not given: check it.")


def test_the_time_limit_in_thai(case_factory: Callable[..., Case]) -> None:
    case = case_factory(occurred_on=dt.date(2019, 1, 1))
    with translation.override("th"):
        _met, detail = check_within_time_limit(
            case, item(Check.WITHIN_TIME_LIMIT, years=5), today=dt.date(2025, 6, 1)
        )
    assert detail == "เหตุเกิดเมื่อ 6 ปีก่อน กรอบเวลา 5 ปี"


def test_years_since_counts_whole_years() -> None:
    assert years_since(dt.date(2020, 2, 29), dt.date(2021, 2, 28)) == 0
    assert years_since(dt.date(2020, 2, 29), dt.date(2021, 3, 1)) == 1


# --- amount and place -----------------------------------------------------------------------


def test_an_amount_given(case_factory: Callable[..., Case]) -> None:
    with translation.override("en"):
        assert check_amount_given(
            case_factory(amount=Decimal("1250000.5")), item(Check.AMOUNT_GIVEN)
        ) == (True, "Amount involved: 1,250,000.50 baht.")
        assert check_amount_given(case_factory(), item(Check.AMOUNT_GIVEN)) == (
            False,
            "No amount was given.",
        )


def test_a_place_given_by_village_or_map_point(case_factory: Callable[..., Case]) -> None:
    with translation.override("en"):
        assert check_place_given(case_factory(village="บ้านคลอง"), item(Check.PLACE_GIVEN)) == (
            True,
            "Village: บ้านคลอง",
        )
        at_point = case_factory(latitude=Decimal("13.690000"), longitude=Decimal("101.070000"))
        assert check_place_given(at_point, item(Check.PLACE_GIVEN)) == (True, "Map point given")
        assert check_place_given(case_factory(), item(Check.PLACE_GIVEN)) == (
            False,
            "Only the subdistrict was given.",
        )


def test_a_manual_item_is_left_for_the_coordinator(case_factory: Callable[..., Case]) -> None:
    result = check_item(case_factory(), item(Check.MANUAL))
    assert result.met is None and result.detail == ""


def test_a_time_limit_item_without_years_is_left_for_the_coordinator(
    case_factory: Callable[..., Case],
) -> None:
    result = check_item(
        case_factory(occurred_on=dt.date(2000, 1, 1)), item(Check.WITHIN_TIME_LIMIT)
    )
    assert result.met is None
