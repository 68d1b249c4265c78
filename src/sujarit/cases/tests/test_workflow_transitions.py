"""Every legal and every illegal status change of the workflow, table-driven twice: from
``workflow.TRANSITIONS`` itself, and from the table below written out by hand, so that a
change to one without the other fails."""

from __future__ import annotations

from collections.abc import Callable
from itertools import product
from typing import Any

import pytest

from sujarit.accounts.models import User
from sujarit.cases.models import Case, CaseEvent, CaseStatus
from sujarit.cases.tests.staff_support import in_english, put_in  # noqa: F401 (fixture)
from sujarit.cases.workflow import TRANSITIONS, TransitionRefused, allowed_next, move

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

S = CaseStatus

#: The workflow as the issue describes it, written out independently of workflow.py.
EXPECTED: dict[str, set[str]] = {
    "received": {"screening", "merged"},
    "screening": {"rejected", "referred", "network", "closed", "merged"},
    "referred": {"acknowledged", "screening", "resolved"},
    "network": {"in_progress", "referred", "resolved"},
    "acknowledged": {"in_progress", "resolved"},
    "in_progress": {"resolved", "referred"},
    "resolved": {"closed", "screening"},
    "rejected": {"screening"},
    "closed": set(),
    # A duplicate report joined to another case (actions/duplicates.py).
    "merged": set(),
}

ALL_PAIRS = list(product(CaseStatus.values, CaseStatus.values))


def _requirements(to: str) -> dict[str, Any]:
    if to == S.REJECTED:
        return {"reason": "not within any agency's powers"}
    if to in (S.RESOLVED, S.CLOSED):
        return {"outcome": "the fee was refunded"}
    return {}


def test_the_written_table_is_the_workflow_table() -> None:
    assert {str(k): {str(v) for v in targets} for k, targets in TRANSITIONS.items()} == EXPECTED


def test_every_status_has_a_row() -> None:
    assert set(TRANSITIONS) == set(CaseStatus.values) == set(EXPECTED)


@pytest.mark.parametrize(("current", "to"), ALL_PAIRS)
def test_transition_against_the_workflow_table(
    current: str, to: str, case_factory: Callable[..., Case], coordinator: User
) -> None:
    case = put_in(case_factory(accused_rank="official"), current)
    events = CaseEvent.objects.filter(case=case).count()
    if to in TRANSITIONS[current]:
        result = move(case, to, by=coordinator, **_requirements(to))
        case.refresh_from_db()
        assert (result.from_status, result.to_status) == (current, to)
        assert case.status == to
        event = CaseEvent.objects.filter(case=case).order_by("-id").first()
        assert event is not None
        assert (event.from_status, event.to_status, event.actor) == (current, to, coordinator)
    else:
        with pytest.raises(TransitionRefused) as refused:
            move(case, to, by=coordinator, **_requirements(to))
        assert "cannot go from" in refused.value.message
        case.refresh_from_db()
        assert case.status == current
        assert CaseEvent.objects.filter(case=case).count() == events


@pytest.mark.parametrize(("current", "to"), ALL_PAIRS)
def test_transition_against_the_written_table(
    current: str, to: str, case_factory: Callable[..., Case], coordinator: User
) -> None:
    case = put_in(case_factory(accused_rank="official"), current)
    assert (to in allowed_next(current)) == (to in EXPECTED[current])
    if to in EXPECTED[current]:
        move(case, to, by=coordinator, **_requirements(to))
        assert Case.objects.get(pk=case.pk).status == to
    else:
        with pytest.raises(TransitionRefused):
            move(case, to, by=coordinator, **_requirements(to))
        assert Case.objects.get(pk=case.pk).status == current


@pytest.mark.parametrize("blank", ["", "   \n"])
def test_rejection_needs_a_reason(
    blank: str, case_factory: Callable[..., Case], coordinator: User
) -> None:
    case = put_in(case_factory(), S.SCREENING)
    with pytest.raises(TransitionRefused) as refused:
        move(case, S.REJECTED, by=coordinator, reason=blank)
    assert refused.value.message == "A rejection needs a reason."
    assert Case.objects.get(pk=case.pk).status == S.SCREENING


@pytest.mark.parametrize(
    ("current", "to"),
    [
        (S.SCREENING, S.CLOSED),
        (S.RESOLVED, S.CLOSED),
        (S.NETWORK, S.RESOLVED),
        (S.REFERRED, S.RESOLVED),
        (S.ACKNOWLEDGED, S.RESOLVED),
        (S.IN_PROGRESS, S.RESOLVED),
    ],
)
def test_closing_or_resolving_needs_an_outcome(
    current: str, to: str, case_factory: Callable[..., Case], coordinator: User
) -> None:
    case = put_in(case_factory(), current)
    with pytest.raises(TransitionRefused) as refused:
        move(case, to, by=coordinator, outcome=" ")
    assert refused.value.message == "Closing or resolving a case needs its outcome."
    assert Case.objects.get(pk=case.pk).status == current


def test_moves_keep_the_reason_and_outcome_and_set_the_deadline(
    case_factory: Callable[..., Case], coordinator: User
) -> None:
    case = case_factory()
    move(case, S.SCREENING, by=coordinator)
    assert case.due_at is not None
    move(case, S.REJECTED, by=coordinator, reason="outside remit")
    case.refresh_from_db()
    assert case.rejection_reason == "outside remit"
    # Rejected has no service level: nothing is due.
    assert case.due_at is None
    move(case, S.SCREENING, by=coordinator)
    move(case, S.CLOSED, by=coordinator, outcome="dealt with in person")
    case.refresh_from_db()
    assert case.outcome == "dealt with in person"
    assert case.status == S.CLOSED
    assert allowed_next(case.status) == frozenset()
