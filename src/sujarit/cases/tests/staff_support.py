"""What the coordination centre's tests share: cases put in any state, and agencies A and B
made agencies of the configured province so that the referral action accepts them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

import pytest

from sujarit.agencies.models import Agency
from sujarit.audit.models import AuditEvent
from sujarit.cases.models import Case, CaseStatus
from sujarit.lib.refcache import clear_all

S = CaseStatus

#: What each state requires before a case may stand in it (the model's check constraints).
REQUIRED_FOR: dict[str, dict[str, str]] = {
    S.REJECTED: {"rejection_reason": "outside the centre's remit"},
    S.CLOSED: {"outcome": "closed after review"},
    S.RESOLVED: {"outcome": "fixed by the agency"},
}


def put_in(case: Case, status: str) -> Case:
    """Put ``case`` in ``status`` directly (test set-up only: the workflow is tested
    separately), with what that state requires."""
    Case.objects.filter(pk=case.pk).update(
        status=status, status_changed_at=timezone.now(), **REQUIRED_FOR.get(status, {})
    )
    case.refresh_from_db()
    return case


def audit_events(action: str, case: Case) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(action=action, target_type="cases.case", target_id=str(case.pk))
    )


def html(response: Any) -> str:
    return str(response.content.decode())


def main_html(response: Any) -> str:
    """The page's main content, without the site's header and footer."""
    text = html(response)
    return text.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def serve_province(*agencies: Agency) -> None:
    """Make the test agencies provincial agencies of the configured province, so that the
    referral action (which refers only to agencies serving the province) accepts them."""
    Agency.objects.filter(pk__in=[agency.pk for agency in agencies]).update(
        province_id=settings.SUJARIT_PROVINCE
    )
    # A bulk update sends no signal: forget the agencies cached for routing ourselves.
    clear_all()
    for agency in agencies:
        agency.refresh_from_db()


@pytest.fixture
def in_english() -> Iterator[None]:
    """Messages in English, whatever the Thai catalogue says, so tests can quote them."""
    with translation.override("en"):
        yield
