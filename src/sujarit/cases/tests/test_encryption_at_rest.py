"""Complainant contact details are sealed at rest: a dump of the tables shows no identity, and
``rotate-keys`` moves them to a new key in resumable batches."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from io import StringIO
from typing import Any

from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

import pytest

from sujarit.audit.models import AuditEvent
from sujarit.cases.actions.intake import Submission
from sujarit.cases.models import Complainant, Identity
from sujarit.lib import crypto

pytestmark = pytest.mark.django_db

NAMES = ["นางสมศรี ใจดี", "Somchai Rakthai", "นายประยุทธ มั่นคง"]
PHONES = ["0812345678", "0898765432", "0611122233"]
EMAILS = ["somsri@example.com", "somchai@example.org", "prayut@example.net"]
OLD = "test1:CDzJfP4ByCa8uRkmIEcIS5zhZNAi8_6vjdJduwwSymg"  # the key pyproject sets for tests
NEW = "k2:" + base64.urlsafe_b64encode(b"\x02" * 32).decode()


def _submit_three(submit: Callable[..., Submission]) -> list[int]:
    return [
        submit(
            identity=Identity.NAMED,
            name=name,
            phone=phone,
            email=email,
            line_id=f"line{index}",
            address=f"99 หมู่ {index} ตำบลหน้าเมือง",
        ).case.pk
        for index, (name, phone, email) in enumerate(zip(NAMES, PHONES, EMAILS, strict=True))
    ]


def _raw_rows(table: str) -> list[bytes]:
    """Every value of every row of a table, as bytes, the way a dump would show them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        rows = cursor.fetchall()
    values = []
    for row in rows:
        for value in row:
            if isinstance(value, bytes | bytearray | memoryview):
                values.append(bytes(value))
            elif value is not None:
                values.append(str(value).encode())
    return values


def test_the_complainant_table_holds_no_contact_detail(
    submit: Callable[..., Submission],
) -> None:
    _submit_three(submit)
    raw = b"\n".join(_raw_rows(Complainant._meta.db_table))
    assert raw.count(crypto.MAGIC) == 3 * 5
    for secret in [*NAMES, *PHONES, *EMAILS, "line1", "หมู่ 1"]:
        assert secret.encode() not in raw, secret
    # The phone number without its leading zero, in case a column stored it as a number.
    assert b"812345678" not in raw


def test_no_table_of_the_database_holds_the_contact_details(
    submit: Callable[..., Submission],
) -> None:
    _submit_three(submit)
    tables = connection.introspection.table_names()
    dump = b"\n".join(value for table in tables for value in _raw_rows(table))
    for secret in [*NAMES, *PHONES, *EMAILS]:
        assert secret.encode() not in dump, secret


def test_contact_details_read_back_through_the_model(
    submit: Callable[..., Submission],
) -> None:
    pks = _submit_three(submit)
    complainant = Complainant.objects.get(case_id=pks[0])
    assert (complainant.name, complainant.phone, complainant.email) == (
        NAMES[0],
        PHONES[0],
        EMAILS[0],
    )


def test_a_blank_contact_is_null_and_reads_as_empty(submit: Callable[..., Submission]) -> None:
    case = submit(name="นางสมศรี ใจดี", phone="0812345678").case
    complainant = Complainant.objects.get(case=case)
    assert complainant.email == "" and complainant.line_id == ""
    assert Complainant.objects.filter(case=case, email__isnull=True).exists()


def test_details_moved_to_another_case_do_not_open(submit: Callable[..., Submission]) -> None:
    first, second = _submit_three(submit)[:2]
    token = Complainant.objects.filter(case_id=first).values_list("phone", flat=True).get()
    Complainant.objects.filter(case_id=second).update(phone=token)
    with pytest.raises(crypto.TamperedData):
        _ = Complainant.objects.get(case_id=second).phone


def test_a_sealed_column_cannot_be_set_in_bulk_to_plain_text(
    submit: Callable[..., Submission],
) -> None:
    _submit_three(submit)
    with pytest.raises(TypeError, match="sealed"):
        Complainant.objects.update(phone="0800000000")


def _rotate(*args: str) -> str:
    out = StringIO()
    # In English, so that the test can quote the command's words.
    with translation.override("en"):
        call_command("rotate-keys", *args, stdout=out)
    return out.getvalue()


def test_rotate_keys_re_encrypts_and_resumes_after_an_interruption(
    submit: Callable[..., Submission], settings: Any
) -> None:
    pks = _submit_three(submit)
    settings.SUJARIT_DATA_KEYS = crypto.parse_keys(f"{NEW},{OLD}")
    assert "15 values are still under old keys (test1)" in _rotate("--dry-run")
    with pytest.raises(CommandError, match="still under old keys") as failed:
        _rotate("--check")
    # The check's message names counts and keys only.
    assert failed.value.returncode == 1

    # Interrupted after one batch of two rows: ten values moved, five left.
    assert "Stopped before the end" in _rotate("--batch-size", "2", "--max-batches", "1")
    assert "5 values are still under old keys" in _rotate("--dry-run")
    # Run again: it continues and finishes.
    assert "Done: everything is under key k2" in _rotate("--batch-size", "2")
    assert "older keys can be removed" in _rotate("--check")

    settings.SUJARIT_DATA_KEYS = crypto.parse_keys(NEW)
    complainants = Complainant.objects.filter(case_id__in=pks).order_by("case_id")
    assert [c.name for c in complainants] == NAMES
    assert [c.email for c in complainants] == EMAILS
    event = AuditEvent.objects.filter(action="keys.rotated").last()
    assert event is not None and event.data["finished"] is True and event.data["key"] == "k2"
    assert not any(name in str(event.data) for name in NAMES)


def test_rotate_keys_prints_a_new_key(db: None) -> None:
    line = _rotate("--new-key", "k9").strip()
    (key,) = crypto.parse_keys(line)
    assert key.name == "k9"


def test_rotate_keys_refuses_a_bad_key_name(db: None) -> None:
    with pytest.raises(CommandError, match="name:base64"):
        _rotate("--new-key", "bad-name")


def test_dumpdata_shows_tokens_not_details(submit: Callable[..., Submission]) -> None:
    pks = _submit_three(submit)
    dumped = serializers.serialize("json", Complainant.objects.filter(case_id__in=pks))
    for secret in [*NAMES, *PHONES, *EMAILS]:
        assert secret not in dumped and json.dumps(secret) not in dumped
    fields = json.loads(dumped)[0]["fields"]
    assert base64.b64decode(fields["phone"]).startswith(crypto.MAGIC)


class _Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_rotate_keys_draws_a_progress_bar_on_a_terminal(
    submit: Callable[..., Submission], settings: Any
) -> None:
    _submit_three(submit)
    settings.SUJARIT_DATA_KEYS = crypto.parse_keys(f"{NEW},{OLD}")
    out = _Terminal()
    with translation.override("en"):
        call_command("rotate-keys", "--batch-size", "1", stdout=out)
    text = out.getvalue()
    assert "\r" in text and "[" + "#" * 30 + "] 3/3" in text
