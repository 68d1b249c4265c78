from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection

from sujarit.cases import receipts
from sujarit.cases.actions.intake import Submission
from sujarit.cases.models import Case, Complainant


def test_code_is_sixteen_digits_with_a_valid_check_digit() -> None:
    code = receipts.code_for("key-1")
    assert len(code) == 16 and code.isdigit()
    assert receipts.is_well_formed(code)


def test_a_single_mistyped_digit_is_detected() -> None:
    code = receipts.code_for("key-2")
    for position in range(16):
        wrong = code[:position] + str((int(code[position]) + 1) % 10) + code[position + 1 :]
        assert not receipts.is_well_formed(wrong)


def test_the_same_idempotency_key_always_gives_the_same_code() -> None:
    assert receipts.code_for("same") == receipts.code_for("same")
    assert receipts.code_for("same") != receipts.code_for("other")


def test_code_depends_on_the_receipt_key(settings: Any) -> None:
    before = receipts.code_for("k")
    settings.SUJARIT_RECEIPT_KEY = "another-secret"
    assert receipts.code_for("k") != before


def test_typed_codes_are_normalised() -> None:
    assert receipts.normalise("๑๒๓๔ 5678-9012 3456") == "1234567890123456"


def test_display_groups_by_four() -> None:
    assert receipts.display("1234567890123456") == "1234 5678 9012 3456"


def test_database_holds_neither_code_nor_idempotency_key(
    submit: Callable[..., Submission],
) -> None:
    submission = submit(idempotency_key="idem-secret-123")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cases_case")
        rows = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert submission.receipt_code not in rows
    assert "idem-secret-123" not in rows
    assert receipts.matches(submission.receipt_code, submission.case.receipt_hash)
    assert not receipts.matches(receipts.code_for("other"), submission.case.receipt_hash)


def test_a_repeated_submission_creates_one_case_with_the_same_code(
    submit: Callable[..., Submission],
) -> None:
    first = submit(idempotency_key="double-tap")
    second = submit(idempotency_key="double-tap")
    assert first.created and not second.created
    assert first.case.pk == second.case.pk
    assert first.receipt_code == second.receipt_code
    assert Case.objects.count() == 1
    assert Complainant.objects.count() == 1


def test_anonymous_report_keeps_no_contact(submit: Callable[..., Submission]) -> None:
    case = submit(identity="anonymous", consent_to_disclose=True).case
    assert not Complainant.objects.filter(case=case).exists()
    assert case.consent_to_disclose is False
