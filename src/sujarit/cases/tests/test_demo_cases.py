from __future__ import annotations

import io
from collections import Counter

from django.core.management import call_command

import pytest

from sujarit.accounts.models import User
from sujarit.audit.models import AuditEvent
from sujarit.cases.demo import DEMO_PREFIX, PLAN
from sujarit.cases.models import Case
from sujarit.cases.receipts import matches


@pytest.fixture
def demo_site(cases_area: str) -> None:
    call_command("demo", stdout=io.StringIO())


def test_demo_cases_reach_every_planned_state(demo_site: None) -> None:
    statuses = Counter(Case.objects.values_list("status", flat=True))
    assert statuses == Counter(PLAN)


def test_demo_cases_are_labelled_demo(demo_site: None) -> None:
    cases = list(Case.objects.all())
    assert cases and all(case.is_demo for case in cases)
    assert all(case.description.startswith(DEMO_PREFIX) for case in cases)
    published = [case for case in cases if case.is_published]
    assert published and all("ตัวอย่าง" in case.public_title for case in published)


def test_demo_cases_are_referred_to_the_demo_officers_agency(demo_site: None) -> None:
    officer = User.objects.get(username="demo-officer")
    referred = Case.objects.filter(referrals__isnull=False).distinct()
    assert referred.exists()
    assert set(referred.values_list("referrals__agency", flat=True)) == {officer.agency_id}


def test_demo_cases_leave_an_audit_trail(demo_site: None) -> None:
    assert AuditEvent.objects.filter(action="case.submitted").count() == len(PLAN)


def test_running_demo_again_adds_no_case(demo_site: None) -> None:
    call_command("demo", stdout=io.StringIO())
    assert Case.objects.count() == len(PLAN)


def test_demo_prints_a_working_receipt_code(
    cases_area: str, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("demo")
    line = next(line for line in capsys.readouterr().out.splitlines() if "receipt code" in line)
    reference = line.split("demo case ")[1].split(" ")[0]
    code = line.split("receipt code ")[1].split(" (")[0].replace(" ", "")
    case = next(case for case in Case.objects.all() if case.reference == reference)
    assert matches(code, case.receipt_hash)
    assert case.status == "resolved"
