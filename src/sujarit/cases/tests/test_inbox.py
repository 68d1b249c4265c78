"""The intake inbox: the API acknowledges a report with one sealed row, and the registrar
makes the case from it, exactly as the synchronous path would have."""

from __future__ import annotations

import importlib
import threading
import time
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

import pytest

from sujarit.audit.models import AuditEvent
from sujarit.cases import receipts
from sujarit.cases.actions import inbox
from sujarit.cases.actions.inbox import from_payload, register_pending, to_payload
from sujarit.cases.actions.intake import submit_report
from sujarit.cases.forms_intake import ApiIntakeForm
from sujarit.cases.models import (
    Case,
    CaseFingerprint,
    Complainant,
    PendingReport,
    ReceiptThrottle,
)
from sujarit.cases.tests.test_api_reports import FOLLOW_UP, MESSAGES, SUBMIT, new_key, post
from sujarit.cases.tests.test_api_reports import report_body as api_body
from sujarit.textsearch.models import CaseText

NAME = "สมหญิง ผู้แจ้งทดสอบ"
PHONE = "0812345678"


@pytest.fixture(autouse=True)
def _inbox_on(settings: Any) -> None:
    settings.SUJARIT_INTAKE_INBOX = True


def report_body(**changes: Any) -> dict[str, Any]:
    return api_body(identity="confidential", name=NAME, phone=PHONE, passphrase="", **changes)


def test_the_api_acknowledges_with_a_sealed_row_and_the_registrar_makes_the_case(
    client: Client, cases_area: str
) -> None:
    response = post(client, SUBMIT, report_body(), key=new_key())
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["created"] is True and data["status"] == "received"
    assert receipts.is_well_formed(data["receipt_code"])
    # Acknowledged: one row, and no case yet.
    assert not Case.objects.exists()
    row = PendingReport.objects.get()
    assert row.registered_at is None
    # The row holds no readable personal data: the payload is sealed.
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM cases_pendingreport")
        (raw,) = cursor.fetchone()
    assert NAME.encode() not in bytes(raw) and PHONE.encode() not in bytes(raw)
    assert b"240101" not in bytes(raw)

    assert register_pending().registered == 1

    case = Case.objects.get()
    assert receipts.matches(data["receipt_code"], case.receipt_hash)
    assert case.channel == "api" and case.amount == Decimal("1250000.50")
    assert case.created_at == row.received_at  # the clock starts when it was received
    assert Complainant.objects.get(case=case).name == NAME
    assert AuditEvent.objects.filter(action="case.submitted", target_id=str(case.pk)).exists()
    assert case.proposals.exists()
    assert CaseText.objects.filter(case=case).exists()
    assert CaseFingerprint.objects.filter(case=case).exists()
    row.refresh_from_db()
    assert row.case == case and row.registered_at is not None
    assert row.payload == ""  # the copy of the contact details is gone
    assert register_pending().registered == 0


def test_a_repeat_answers_with_the_same_code_before_and_after_registration(
    client: Client, cases_area: str
) -> None:
    key = new_key()
    first = post(client, SUBMIT, report_body(), key=key)
    again = post(client, SUBMIT, report_body(), key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["receipt_code"] == first.json()["receipt_code"]
    assert again.json()["created"] is False
    other = post(client, SUBMIT, report_body(description="เรื่องอื่นที่ไม่เกี่ยวกันเลยแม้แต่น้อย"), key=key)
    assert other.status_code == 409
    assert other.json()["errors"]["Idempotency-Key"][0]["code"] == "key_reused"

    register_pending()
    later = post(client, SUBMIT, report_body(), key=key)
    assert later.status_code == 200
    assert later.json()["receipt_code"] == first.json()["receipt_code"]
    changed = report_body(description="อีกเรื่องหนึ่งที่ไม่ใช่เรื่องเดิม")
    assert post(client, SUBMIT, changed, key=key).status_code == 409
    assert Case.objects.count() == 1 and PendingReport.objects.count() == 1


def test_follow_up_before_registration_says_it_is_being_registered(
    client: Client, cases_area: str
) -> None:
    code = post(client, SUBMIT, report_body(), key=new_key()).json()["receipt_code"]
    for url, body in ((FOLLOW_UP, {"code": code}), (MESSAGES, {"code": code, "body": "สวัสดี"})):
        response = post(client, url, body)
        assert response.status_code == 409, response.content
        assert response["Retry-After"] == "30"
        assert response.json()["errors"]["__all__"][0]["code"] == "registering"
        assert "กำลังลงทะเบียน" in response.json()["errors"]["__all__"][0]["message"]
    evidence = client.post(
        "/api/v1/reports/evidence",
        {"code": code, "evidence": SimpleUploadedFile("a.txt", b"not yet")},
        REMOTE_ADDR="203.0.113.9",
    )
    assert evidence.status_code == 409
    assert evidence.json()["errors"]["__all__"][0]["code"] == "registering"
    # The web page says the same, and none of these counts as a wrong try.
    page = client.post("/follow/", {"code": code}, REMOTE_ADDR="203.0.113.9")
    assert "กำลังลงทะเบียน" in page.content.decode()
    assert not ReceiptThrottle.objects.filter(failures__gt=0).exists()
    register_pending()
    assert post(client, FOLLOW_UP, {"code": code}).status_code == 200


def test_a_report_that_fails_to_register_is_kept_and_does_not_block_the_others(
    client: Client, cases_area: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    post(client, SUBMIT, report_body(description="รายงานแรกที่ลงทะเบียนไม่ได้"), key=new_key())
    post(client, SUBMIT, report_body(), key=new_key())
    real = submit_report
    calls = {"n": 0}

    def first_fails(**kwargs: Any) -> Any:
        calls["n"] += 1
        if "ลงทะเบียนไม่ได้" in kwargs["report"].description:
            raise RuntimeError("หมู่บ้านของสมหญิง")  # a message that quotes the report
        return real(**kwargs)

    monkeypatch.setattr("sujarit.cases.actions.inbox.submit_report", first_fails)
    result = register_pending()
    assert (result.registered, result.failed) == (1, 1)
    assert Case.objects.count() == 1
    failed = PendingReport.objects.get(registered_at__isnull=True)
    assert failed.attempts == 1 and failed.last_error == "RuntimeError"
    assert "สมหญิง" not in failed.last_error
    # Retried until MAX_ATTEMPTS, then left for a person.
    for _ in range(inbox.MAX_ATTEMPTS + 2):
        register_pending()
    failed.refresh_from_db()
    assert failed.attempts == inbox.MAX_ATTEMPTS
    monkeypatch.setattr("sujarit.cases.actions.inbox.submit_report", real)
    PendingReport.objects.filter(pk=failed.pk).update(attempts=0)
    assert register_pending().registered == 1
    assert Case.objects.count() == 2


def test_the_payload_round_trips_every_field(cases_area: str) -> None:
    form = ApiIntakeForm(
        {**report_body(latitude="13.69", longitude="101.07"), "idempotency_key": new_key()}
    )
    assert form.is_valid(), form.errors
    report = form.report_input(channel="api")
    assert from_payload(to_payload(report)) == report


def test_the_command_registers_what_is_waiting(client: Client, cases_area: str) -> None:
    for _ in range(3):
        post(client, SUBMIT, report_body(), key=new_key())
    call_command("register-reports", "--once", "--nice", "0", "--batch", "2")
    assert Case.objects.count() == 3
    assert not PendingReport.objects.filter(registered_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_two_registrars_never_register_a_report_twice(client: Client, cases_area: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("truly concurrent writers need PostgreSQL (SQLite serialises them)")
    for _ in range(12):
        post(client, SUBMIT, report_body(), key=new_key())
    errors: list[BaseException] = []

    def registrar() -> None:
        try:
            while register_pending(batch=2).registered:
                pass
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=registrar) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Case.objects.count() == 12
    assert PendingReport.objects.filter(case__isnull=False).count() == 12


def test_the_task_worker_registers_reports_no_registrar_took(
    client: Client, cases_area: str
) -> None:
    from datetime import timedelta

    from django_tasks_db.models import DBTaskResult

    from sujarit.cases import tasks

    assert tasks.schedule_inbox_check() is not None
    assert tasks.schedule_inbox_check() is None
    waiting = DBTaskResult.objects.filter(task_path=tasks.register_stale_reports.module_path)
    assert waiting.count() == 1
    post(client, SUBMIT, report_body(), key=new_key())
    post(client, SUBMIT, report_body(), key=new_key())
    # One waited two minutes, the other just came: only the first is the task's to take.
    old = PendingReport.objects.order_by("received_at").first()
    assert old is not None
    PendingReport.objects.filter(pk=old.pk).update(
        received_at=old.received_at - timedelta(minutes=2)
    )
    waiting.delete()

    result = tasks.register_stale_reports.call()

    assert result == {"registered": 1, "failed": 0}
    assert PendingReport.objects.filter(registered_at__isnull=True).count() == 1
    assert waiting.count() == 1  # the next check is queued


def test_the_admin_lists_waiting_reports_without_their_content_and_retries_them(
    client: Client, admin_user: Any, verified_client: Any, cases_area: str
) -> None:
    admin_client = verified_client(admin_user)
    post(client, SUBMIT, report_body(), key=new_key())
    row = PendingReport.objects.get()
    PendingReport.objects.filter(pk=row.pk).update(
        attempts=inbox.MAX_ATTEMPTS, last_error="RuntimeError"
    )
    page = admin_client.get("/admin/cases/pendingreport/")
    assert page.status_code == 200
    text = page.content.decode()
    assert str(row.pk) in text and "RuntimeError" in text
    assert NAME not in text and PHONE not in text
    assert register_pending().registered == 0  # it waits for a person

    admin_client.post(
        "/admin/cases/pendingreport/",
        {"action": "try_again", "_selected_action": [str(row.pk)]},
    )

    assert AuditEvent.objects.filter(action="intake.retry_registration").exists()
    assert register_pending().registered == 1
    assert admin_client.get(f"/admin/cases/pendingreport/{row.pk}/change/").status_code == 200


def test_receipt_codes_stay_unique_across_cases_and_waiting_reports(
    client: Client, cases_area: str, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """Two keys whose codes collide: whichever door comes second is refused, so that one
    code never opens two reports."""
    from sujarit.cases.actions.intake import ReceiptCollision

    fixed = receipts.code_for("one key")
    monkeypatch.setattr(receipts, "code_for", lambda key: fixed)
    waiting = post(client, SUBMIT, report_body(), key=new_key())
    assert waiting.status_code == 201
    form = ApiIntakeForm({**report_body(), "idempotency_key": new_key()})
    assert form.is_valid()
    with pytest.raises(ReceiptCollision):
        submit_report(report=form.report_input())

    register_pending()
    collision = post(client, SUBMIT, report_body(), key=new_key())
    assert collision.status_code == 409
    assert collision.json()["errors"]["Idempotency-Key"][0]["code"] == "collision"
    assert Case.objects.count() == 1


def test_a_key_first_sent_when_cases_were_made_in_the_request_answers_200(
    client: Client, cases_area: str, settings: Any
) -> None:
    key = new_key()
    settings.SUJARIT_INTAKE_INBOX = False
    first = post(client, SUBMIT, report_body(), key=key)
    settings.SUJARIT_INTAKE_INBOX = True
    again = post(client, SUBMIT, report_body(), key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["receipt_code"] == first.json()["receipt_code"]
    assert not PendingReport.objects.exists() and Case.objects.count() == 1


def waiting_rows(count: int, *, received_at: datetime, registered: bool = False) -> None:
    for index in range(count):
        PendingReport.objects.create(
            idempotency_hash=f"burst-key-{received_at.timestamp()}-{index}",
            receipt_hash=f"burst-code-{received_at.timestamp()}-{index}",
            payload="{}",
            received_at=received_at,
            registered_at=received_at if registered else None,
        )


@pytest.mark.django_db
def test_a_burst_is_reports_arriving_fast_while_none_has_waited_too_long() -> None:
    now = timezone.now()
    assert not inbox.burst_under_way(busy=5, patience=30, now=now)
    # Four in the last second: not yet a burst of five.
    waiting_rows(4, received_at=now - timedelta(milliseconds=300))
    assert not inbox.burst_under_way(busy=5, patience=30, now=now)
    # Registered reports are not waiting, whenever they came.
    waiting_rows(3, received_at=now - timedelta(milliseconds=200), registered=True)
    assert not inbox.burst_under_way(busy=5, patience=30, now=now)
    waiting_rows(1, received_at=now - timedelta(milliseconds=100))
    assert inbox.burst_under_way(busy=5, patience=30, now=now)
    # Older arrivals fall out of the window: the same five, seen two seconds later.
    assert not inbox.burst_under_way(busy=5, patience=30, now=now + timedelta(seconds=2))
    # However fast reports keep coming, none waits longer than the patience.
    waiting_rows(1, received_at=now - timedelta(seconds=31))
    assert not inbox.burst_under_way(busy=5, patience=30, now=now)
    assert inbox.burst_under_way(busy=5, patience=60, now=now)


def test_the_command_with_once_registers_even_during_a_burst(
    client: Client, cases_area: str
) -> None:
    for _ in range(4):
        post(client, SUBMIT, report_body(), key=new_key())
    assert inbox.burst_under_way(busy=4, patience=30)
    call_command("register-reports", "--once", "--nice", "0", "--burst", "4")
    assert Case.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_the_registrar_vacuums_the_inbox_once_it_is_empty(
    client: Client, cases_area: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        assert inbox.tidy_inbox() is False  # nothing to do on SQLite
        return
    for _ in range(3):
        post(client, SUBMIT, report_body(), key=new_key())
    table = PendingReport._meta.db_table

    def vacuums() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = %s", [table]
            )
            return int(cursor.fetchone()[0])

    before = vacuums()
    call_command("register-reports", "--once", "--nice", "0")
    assert vacuums() == before  # three registrations: not worth a vacuum
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [table])
        options = cursor.fetchone()[0]
    assert "autovacuum_vacuum_threshold=1000" in options
    # With the threshold at three, the next three registrations end with a vacuum.
    for _ in range(3):
        post(client, SUBMIT, report_body(), key=new_key())
    command = importlib.import_module("sujarit.cases.management.commands.register-reports")
    monkeypatch.setattr(command, "TIDY_AFTER", 3)
    call_command("register-reports", "--once", "--nice", "0")
    assert Case.objects.count() == 6
    deadline = time.monotonic() + 5
    while vacuums() == before and time.monotonic() < deadline:
        time.sleep(0.1)  # the statistics reach the view a moment later
    assert vacuums() == before + 1
