"""Retention of personal data (PDPA): the policy purges identities, contact details, the text
of messages and evidence once a final status is old enough, keeps the anonymised case, and
records each purge; a complainant may have their contact details erased early."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sujarit.audit.models import AuditEvent
from sujarit.cases.actions.followup import dispute_outcome, post_complainant_message
from sujarit.cases.actions.intake import Submission
from sujarit.cases.actions.retention import (
    REMOVED,
    NothingToErase,
    PurgeReason,
    erase_contact_details,
    purge_personal_data,
)
from sujarit.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Complainant,
    Dispute,
    Identity,
    IdentityRequest,
    Message,
    Referral,
    ReportKind,
    RetentionPolicy,
)
from sujarit.cases.retention import cases_due_for_purge, retention_table
from sujarit.cases.signals import personal_data_purge
from sujarit.cases.tasks import purge_expired, schedule_purge
from sujarit.cases.tests.staff_support import audit_events, put_in
from sujarit.cases.views.followup import FOLLOW_SESSION_KEY

S = CaseStatus
NAME, PHONE, EMAIL = "นางสมศรี ใจดี", "0812345678", "somsri@example.com"
SECRET_MESSAGE = "บ้านฉันอยู่ซอย 5 โทร 0812345678"


@pytest.fixture
def named(submit: Callable[..., Submission]) -> Callable[..., Case]:
    def make(**fields: Any) -> Case:
        values = {"identity": Identity.NAMED, "name": NAME, "phone": PHONE, "email": EMAIL}
        values.update(fields)
        return submit(**values).case

    return make


def _final(case: Case, status: str, days_ago: int) -> Case:
    put_in(case, status)
    Case.objects.filter(pk=case.pk).update(
        status_changed_at=timezone.now() - timedelta(days=days_ago)
    )
    case.refresh_from_db()
    return case


def _purged(case: Case) -> bool:
    case.refresh_from_db()
    return case.personal_data_purged_at is not None


# --- the policy --------------------------------------------------------------------------


def test_defaults_keep_a_rejected_report_one_year_and_a_closed_case_five(db: None) -> None:
    table = retention_table()
    assert table[(ReportKind.CORRUPTION, S.REJECTED)] == 365
    assert table[(ReportKind.GRIEVANCE, S.CLOSED)] == 5 * 365
    assert table[(ReportKind.PROCUREMENT, S.RESOLVED)] == 5 * 365
    assert not any(status == S.NETWORK for _, status in table)


def test_a_rule_for_one_kind_wins_over_a_rule_for_every_kind(db: None) -> None:
    RetentionPolicy.objects.create(kind="", status=S.REJECTED, days=100)
    RetentionPolicy.objects.create(kind=ReportKind.GRIEVANCE, status=S.REJECTED, days=30)
    table = retention_table()
    assert table[(ReportKind.GRIEVANCE, S.REJECTED)] == 30
    assert table[(ReportKind.CORRUPTION, S.REJECTED)] == 100
    assert table[(ReportKind.CORRUPTION, S.CLOSED)] == 5 * 365


def test_personal_data_is_purged_only_after_the_configured_days(named: Callable[..., Case]) -> None:
    young = _final(named(), S.REJECTED, 364)
    old = _final(named(), S.REJECTED, 366)
    closed_young = _final(named(), S.CLOSED, 366)
    closed_old = _final(named(), S.CLOSED, 5 * 365 + 1)
    assert set(cases_due_for_purge(timezone.now())) == {old, closed_old}
    run = purge_expired()
    assert sorted(run.cases) == sorted([old.pk, closed_old.pk])
    assert [_purged(c) for c in (young, old, closed_young, closed_old)] == [
        False,
        True,
        False,
        True,
    ]


@pytest.mark.parametrize("status", [S.RECEIVED, S.SCREENING, S.REFERRED, S.NETWORK, S.IN_PROGRESS])
def test_cases_still_being_handled_are_never_purged(
    named: Callable[..., Case], status: str
) -> None:
    case = _final(named(), status, 20 * 365)
    assert purge_expired().cases == []
    assert not _purged(case)
    assert Complainant.objects.get(case=case).name == NAME


def test_an_administrator_shortens_the_period(named: Callable[..., Case]) -> None:
    case = _final(named(kind=ReportKind.GRIEVANCE), S.RESOLVED, 40)
    assert purge_expired().cases == []
    RetentionPolicy.objects.create(kind=ReportKind.GRIEVANCE, status=S.RESOLVED, days=30)
    assert purge_expired().cases == [case.pk]


def test_a_purged_case_is_not_purged_again(named: Callable[..., Case]) -> None:
    case = _final(named(), S.REJECTED, 400)
    assert purge_expired().cases == [case.pk]
    assert purge_expired().cases == []
    assert len(audit_events("case.personal_data_purged", case)) == 1


def test_a_dry_run_lists_without_purging(named: Callable[..., Case]) -> None:
    case = _final(named(), S.REJECTED, 400)
    out = StringIO()
    call_command("purge-personal-data", "--dry-run", stdout=out)
    assert case.reference in out.getvalue()
    assert not _purged(case)
    call_command("purge-personal-data", stdout=out)
    assert _purged(case)


# --- what a purge removes and keeps ------------------------------------------------------


@pytest.fixture
def purge_receiver() -> Iterator[list[tuple[int, str]]]:
    """Stands for the evidence app: counts the files it would delete."""
    calls: list[tuple[int, str]] = []

    def receiver(sender: Any, case: Case, reason: str, **kwargs: Any) -> int:
        calls.append((case.pk, str(reason)))
        return 3

    personal_data_purge.connect(receiver, dispatch_uid="test-evidence")
    yield calls
    personal_data_purge.disconnect(dispatch_uid="test-evidence")


def test_a_purge_erases_contacts_and_message_texts_and_keeps_the_case(
    named: Callable[..., Case], purge_receiver: list[tuple[int, str]]
) -> None:
    case = named(description="ผู้ใหญ่บ้านเรียกเก็บเงิน")
    post_complainant_message(case=case, body=SECRET_MESSAGE)
    put_in(case, S.RESOLVED)
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now())
    case.refresh_from_db()
    dispute_outcome(case=case, text="ยังไม่แก้ " + PHONE)
    events_before = CaseEvent.objects.filter(case=case).count()

    purge = purge_personal_data(case=case, reason=PurgeReason.RETENTION)

    complainant = Complainant.objects.get(case=case)
    assert complainant.erased_at is not None
    assert (complainant.name, complainant.phone, complainant.email) == ("", "", "")
    message = Message.objects.get(case=case)
    assert SECRET_MESSAGE not in message.body and message.sender == Message.Sender.COMPLAINANT
    assert PHONE not in Dispute.objects.get(case=case).text
    assert not CaseEvent.objects.filter(case=case, public_note__contains=PHONE).exists()
    # The case, its facts and its history stay; one erasure step is added.
    case.refresh_from_db()
    assert case.description == "ผู้ใหญ่บ้านเรียกเก็บเงิน" and case.kind == ReportKind.CORRUPTION
    assert CaseEvent.objects.filter(case=case).count() == events_before + 1
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STATUS).exists()
    assert purge_receiver == [(case.pk, "retention")]
    assert purge.messages == 1 and purge.disputes == 1

    (event,) = audit_events("case.personal_data_purged", case)
    assert event.data["reason"] == "retention" and event.data["contact_fields"] == 3
    assert event.data["messages"] == 1
    # Each receiver's count is kept under its name (the evidence app's among them).
    ours = {k: v for k, v in event.data["elsewhere"].items() if "test_retention" in k}
    assert list(ours.values()) == [3]
    assert event.data["elsewhere"]["sujarit.evidence.actions.purge_case_evidence"] == 0
    for secret in (NAME, PHONE, EMAIL, SECRET_MESSAGE):
        assert secret not in str(event.data)


def test_the_marker_that_replaces_a_message_is_in_the_site_language(
    named: Callable[..., Case], settings: Any
) -> None:
    case = named()
    post_complainant_message(case=case, body=SECRET_MESSAGE)
    # Purged by an operator working in English: the complainant still reads the site's language.
    with translation.override("en"):
        purge_personal_data(case=case, reason=PurgeReason.RETENTION)
    with translation.override(settings.LANGUAGE_CODE):
        expected = str(REMOVED)
    assert Message.objects.get(case=case).body == expected


def test_after_a_purge_no_table_holds_the_message_or_contact(named: Callable[..., Case]) -> None:
    case = named()
    post_complainant_message(case=case, body=SECRET_MESSAGE)
    purge_personal_data(case=case, reason=PurgeReason.RETENTION)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body FROM {Message._meta.db_table}")  # noqa: S608
        bodies = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"SELECT * FROM {Complainant._meta.db_table}")  # noqa: S608
        (row,) = cursor.fetchall()
    assert "0812345678" not in bodies
    # Only the id, the case and the erasure time are left: every contact column is NULL.
    assert sum(value is not None for value in row) == 3


def test_statistics_count_a_purged_case_as_before(named: Callable[..., Case]) -> None:
    cases = [_final(named(), S.CLOSED, 6 * 365) for _ in range(3)]
    purge_expired()
    assert Case.objects.filter(status=S.CLOSED, pk__in=[c.pk for c in cases]).count() == 3
    assert all(_purged(c) for c in cases)


def test_a_failing_receiver_purges_nothing(named: Callable[..., Case]) -> None:
    case = named()

    def broken(**kwargs: Any) -> int:
        raise OSError("storage unreachable")

    personal_data_purge.connect(broken, dispatch_uid="test-broken")
    try:
        with pytest.raises(OSError, match="storage unreachable"):
            purge_personal_data(case=case, reason=PurgeReason.RETENTION)
    finally:
        personal_data_purge.disconnect(dispatch_uid="test-broken")
    assert Complainant.objects.get(case=case).name == NAME
    assert not _purged(case)


def test_an_anonymous_report_is_purged_of_its_messages(submit: Callable[..., Submission]) -> None:
    case = submit(identity=Identity.ANONYMOUS, name="", phone="").case
    post_complainant_message(case=case, body=SECRET_MESSAGE)
    purge = purge_personal_data(case=case, reason=PurgeReason.RETENTION)
    assert purge.erasure is None and purge.messages == 1
    assert (event := audit_events("case.personal_data_purged", case)[0]).data["contact_fields"] == 0
    assert event.actor_label == "system"


# --- the daily task ----------------------------------------------------------------------


def test_the_purge_is_scheduled_once(db: None) -> None:
    first = schedule_purge()
    assert first is not None and first.status == TaskResultStatus.READY
    assert schedule_purge() is None
    out = StringIO()
    call_command("purge-personal-data", "--schedule", stdout=out)
    assert DBTaskResult.objects.filter(task_path=first.task_path).count() == 1


# --- the administrator's rules are audited -------------------------------------------------


@pytest.fixture
def admin_client(admin_user: Any, verified_client: Callable[[Any], Client]) -> Client:
    return verified_client(admin_user)


def test_retention_rules_are_edited_in_the_admin_and_audited(admin_client: Client) -> None:
    url = reverse("admin:cases_retentionpolicy_add")
    response = admin_client.post(url, {"kind": "", "status": S.REJECTED, "days": "200"})
    assert response.status_code == 302
    policy = RetentionPolicy.objects.get()
    change = reverse("admin:cases_retentionpolicy_change", args=[policy.pk])
    data = {"kind": "", "status": S.REJECTED, "days": "100"}
    assert admin_client.post(change, data).status_code == 302
    delete = reverse("admin:cases_retentionpolicy_delete", args=[policy.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    actions = list(
        AuditEvent.objects.filter(action__startswith="cases.retention_").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "cases.retention_created",
        "cases.retention_changed",
        "cases.retention_deleted",
    ]


def test_a_retention_rule_for_a_status_still_in_progress_is_refused(admin_client: Client) -> None:
    url = reverse("admin:cases_retentionpolicy_add")
    response = admin_client.post(url, {"kind": "", "status": S.SCREENING, "days": "10"})
    assert response.status_code == 200 and not RetentionPolicy.objects.exists()


# --- early erasure at the complainant's request --------------------------------------------


def _open_follow_up(client: Client, case: Case) -> None:
    session = client.session
    session[FOLLOW_SESSION_KEY] = {
        "case": case.pk,
        "receipt": case.receipt_hash,
        "seen": int(timezone.now().timestamp()),
    }
    session.save()


def test_the_complainant_erases_contact_details_after_confirming(
    named: Callable[..., Case], client: Client
) -> None:
    case = named()
    _open_follow_up(client, case)
    page = client.get(reverse("cases:follow-case")).content.decode()
    assert reverse("cases:follow-erase") in page
    confirm = client.get(reverse("cases:follow-erase"))
    assert confirm.status_code == 200
    # The consequence, in the site's language.
    assert (
        translation.gettext(
            "If an agency has asked to know who you are and no decision has been made yet, the "
            "request lapses: nothing is left to give it."
        )
        in confirm.content.decode()
    )
    # Nothing is erased by looking at the confirmation, nor by a POST without the answer.
    client.post(reverse("cases:follow-erase"), {})
    assert Complainant.objects.get(case=case).erased_at is None

    response = client.post(reverse("cases:follow-erase"), {"confirm": "erase"})
    assert response.status_code == 302
    complainant = Complainant.objects.get(case=case)
    assert complainant.erased_at is not None and complainant.phone == ""
    (event,) = audit_events("case.contact_details_erased", case)
    assert event.data == {
        "reason": "complainant_request",
        "status": S.RECEIVED,
        "fields": 3,
        "identity_requests_lapsed": 0,
    }
    page = client.get(reverse("cases:follow-case")).content.decode()
    assert reverse("cases:follow-erase") not in page
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ERASURE, public=True).exists()
    with translation.override("th"):
        from sujarit.cases.followup import EVENT_SENTENCES

        assert str(EVENT_SENTENCES[CaseEvent.Kind.ERASURE]) in page
    # Early erasure leaves the rest for the retention policy.
    assert not _purged(case)


def test_erasing_twice_is_refused_politely(named: Callable[..., Case], client: Client) -> None:
    case = named()
    erase_contact_details(case=case)
    with pytest.raises(NothingToErase):
        erase_contact_details(case=case)
    _open_follow_up(client, case)
    response = client.get(reverse("cases:follow-erase"))
    assert response.status_code == 302


def test_erasure_needs_an_opened_report(named: Callable[..., Case], client: Client) -> None:
    case = named()
    response = client.post(reverse("cases:follow-erase"), {"confirm": "erase"})
    assert response.status_code == 302 and response["Location"] == reverse("cases:follow")
    assert Complainant.objects.get(case=case).erased_at is None


def test_pending_identity_requests_lapse_on_erasure(
    named: Callable[..., Case], coordinator: Any, officer_a: Any
) -> None:
    case = named()
    referral = Referral.objects.create(
        case=case, agency=officer_a.agency, referred_by=coordinator, referred_at=timezone.now()
    )
    request = IdentityRequest.objects.create(
        referral=referral, requested_by=officer_a, requested_at=timezone.now(), reason="ต้องสอบ"
    )
    erasure = erase_contact_details(case=case)
    request.refresh_from_db()
    assert erasure.lapsed_requests == 1 and request.status == IdentityRequest.Status.LAPSED
    from sujarit.cases.queries import complainant_for

    assert complainant_for(coordinator, case) is None


def test_the_api_erases_contact_details_with_confirmation(
    submit: Callable[..., Submission], client: Client
) -> None:
    submission = submit(identity=Identity.NAMED, name=NAME, phone=PHONE)
    url = "/api/v1/reports/erase-contact-details"
    body = {"code": submission.receipt_code, "passphrase": ""}
    refused = client.post(url, {**body, "confirm": False}, content_type="application/json")
    assert refused.status_code == 422
    done = client.post(url, {**body, "confirm": True}, content_type="application/json")
    assert done.status_code == 200 and done.json() == {"erased_fields": 2}
    again = client.post(url, {**body, "confirm": True}, content_type="application/json")
    assert again.status_code == 409
    follow = client.post("/api/v1/reports/follow-up", body, content_type="application/json")
    assert follow.json()["has_contact_details"] is False


def test_the_coordinator_reads_that_the_details_were_erased(
    named: Callable[..., Case], coordinator: Any, verified_client: Callable[[Any], Client]
) -> None:
    case = named()
    client = verified_client(coordinator)
    assert NAME in client.get(reverse("cases:case", args=[case.pk])).content.decode()
    erase_contact_details(case=case)
    html = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert NAME not in html
    assert translation.gettext(
        "The complainant's contact details were erased (at their request or under the "
        "retention policy)."
    ) in html.replace("&#x27;", "'")
