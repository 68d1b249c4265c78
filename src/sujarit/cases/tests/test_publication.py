"""Publishing a case: only past screening, only the texts a coordinator wrote for the public,
and an audit event each time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from sujarit.accounts.models import User
from sujarit.cases.actions.publication import PUBLISHABLE_STATUSES, publish_case, unpublish_case
from sujarit.cases.actions.triage import reject_case
from sujarit.cases.models import Case, CaseEvent, CaseStatus
from sujarit.cases.tests.staff_support import audit_events, in_english, put_in  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

S = CaseStatus
TEXTS: dict[str, Any] = {
    "title": "Fees charged for a free certificate",
    "summary": "A village office asked for fees that no regulation sets.",
    "outcome": "",
}


@pytest.mark.parametrize("status", CaseStatus.values)
def test_only_cases_past_screening_are_published(
    status: str, case_factory: Callable[..., Case], coordinator: User
) -> None:
    case = put_in(case_factory(), status)
    expected = status in {
        "referred",
        "network",
        "acknowledged",
        "in_progress",
        "resolved",
        "closed",
    }
    assert (status in PUBLISHABLE_STATUSES) is expected
    if expected:
        publish_case(case=case, by=coordinator, **TEXTS)
        assert Case.objects.get(pk=case.pk).is_published
    else:
        with pytest.raises(ValidationError):
            publish_case(case=case, by=coordinator, **TEXTS)
        assert not Case.objects.get(pk=case.pk).is_published


def test_publishing_stores_the_approved_texts_and_is_audited(
    case_factory: Callable[..., Case], coordinator: User
) -> None:
    case = put_in(case_factory(), S.REFERRED)
    publish_case(
        case=case,
        by=coordinator,
        title=" Fees charged ",
        summary="A village office asked for fees.",
        outcome="Refunded.",
    )
    case.refresh_from_db()
    assert case.is_published
    assert (case.public_title, case.public_summary, case.public_outcome) == (
        "Fees charged",
        "A village office asked for fees.",
        "Refunded.",
    )
    first_published = case.published_at
    assert first_published is not None
    (event,) = audit_events("case.published", case)
    assert event.actor == coordinator
    assert event.data == {"status": "referred", "is_published": [False, True]}
    assert CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.PUBLICATION).public is False
    # Changing the texts later keeps the first publication date.
    publish_case(case=case, by=coordinator, **TEXTS)
    case.refresh_from_db()
    assert case.published_at == first_published
    assert case.public_title == TEXTS["title"]
    assert audit_events("case.published", case)[1].data["is_published"] == [True, True]


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ({**TEXTS, "title": " "}, "Write a public title."),
        ({**TEXTS, "summary": ""}, "Write a public summary."),
    ],
)
def test_title_and_summary_are_required(
    texts: dict[str, Any], message: str, case_factory: Callable[..., Case], coordinator: User
) -> None:
    case = put_in(case_factory(), S.REFERRED)
    with pytest.raises(ValidationError) as refused:
        publish_case(case=case, by=coordinator, **texts)
    assert refused.value.messages == [message]
    assert not Case.objects.get(pk=case.pk).is_published


def test_the_report_s_own_words_are_never_published(
    case_factory: Callable[..., Case], coordinator: User
) -> None:
    description = (
        "On 3 March the assistant village head at the office next to the temple asked "
        "my mother for 500 baht before he would sign the land certificate."
    )
    case = put_in(case_factory(description=description), S.REFERRED)
    for texts in (
        {**TEXTS, "summary": description},
        {**TEXTS, "summary": "  " + description.replace(" ", "  ") + " "},
        {**TEXTS, "outcome": description[10:90]},
    ):
        with pytest.raises(ValidationError) as refused:
            publish_case(case=case, by=coordinator, **texts)
        assert refused.value.code == "copied"
    assert not Case.objects.get(pk=case.pk).is_published


@pytest.mark.parametrize("persona", ["auditor", "admin_user", "officer_a", "member"])
def test_only_coordinators_publish(
    persona: str, request: pytest.FixtureRequest, case_factory: Callable[..., Case]
) -> None:
    user = request.getfixturevalue(persona)
    case = put_in(case_factory(), S.REFERRED)
    with pytest.raises(PermissionDenied):
        publish_case(case=case, by=user, **TEXTS)
    assert not Case.objects.get(pk=case.pk).is_published


def test_unpublishing(case_factory: Callable[..., Case], coordinator: User, auditor: User) -> None:
    case = put_in(case_factory(), S.REFERRED)
    with pytest.raises(ValidationError):
        unpublish_case(case=case, by=coordinator)
    publish_case(case=case, by=coordinator, **TEXTS)
    with pytest.raises(PermissionDenied):
        unpublish_case(case=case, by=auditor)
    unpublish_case(case=case, by=coordinator)
    case.refresh_from_db()
    assert not case.is_published
    # The approved texts stay for a later re-publication.
    assert case.public_title == TEXTS["title"]
    (event,) = audit_events("case.unpublished", case)
    assert event.data == {"status": "referred", "is_published": [True, False]}


def test_rejecting_a_published_case_takes_it_off_the_public_pages(
    case_factory: Callable[..., Case], coordinator: User
) -> None:
    case = put_in(case_factory(), S.RESOLVED)
    publish_case(case=case, by=coordinator, **TEXTS)
    # The complainant disputes; screening again finds nothing to act on.
    put_in(case, S.SCREENING)
    reject_case(
        case=case, reason="no facts", public_note="We found nothing to act on.", by=coordinator
    )
    case.refresh_from_db()
    assert (case.status, case.is_published) == (S.REJECTED, False)
    (event,) = audit_events("case.rejected", case)
    assert event.data == {"from": "screening", "to": "rejected", "is_published": [True, False]}
