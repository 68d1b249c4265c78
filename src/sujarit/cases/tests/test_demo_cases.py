from __future__ import annotations

import io
from collections import Counter

from django.core.management import call_command

from sujarit.accounts.models import User
from sujarit.audit.models import AuditEvent
from sujarit.cases.demo import DEMO_PREFIX, PLAN
from sujarit.cases.models import Case
from sujarit.cases.receipts import matches


def test_demo_cases_reach_every_state_labelled_demo_and_only_once(cases_area: str) -> None:
    # One test, because making the demo site takes seconds.
    output = io.StringIO()
    call_command("demo", stdout=output)

    assert Counter(Case.objects.values_list("status", flat=True)) == Counter(PLAN)

    cases = list(Case.objects.all())
    assert all(case.is_demo for case in cases)
    assert all(case.description.startswith(DEMO_PREFIX) for case in cases)
    published = [case for case in cases if case.is_published]
    assert published and all("ตัวอย่าง" in case.public_title for case in published)

    # Referrals go to the demo officer's agency, so the demo officer can answer them.
    officer = User.objects.get(username="demo-officer")
    referred = Case.objects.filter(referrals__isnull=False).distinct()
    assert referred.exists()
    assert set(referred.values_list("referrals__agency", flat=True)) == {officer.agency_id}

    # Made through the actions staff use: each left its audit trail.
    assert AuditEvent.objects.filter(action="case.submitted").count() == len(PLAN)
    assert AuditEvent.objects.filter(action="case.referred").exists()

    # The command prints one demo case's receipt code, and it opens that case.
    line = next(line for line in output.getvalue().splitlines() if "receipt code" in line)
    reference = line.split("demo case ")[1].split(" ")[0]
    code = line.split("receipt code ")[1].split(" (")[0].replace(" ", "")
    case = next(case for case in cases if case.reference == reference)
    assert matches(code, case.receipt_hash)
    assert case.status == "resolved"

    call_command("demo", stdout=io.StringIO())
    assert Case.objects.count() == len(PLAN)
