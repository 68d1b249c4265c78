"""Reminders of overdue cases and unacknowledged referrals: who gets them, once, what they say,
and how the background task keeps itself scheduled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sujarit.accounts.actions import create_user
from sujarit.accounts.models import Role
from sujarit.audit.models import AuditEvent
from sujarit.cases.actions.agency import acknowledge_referral
from sujarit.cases.models import Case, CaseStatus, Identity, Referral
from sujarit.cases.tasks import (
    REMINDER_INTERVAL,
    remind_overdue,
    schedule_reminders,
    send_overdue_reminders,
)
from sujarit.cases.tests.agency_support import refer
from sujarit.cases.workflow import move

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 3, 16, 9, 0, tzinfo=UTC)
NAME = "นางสมศรี ใจดี"
PHONE = "0812345678"
DESCRIPTION = "นายกเทศมนตรีเรียกรับเงินจากผู้รับเหมา"


@pytest.fixture
def screening_case(case_factory, coordinator):
    """A confidential case in screening since T0: due at T0 + 3 days."""
    case = case_factory(name=NAME, phone=PHONE, description=DESCRIPTION)
    move(case, CaseStatus.SCREENING, by=coordinator, now=T0)
    return case


def test_nothing_is_sent_before_anything_is_due(screening_case):
    run = remind_overdue(now=T0 + timedelta(days=2))
    assert (run.cases, run.referrals, run.emails) == (0, 0, 0)
    assert mail.outbox == []


def test_every_coordinator_is_reminded_of_a_case_nobody_handles(
    screening_case, coordinator, other_coordinator, officer_a
):
    run = remind_overdue(now=T0 + timedelta(days=4))
    assert (run.cases, run.emails) == (1, 2)
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]
    screening_case.refresh_from_db()
    assert screening_case.reminded_at == T0 + timedelta(days=4)
    event = AuditEvent.objects.get(action="case.reminder_sent")
    assert event.actor is None
    assert event.target_id == str(screening_case.pk)
    assert event.data == {"status": "screening", "recipients": 2}


def test_the_handling_coordinator_alone_is_reminded(screening_case, coordinator, other_coordinator):
    screening_case.assigned_to = other_coordinator
    screening_case.save(update_fields=["assigned_to"])
    remind_overdue(now=T0 + timedelta(days=4))
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]


def test_one_reminder_per_case_and_state(screening_case, coordinator):
    remind_overdue(now=T0 + timedelta(days=4))
    assert len(mail.outbox) == 1
    again = remind_overdue(now=T0 + timedelta(days=6))
    assert (again.cases, again.emails) == (0, 0)
    assert len(mail.outbox) == 1
    # Moving on clears the mark: the next state's service level gets its own reminder.
    move(screening_case, CaseStatus.REFERRED, by=coordinator, now=T0 + timedelta(days=6))
    assert remind_overdue(now=T0 + timedelta(days=20)).cases == 0
    assert remind_overdue(now=T0 + timedelta(days=22)).cases == 1
    assert len(mail.outbox) == 2


def test_the_reminder_is_in_thai_then_english_and_names_no_complainant(screening_case, coordinator):
    remind_overdue(now=T0 + timedelta(days=4, hours=1))
    (message,) = mail.outbox
    assert message.subject == (
        "สุจริต: เรื่องและการส่งต่อที่เกินกำหนด / Sujarit: overdue cases and referrals"
    )
    body = message.body
    assert screening_case.reference in body
    thai = body.index("เรื่องต่อไปนี้เกินกำหนดเวลา")
    english = body.index("These cases are past their service level")
    assert thai < english
    assert "เกินกำหนด 2 วัน" in body
    assert "2 days overdue" in body
    for private in (NAME, PHONE, DESCRIPTION):
        assert private not in body
        assert private not in message.subject


def test_officers_are_reminded_of_an_unacknowledged_referral(
    case_factory, coordinator, agency_a, officer_a, officer_b
):
    case = case_factory(name=NAME, phone=PHONE, identity=Identity.NAMED, consent_to_disclose=True)
    (referral,) = refer(case, agency_a, by=coordinator, now=T0)
    second_officer = create_user(
        username="chanida",
        email="chanida@example.org",
        role=Role.AGENCY_OFFICER,
        agency=agency_a,
        by=None,
    )
    run = remind_overdue(now=T0 + timedelta(days=16))
    assert run.referrals == 1
    officer_mail = [m for m in mail.outbox if m.to[0] in {officer_a.email, second_officer.email}]
    assert len(officer_mail) == 2
    assert officer_b.email not in {m.to[0] for m in mail.outbox}
    body = officer_mail[0].body
    assert reverse("cases:referral", args=[referral.pk]) in body
    assert "ยังไม่ได้ตอบรับภายในกำหนด" in body
    assert "have not been acknowledged in time" in body
    assert NAME not in body and PHONE not in body
    referral.refresh_from_db()
    assert referral.reminded_at == T0 + timedelta(days=16)
    event = AuditEvent.objects.get(action="referral.reminder_sent")
    assert event.data == {
        "case": case.pk,
        "agency": agency_a.pk,
        "status": "sent",
        "recipients": 2,
    }
    # Once only, and not at all once acknowledged.
    assert remind_overdue(now=T0 + timedelta(days=17)).referrals == 0


def test_an_acknowledged_referral_is_not_reminded(case_factory, coordinator, agency_a, officer_a):
    case = case_factory()
    (referral,) = refer(case, agency_a, by=coordinator, now=T0)
    acknowledge_referral(referral=referral, by=officer_a, now=T0 + timedelta(days=1))
    run = remind_overdue(now=T0 + timedelta(days=16))
    assert run.referrals == 0
    assert officer_a.email not in {m.to[0] for m in mail.outbox}


def test_a_referral_whose_agency_has_no_officer_waits(case_factory, coordinator, agency_b):
    case = case_factory()
    (referral,) = refer(case, agency_b, by=coordinator, now=T0)
    assert remind_overdue(now=T0 + timedelta(days=16)).referrals == 0
    referral.refresh_from_db()
    assert referral.reminded_at is None


def test_a_failing_mail_server_marks_nothing(screening_case, coordinator, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # the discard port: nothing listens there
    with pytest.raises(OSError):
        remind_overdue(now=T0 + timedelta(days=4))
    screening_case.refresh_from_db()
    assert screening_case.reminded_at is None
    assert not AuditEvent.objects.filter(action="case.reminder_sent").exists()


# --- the background task ------------------------------------------------------------------


def waiting_runs() -> QuerySet[DBTaskResult[[], dict[str, int]]]:
    return DBTaskResult.objects.filter(
        task_path=send_overdue_reminders.module_path, status=TaskResultStatus.READY
    )


def test_scheduling_never_piles_up_copies():
    first = schedule_reminders()
    assert first is not None
    assert schedule_reminders() is None
    assert schedule_reminders(delay=REMINDER_INTERVAL) is None
    assert waiting_runs().count() == 1


# The worker closes and reopens database connections between tasks, as a real one does; that
# needs a test outside the usual per-test transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_task_which_schedules_the_next_run(
    case_factory, coordinator, agency_a, officer_a
):
    case = case_factory()
    refer(case, agency_a, by=coordinator, now=timezone.now() - timedelta(days=20))
    out = StringIO()
    call_command("sla-reminders", "--schedule", stdout=out)
    # Commands speak the site's language (Thai).
    assert out.getvalue().startswith("ตั้งงานแจ้งเตือนแล้ว (")
    assert waiting_runs().count() == 1
    before = timezone.now()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO())
    done = DBTaskResult.objects.get(
        task_path=send_overdue_reminders.module_path, status=TaskResultStatus.SUCCESSFUL
    )
    assert done.return_value == {"cases": 1, "referrals": 1, "emails": 2}
    assert {m.to[0] for m in mail.outbox} == {coordinator.email, officer_a.email}
    # The next run waits an hour.
    (following,) = waiting_runs()
    assert following.run_after >= before + REMINDER_INTERVAL
    assert following.run_after <= timezone.now() + REMINDER_INTERVAL
    # Running the worker again now finds nothing ready: the hourly run is not due yet.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO())
    assert len(mail.outbox) == 2
    assert waiting_runs().count() == 1


def test_the_command_sends_once_now_without_scheduling(screening_case, coordinator):
    screening_case.due_at = timezone.now() - timedelta(hours=1)
    screening_case.save(update_fields=["due_at"])
    out = StringIO()
    call_command("sla-reminders", stdout=out)
    assert len(mail.outbox) == 1
    assert out.getvalue().strip() == (
        "ส่งการแจ้งเตือนแล้ว: เรื่องที่เกินกำหนด 1 เรื่อง การส่งต่อที่ยังไม่ตอบรับ 0 เรื่อง รวม 1 อีเมล"
    )
    assert not waiting_runs().exists()
    call_command("sla-reminders", "--schedule", stdout=StringIO())
    out = StringIO()
    call_command("sla-reminders", "--schedule", stdout=out)
    assert out.getvalue().strip() == "งานแจ้งเตือนอยู่ในคิวแล้ว"
    assert waiting_runs().count() == 1
    assert Case.objects.get(pk=screening_case.pk).reminded_at is not None
    assert Referral.objects.count() == 0
