"""What the agency-side tests share: a case referred to agencies, as the coordinator leaves it.

The coordinator's own referral action checks that an agency serves the province; the test
personas' agencies serve none, so these tests refer through the workflow directly: the case
moves received → screening → referred and gets one ``Referral`` per agency, with the
acknowledgement due date and the identity released only with the complainant's consent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.cases.models import Case, CaseStatus, Referral
from sujarit.cases.workflow import due_after, move


def refer(
    case: Case,
    *agencies: Agency,
    by: User,
    now: datetime | None = None,
    note: str = "",
    admissibility: dict[str, Any] | None = None,
) -> list[Referral]:
    now = now or timezone.now()
    if case.status == CaseStatus.RECEIVED:
        move(case, CaseStatus.SCREENING, by=by, now=now)
    move(case, CaseStatus.REFERRED, by=by, now=now)
    return [
        Referral.objects.create(
            case=case,
            agency=agency,
            referred_by=by,
            referred_at=now,
            due_at=due_after(CaseStatus.REFERRED, now),
            note=note,
            admissibility=admissibility or {},
            identity_released=case.consent_to_disclose,
        )
        for agency in agencies
    ]
