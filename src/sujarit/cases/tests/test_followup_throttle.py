"""Wrong receipt codes are counted per client and lock it out for a while."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from sujarit.audit.models import AuditEvent
from sujarit.cases import receipts
from sujarit.cases.actions.followup import (
    ReceiptOutcome,
    address_bucket,
    throttle_key,
    verify_receipt,
)
from sujarit.cases.actions.intake import Submission
from sujarit.cases.models import ReceiptThrottle

FOLLOW = reverse("cases:follow")
WRONG = receipts.code_for("a-report-nobody-sent")


def mistype(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


@pytest.fixture
def limit(settings: Any) -> int:
    settings.SUJARIT_RECEIPT_MAX_FAILURES = 3
    settings.SUJARIT_RECEIPT_LOCKOUT_MINUTES = 30
    return 3


def test_right_code_opens_the_case(submit: Callable[..., Submission]) -> None:
    submission = submit()
    result = verify_receipt(
        code_text=receipts.display(submission.receipt_code),
        passphrase="",
        client_address="192.0.2.1",
    )
    assert result.ok and result.case == submission.case
    event = AuditEvent.objects.get(action="case.followed_up")
    assert event.target_id == str(submission.case.pk)
    assert submission.receipt_code not in str(event.data)


def test_thai_digits_spaces_and_dashes_are_accepted(submit: Callable[..., Submission]) -> None:
    code = submit().receipt_code
    thai = code.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    typed = f"{thai[:4]}-{thai[4:8]} {thai[8:12]}  {thai[12:]}"
    assert verify_receipt(code_text=typed, passphrase="", client_address="192.0.2.1").ok


def test_mistyped_and_unknown_codes_are_told_apart(cases_area: str) -> None:
    mistyped = verify_receipt(code_text=mistype(WRONG), passphrase="", client_address="192.0.2.1")
    unknown = verify_receipt(code_text=WRONG, passphrase="", client_address="192.0.2.1")
    assert mistyped.outcome == ReceiptOutcome.MISTYPED
    assert unknown.outcome == ReceiptOutcome.NOT_FOUND
    # Both count against the client.
    assert ReceiptThrottle.objects.get(key=throttle_key("192.0.2.1")).failures == 2


def test_client_is_locked_after_n_wrong_codes_even_with_the_right_one(
    submit: Callable[..., Submission], limit: int
) -> None:
    code = submit().receipt_code
    for _ in range(limit - 1):
        outcome = verify_receipt(code_text=WRONG, passphrase="", client_address="192.0.2.7")
        assert outcome.outcome == ReceiptOutcome.NOT_FOUND
    locked = verify_receipt(code_text=mistype(WRONG), passphrase="", client_address="192.0.2.7")
    assert locked.outcome == ReceiptOutcome.LOCKED and locked.locked_until is not None
    assert AuditEvent.objects.filter(action="receipt.client_locked").count() == 1
    event = AuditEvent.objects.get(action="receipt.client_locked")
    assert "192.0.2.7" not in str(event.data)
    again = verify_receipt(code_text=code, passphrase="", client_address="192.0.2.7")
    assert again.outcome == ReceiptOutcome.LOCKED and again.case is None


def test_the_lock_is_per_client(submit: Callable[..., Submission], limit: int) -> None:
    code = submit().receipt_code
    for _ in range(limit):
        verify_receipt(code_text=WRONG, passphrase="", client_address="192.0.2.7")
    assert verify_receipt(code_text=code, passphrase="", client_address="192.0.2.8").ok


def test_an_ipv6_64_is_one_client(submit: Callable[..., Submission], limit: int) -> None:
    code = submit().receipt_code
    verify_receipt(code_text=WRONG, passphrase="", client_address="2001:db8:1:2::1")
    verify_receipt(code_text=WRONG, passphrase="", client_address="2001:db8:1:2::ffff")
    third = verify_receipt(code_text=WRONG, passphrase="", client_address="2001:db8:1:2:aaaa::9")
    assert third.outcome == ReceiptOutcome.LOCKED
    assert not verify_receipt(code_text=code, passphrase="", client_address="2001:db8:1:2::5").ok
    assert verify_receipt(code_text=code, passphrase="", client_address="2001:db8:1:3::5").ok


def test_address_buckets() -> None:
    assert address_bucket("192.0.2.1") == "192.0.2.1"
    assert address_bucket("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert address_bucket("::ffff:192.0.2.1") == "192.0.2.1"
    assert throttle_key("192.0.2.1") != throttle_key("192.0.2.2")
    assert "192.0.2.1" not in throttle_key("192.0.2.1")


def test_the_lock_expires(submit: Callable[..., Submission], limit: int) -> None:
    code = submit().receipt_code
    start = timezone.now()
    for _ in range(limit):
        verify_receipt(code_text=WRONG, passphrase="", client_address="192.0.2.9", now=start)
    during = verify_receipt(
        code_text=code, passphrase="", client_address="192.0.2.9", now=start + timedelta(minutes=29)
    )
    assert during.outcome == ReceiptOutcome.LOCKED
    after = verify_receipt(
        code_text=code, passphrase="", client_address="192.0.2.9", now=start + timedelta(minutes=31)
    )
    assert after.ok


def test_old_failures_are_forgotten(cases_area: str, limit: int) -> None:
    start = timezone.now()
    for day in range(limit * 2):
        result = verify_receipt(
            code_text=WRONG,
            passphrase="",
            client_address="192.0.2.10",
            now=start + timedelta(days=day),
        )
        assert result.outcome == ReceiptOutcome.NOT_FOUND


def test_a_right_code_does_not_reset_the_count(
    submit: Callable[..., Submission], limit: int
) -> None:
    code = submit().receipt_code
    for _ in range(limit - 1):
        verify_receipt(code_text=WRONG, passphrase="", client_address="192.0.2.11")
        assert verify_receipt(code_text=code, passphrase="", client_address="192.0.2.11").ok
    last = verify_receipt(code_text=WRONG, passphrase="", client_address="192.0.2.11")
    assert last.outcome == ReceiptOutcome.LOCKED


def test_wrong_passphrases_count_too(submit: Callable[..., Submission], limit: int) -> None:
    code = submit(passphrase="the right passphrase").receipt_code
    needed = verify_receipt(code_text=code, passphrase="", client_address="192.0.2.12")
    assert needed.outcome == ReceiptOutcome.PASSPHRASE_REQUIRED
    for _ in range(limit - 1):
        wrong = verify_receipt(code_text=code, passphrase="guess", client_address="192.0.2.12")
        assert wrong.outcome == ReceiptOutcome.WRONG_PASSPHRASE
    assert (
        verify_receipt(code_text=code, passphrase="guess", client_address="192.0.2.12").outcome
        == ReceiptOutcome.LOCKED
    )


def test_the_page_says_mistyped_wrong_and_locked_in_thai(
    client: Client, cases_area: str, limit: int
) -> None:
    mistyped = client.post(FOLLOW, {"code": mistype(WRONG)}, REMOTE_ADDR="192.0.2.20")
    assert "น่าจะพิมพ์ผิด" in mistyped.content.decode()
    unknown = client.post(FOLLOW, {"code": WRONG}, REMOTE_ADDR="192.0.2.20")
    assert "ไม่พบเรื่องที่มีรหัสนี้" in unknown.content.decode()
    locked = client.post(FOLLOW, {"code": WRONG}, REMOTE_ADDR="192.0.2.20")
    assert "ถูกระงับ 30 นาที" in locked.content.decode()
    assert "no-store" in locked["Cache-Control"]


def test_the_page_is_throttled_per_client_too(
    client: Client, submit: Callable[..., Submission], limit: int
) -> None:
    code = submit().receipt_code
    for _ in range(limit):
        client.post(FOLLOW, {"code": WRONG}, REMOTE_ADDR="192.0.2.30")
    refused = client.post(FOLLOW, {"code": code}, REMOTE_ADDR="192.0.2.30")
    assert refused.status_code == 200
    assert "sujarit_followup" not in client.session
    assert client.post(FOLLOW, {"code": code}, REMOTE_ADDR="192.0.2.31").status_code == 302


def test_the_daily_purge_forgets_counts_that_no_longer_matter(
    submit: Callable[..., Submission], limit: int
) -> None:
    from sujarit.cases.tasks import purge_expired

    submit()
    start = timezone.now()
    # One client mistyped once; another is locked out right now.
    verify_receipt(code_text=WRONG, passphrase="", client_address="192.0.2.1", now=start)
    for _ in range(limit):
        verify_receipt(code_text=WRONG, passphrase="", client_address="192.0.2.2", now=start)
    assert ReceiptThrottle.objects.count() == 2

    # Within the lock-out period both counts still matter.
    assert purge_expired(now=start + timedelta(minutes=10)).throttles == 0
    # Past it, the lone mistake is forgotten; the lock has ended too, so it goes as well.
    run = purge_expired(now=start + timedelta(minutes=31))
    assert run.throttles == 2 and not ReceiptThrottle.objects.exists()
    # A dry run deletes nothing.
    verify_receipt(code_text=WRONG, passphrase="", client_address="192.0.2.1", now=start)
    assert purge_expired(now=start + timedelta(days=1), dry_run=True).throttles == 0
    assert ReceiptThrottle.objects.count() == 1
