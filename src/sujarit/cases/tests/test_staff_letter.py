"""The referral letter: a Thai official letter to the agency, printable on A4, that carries
the complainant's identity only when it was released to that agency."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.test import Client
from django.utils import translation

import pytest

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.cases.actions import triage
from sujarit.cases.models import Case, CaseStatus, Referral
from sujarit.cases.tests.staff_support import main_html, put_in, serve_province
from sujarit.cases.views.staff import addressee

pytestmark = pytest.mark.django_db

S = CaseStatus
NAME = "นางสมศรี ใจดี"
PHONE = "0812345678"
REFERRED_AT = datetime(2025, 3, 16, 10, 0, tzinfo=ZoneInfo("Asia/Bangkok"))


def _referred(case_factory: Callable[..., Case], coordinator: User, **fields: object) -> Referral:
    case = put_in(case_factory(accused_rank="official", **fields), S.SCREENING)
    proposal = case.proposals.select_related("agency").get()
    assert proposal.agency is not None
    (referral,) = triage.refer_case(
        case=case,
        agencies=[proposal.agency],
        by=coordinator,
        note="โปรดตรวจสอบการเรียกเก็บค่าธรรมเนียม",
        admissibility={proposal.agency.pk: {"pacc-rank"}},
        now=REFERRED_AT,
    )
    return referral


def _letter(client: Client, referral: Referral) -> str:
    response = client.get(f"/cases/{referral.case_id}/referrals/{referral.pk}/letter/")
    assert response.status_code == 200
    return main_html(response)


def test_the_letter_is_a_thai_official_letter(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    referral = _referred(case_factory, coordinator, occurred_on=date(2025, 1, 5))
    client = verified_client(coordinator)
    # Even for a coordinator reading the site in English, the letter is in Thai.
    client.cookies["django_language"] = "en"
    letter = _letter(client, referral)
    case = referral.case
    assert 'lang="th"' in letter
    assert f"ที่ {case.reference}/{referral.pk}" in letter
    assert "16 มีนาคม 2568" in letter
    assert "ส่งเรื่องแจ้งเบาะแสเพื่อพิจารณาดำเนินการ" in letter
    assert "เรียน</span> <span>ผู้อำนวยการสำนักงานป้องกันและปราบปรามการทุจริตในภาครัฐ เขต 2" in letter
    assert "อ้างถึง" in letter and "สิ่งที่ส่งมาด้วย" in letter
    # The facts, the items met, the note, the deadline and the signature block.
    assert case.description in letter
    assert "5 มกราคม 2568" in letter
    assert "ฉะเชิงเทรา" in letter
    assert "โปรดตรวจสอบการเรียกเก็บค่าธรรมเนียม" in letter
    assert "31 มีนาคม 2568" in letter
    assert "ขอแสดงความนับถือ" in letter
    # No staff name: only the signer's title.
    assert coordinator.username not in letter
    assert coordinator.email not in letter


def test_items_met_are_listed_and_others_not(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    referral = _referred(case_factory, coordinator)
    assert referral.admissibility == {
        "pacc-rank": True,
        "pacc-time-limit": False,
        "pacc-complainant": True,
        "pacc-accused": False,
    }
    letter = _letter(verified_client(coordinator), referral)
    met = letter.split('class="letter-met"')[1].split("</ul>")[0]
    assert met.count("<li>") == 2


def test_identity_is_absent_without_consent(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    referral = _referred(case_factory, coordinator, consent_to_disclose=False)
    letter = _letter(verified_client(coordinator), referral)
    assert NAME not in letter and PHONE not in letter
    assert "ผู้ร้องขอให้ปกปิดตัวตน" in letter


def test_identity_is_given_with_consent(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    referral = _referred(case_factory, coordinator, consent_to_disclose=True)
    assert referral.identity_released
    letter = _letter(verified_client(coordinator), referral)
    assert NAME in letter and PHONE in letter
    assert "ผู้ร้องยินยอมให้เปิดเผยตัวตน" in letter


def test_anonymous_report(
    verified_client: Callable[[User], Client], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    referral = _referred(case_factory, coordinator, identity="anonymous", name="", phone="")
    letter = _letter(verified_client(coordinator), referral)
    assert "ไม่ประสงค์ออกนาม" in letter


def test_a_grievance_is_a_complaint(
    verified_client: Callable[[User], Client],
    coordinator: User,
    agency_a: Agency,
    case_factory: Callable[..., Case],
) -> None:
    serve_province(agency_a)
    case = put_in(case_factory(kind="grievance"), S.SCREENING)
    (referral,) = triage.refer_case(
        case=case, agencies=[agency_a], by=coordinator, override_reason="the agency itself"
    )
    letter = _letter(verified_client(coordinator), referral)
    assert "ส่งเรื่องร้องเรียนเพื่อพิจารณาดำเนินการ" in letter
    assert "เรียน</span> <span>หัวหน้าหน่วยงานทดสอบ ก" in letter


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("nacc", "เลขาธิการคณะกรรมการ ป.ป.ช."),
        ("nacc-24", "ผู้อำนวยการสำนักงาน ป.ป.ช. ประจำจังหวัดฉะเชิงเทรา"),
        ("provincial-office-24", "ผู้ว่าราชการจังหวัดฉะเชิงเทรา"),
        ("damrongtham-24", "ผู้ว่าราชการจังหวัดฉะเชิงเทรา"),
        ("pao-24", "นายกองค์การบริหารส่วนจังหวัดฉะเชิงเทรา"),
        ("demo-municipality-240101", "นายกเทศมนตรีเมืองหน้าเมือง (ตัวอย่าง)"),
        ("demo-sao-240102", "นายกองค์การบริหารส่วนตำบลท่าไข่ (ตัวอย่าง)"),
        ("ombudsman", "เลขาธิการสำนักงานผู้ตรวจการแผ่นดิน"),
    ],
)
def test_the_letter_is_addressed_to_the_head_of_the_agency(
    code: str, expected: str, cases_area: str
) -> None:
    agency = Agency.objects.select_related("province").get(code=code)
    with translation.override("th"):
        assert addressee(agency) == expected
