"""The coordination centre's actions on a case: what each changes, what it requires, who may
take it, and the audit event each records."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.audit.models import AuditEvent
from sujarit.cases.actions import triage
from sujarit.cases.models import Case, CaseEvent, CaseStatus, Message, RoutingProposal
from sujarit.cases.tests.staff_support import (  # noqa: F401 (fixtures)
    audit_events,
    in_english,
    put_in,
    serve_province,
)
from sujarit.cases.workflow import TRANSITIONS, TransitionRefused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

S = CaseStatus


def _run(action: str, case: Case, by: User, agency: Agency) -> Any:
    if action == "screen":
        return triage.begin_screening(case=case, by=by)
    if action == "reject":
        return triage.reject_case(case=case, reason="no facts", public_note="We need facts.", by=by)
    if action == "refer":
        return triage.refer_case(case=case, agencies=[agency], by=by, override_reason="local")
    if action == "network":
        return triage.hand_to_network(case=case, note="Bang Pakong network", by=by)
    if action == "progress":
        return triage.record_progress(case=case, note="visit planned", by=by)
    if action == "resolve":
        return triage.resolve_case(case=case, outcome="road repaired", by=by)
    if action == "close":
        return triage.close_case(case=case, outcome="answered", by=by)
    if action == "reopen":
        return triage.reopen_case(case=case, note="new facts", by=by)
    raise AssertionError(action)


#: The status each action moves a case to, and (written out by hand) the statuses it may
#: start from: the workflow table, narrowed where a move belongs to someone else.
ACTIONS: dict[str, tuple[str, set[str]]] = {
    "screen": ("screening", {"received"}),
    "reject": ("rejected", {"screening"}),
    "refer": ("referred", {"screening", "network", "in_progress"}),
    "network": ("network", {"screening"}),
    # Acknowledged → in progress is the agency's answer.
    "progress": ("in_progress", {"network"}),
    "resolve": ("resolved", {"referred", "network", "acknowledged", "in_progress"}),
    "close": ("closed", {"screening", "resolved"}),
    # Referred → screening happens when every agency declines, not by the centre's hand.
    "reopen": ("screening", {"rejected", "resolved"}),
}
ACTION_ACTIONS = {
    "screen": "case.screening_started",
    "reject": "case.rejected",
    "refer": "case.referred",
    "network": "case.to_network",
    "progress": "case.in_progress",
    "resolve": "case.resolved",
    "close": "case.closed",
    "reopen": "case.reopened",
}


def test_action_table_stays_within_the_workflow() -> None:
    for action, (target, starts) in ACTIONS.items():
        for start in starts:
            assert target in TRANSITIONS[start], (action, start)


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("start", CaseStatus.values)
def test_each_action_from_each_status(
    action: str,
    start: str,
    case_factory: Callable[..., Case],
    coordinator: User,
    agency_a: Agency,
) -> None:
    serve_province(agency_a)
    case = put_in(case_factory(accused_rank="official"), start)
    target, starts = ACTIONS[action]
    if start in starts:
        _run(action, case, coordinator, agency_a)
        case.refresh_from_db()
        assert case.status == target
        (event,) = audit_events(ACTION_ACTIONS[action], case)
        assert event.actor == coordinator
        assert event.data["from"] == start
        assert event.data["to"] == target
    else:
        with pytest.raises((TransitionRefused, ValidationError)):
            _run(action, case, coordinator, agency_a)
        case.refresh_from_db()
        assert case.status == start
        assert audit_events(ACTION_ACTIONS[action], case) == []


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("persona", ["auditor", "admin_user", "officer_a", "member"])
def test_only_coordinators_act(
    action: str,
    persona: str,
    request: pytest.FixtureRequest,
    case_factory: Callable[..., Case],
    agency_a: Agency,
) -> None:
    user = request.getfixturevalue(persona)
    serve_province(agency_a)
    start = next(iter(sorted(ACTIONS[action][1])))
    case = put_in(case_factory(accused_rank="official"), start)
    with pytest.raises(PermissionDenied):
        _run(action, case, user, agency_a)
    assert Case.objects.get(pk=case.pk).status == start
    events = AuditEvent.objects.filter(target_type="cases.case", target_id=str(case.pk))
    assert list(events.values_list("action", flat=True)) == ["case.submitted"]


def test_screening_assigns_the_coordinator_who_starts_it(
    case_factory: Callable[..., Case], coordinator: User, other_coordinator: User
) -> None:
    case = case_factory()
    triage.begin_screening(case=case, by=coordinator)
    assert case.assigned_to == coordinator
    (event,) = audit_events("case.screening_started", case)
    assert event.data == {"from": "received", "to": "screening", "assigned_to": coordinator.pk}
    # Somebody already handling the case keeps it.
    other = case_factory()
    triage.assign_case(case=other, to=other_coordinator, by=coordinator)
    triage.begin_screening(case=other, by=coordinator)
    assert Case.objects.get(pk=other.pk).assigned_to == other_coordinator


def test_assigning_a_case(
    case_factory: Callable[..., Case], coordinator: User, other_coordinator: User, auditor: User
) -> None:
    case = case_factory()
    triage.assign_case(case=case, to=other_coordinator, by=coordinator)
    assert Case.objects.get(pk=case.pk).assigned_to == other_coordinator
    (event,) = audit_events("case.assigned", case)
    assert event.data == {"status": "received", "assigned_to": [None, other_coordinator.pk]}
    with pytest.raises(ValidationError) as refused:
        triage.assign_case(case=case, to=auditor, by=coordinator)
    assert refused.value.messages == ["A case can only be assigned to a coordinator."]
    assert Case.objects.get(pk=case.pk).assigned_to == other_coordinator


@pytest.mark.parametrize(
    ("reason", "public_note", "message"),
    [
        ("", "Not for us.", "A rejection needs a reason."),
        ("no facts", "  ", "Tell the complainant in plain words why the report is rejected."),
    ],
)
def test_rejection_needs_a_reason_and_words_for_the_complainant(
    reason: str,
    public_note: str,
    message: str,
    case_factory: Callable[..., Case],
    coordinator: User,
) -> None:
    case = put_in(case_factory(), S.SCREENING)
    with pytest.raises(ValidationError) as refused:
        triage.reject_case(case=case, reason=reason, public_note=public_note, by=coordinator)
    assert refused.value.messages == [message]
    assert Case.objects.get(pk=case.pk).status == S.SCREENING


def test_rejection_keeps_the_reason_for_staff_and_tells_the_complainant(
    case_factory: Callable[..., Case], coordinator: User
) -> None:
    case = put_in(case_factory(), S.SCREENING)
    triage.reject_case(
        case=case,
        reason=" anonymous rumour, nothing to check ",
        public_note="We cannot act without a place or a date.",
        by=coordinator,
    )
    case.refresh_from_db()
    assert case.status == S.REJECTED
    assert case.rejection_reason == "anonymous rumour, nothing to check"
    event = CaseEvent.objects.filter(case=case, to_status=S.REJECTED).get()
    assert event.public
    assert event.public_note == "We cannot act without a place or a date."
    assert event.note == "anonymous rumour, nothing to check"


def test_network_progress_and_resolution_need_their_words(
    case_factory: Callable[..., Case], coordinator: User
) -> None:
    case = put_in(case_factory(), S.SCREENING)
    with pytest.raises(ValidationError) as refused:
        triage.hand_to_network(case=case, note=" ", by=coordinator)
    assert refused.value.messages == ["Say which network handles the case."]
    triage.hand_to_network(
        case=case,
        note="Khlong Khuean network",
        public_note="A local network helps.",
        by=coordinator,
    )
    with pytest.raises(ValidationError):
        triage.record_progress(case=case, note="", by=coordinator)
    triage.record_progress(case=case, note="visit on Monday", by=coordinator)
    with pytest.raises(ValidationError) as refused:
        triage.resolve_case(case=case, outcome="", by=coordinator)
    assert refused.value.messages == ["Resolving a case needs its outcome."]
    triage.resolve_case(case=case, outcome="The fee was refunded.", by=coordinator)
    case.refresh_from_db()
    assert (case.status, case.outcome) == (S.RESOLVED, "The fee was refunded.")
    assert case.resolved_at is not None
    with pytest.raises(ValidationError) as refused:
        triage.close_case(case=case, outcome="", by=coordinator)
    assert refused.value.messages == ["Closing a case needs its outcome."]
    triage.close_case(case=case, outcome="Confirmed with the village.", by=coordinator)
    assert Case.objects.get(pk=case.pk).status == S.CLOSED
    statuses = list(
        CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STATUS).values_list(
            "to_status", flat=True
        )
    )
    # Set-up put the case in screening without an event.
    assert statuses == ["received", "network", "in_progress", "resolved", "closed"]


def test_reopening_needs_a_reason(case_factory: Callable[..., Case], coordinator: User) -> None:
    case = put_in(case_factory(), S.REJECTED)
    with pytest.raises(ValidationError) as refused:
        triage.reopen_case(case=case, note="", by=coordinator)
    assert refused.value.messages == ["Say why the case is reopened."]
    triage.reopen_case(case=case, note="The complainant sent a date.", by=coordinator)
    assert Case.objects.get(pk=case.pk).status == S.SCREENING


def test_reply_to_the_complainant_marks_their_messages_read(
    case_factory: Callable[..., Case], coordinator: User
) -> None:
    case = case_factory()
    earlier = Message.objects.create(
        case=case, at=case.created_at, sender=Message.Sender.COMPLAINANT, body="Any news?"
    )
    with pytest.raises(ValidationError):
        triage.reply_to_complainant(case=case, body="  ", by=coordinator)
    reply = triage.reply_to_complainant(
        case=case, body="We are screening your report.", by=coordinator
    )
    assert (reply.sender, reply.author, reply.body) == (
        Message.Sender.CENTRE,
        coordinator,
        "We are screening your report.",
    )
    earlier.refresh_from_db()
    assert earlier.read_by_centre_at is not None
    (event,) = audit_events("case.replied", case)
    assert event.data == {"status": "received", "message": reply.pk, "marked_read": 1}
    # The status does not change.
    assert Case.objects.get(pk=case.pk).status == S.RECEIVED


def test_internal_note_is_not_public(case_factory: Callable[..., Case], coordinator: User) -> None:
    case = case_factory()
    with pytest.raises(ValidationError):
        triage.add_internal_note(case=case, note="", by=coordinator)
    event = triage.add_internal_note(case=case, note="Called the district office.", by=coordinator)
    assert (event.kind, event.public, event.actor) == (CaseEvent.Kind.NOTE, False, coordinator)
    (audit,) = audit_events("case.note_added", case)
    assert audit.data == {"status": "received", "event": event.pk}


def test_reroute_after_correcting_the_facts(
    case_factory: Callable[..., Case], coordinator: User
) -> None:
    case = case_factory()
    assert case.unrouted
    proposals = triage.reroute(
        case=case,
        by=coordinator,
        kind=case.kind,
        rank="official",
        amount=Decimal("25000"),
        accused_agency=None,
        note="The complainant named the official's post.",
    )
    case.refresh_from_db()
    assert not case.unrouted
    assert (case.accused_rank, case.amount) == ("official", Decimal("25000"))
    assert [p.rule_code for p in proposals] == ["pacc-official"]
    assert [p.rule_code for p in RoutingProposal.objects.filter(case=case)] == ["pacc-official"]
    (event,) = audit_events("case.rerouted", case)
    assert event.data == {
        "status": "received",
        "changed": {"accused_rank": ["unknown", "official"], "amount": [None, "25000"]},
        "proposed": ["pacc-official"],
        "unrouted": False,
    }
    routing_event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.ROUTING)
    assert not routing_event.public
    # A closed case is not routed again.
    put_in(case, S.CLOSED)
    with pytest.raises(ValidationError):
        triage.reroute(
            case=case,
            by=coordinator,
            kind=case.kind,
            rank="political",
            amount=None,
            accused_agency=None,
        )


def test_audit_events_hold_no_personal_data(
    case_factory: Callable[..., Case], coordinator: User, agency_a: Agency
) -> None:
    serve_province(agency_a)
    case = case_factory(accused_rank="official", consent_to_disclose=True)
    triage.begin_screening(case=case, by=coordinator)
    triage.add_internal_note(case=case, note="secret internal words", by=coordinator)
    triage.reply_to_complainant(case=case, body="private reply words", by=coordinator)
    triage.refer_case(case=case, agencies=[agency_a], by=coordinator, override_reason="why not")
    data = json.dumps(
        list(
            AuditEvent.objects.filter(target_type="cases.case", target_id=str(case.pk)).values_list(
                "data", flat=True
            )
        ),
        ensure_ascii=False,
    )
    for private in (
        "นางสมศรี",
        "0812345678",
        case.description,
        "secret internal",
        "private reply",
        "why not",
    ):
        assert private not in data
