"""The intake inbox: acknowledge a report with one sealed row, register it as a case behind.

``accept_report`` is what the API does with a checked report when
``SUJARIT_INTAKE_INBOX`` is on (the default): it stores the report as one
``PendingReport`` (sealed, bound to its row) and answers with the receipt code, which is
derived from the idempotency key exactly as ``submit_report`` derives it. Nothing else
happens in the request.

``register_pending`` is the registrar's step (``sujarit register-reports``, started beside
the web server by ``scripts/serve``): it takes unregistered rows in arrival order (skipping
rows another registrar holds, on PostgreSQL), creates each case with ``submit_report`` as of
the time the report was received, and in the same transaction marks the row registered and
erases its payload. A row that fails is rolled back alone, counted and kept (with the error's
class, never its content) for a person to look at; the others go on.

Why: docs/cases.md measures that storing a case, its routing, search text, fingerprint and
audit record costs about five times what acknowledging a sealed row costs. A citizen's
phone gets its receipt code at once, and the case exists a moment later.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from sujarit.agencies.models import Agency
from sujarit.cases import receipts
from sujarit.cases.actions.intake import (
    ReceiptCollision,
    ReportInput,
    same_report,
    submit_report,
)
from sujarit.cases.models import Case, PendingReport
from sujarit.geo.models import Subdistrict
from sujarit.lib.inserts import insert_once

logger = logging.getLogger(__name__)

#: Failed registrations after which a row waits for a person instead of being retried.
MAX_ATTEMPTS = 5


def inbox_enabled() -> bool:
    return bool(getattr(settings, "SUJARIT_INTAKE_INBOX", True))


def to_payload(report: ReportInput) -> str:
    """The report as JSON text: references by their keys, numbers and dates as text."""
    data: dict[str, Any] = {}
    for item in fields(report):
        value = getattr(report, item.name)
        if isinstance(value, Subdistrict):
            value = value.code
        elif isinstance(value, Agency):
            value = value.pk
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, date):
            value = value.isoformat()
        data[item.name] = value
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def from_payload(text: str) -> ReportInput:
    data: dict[str, Any] = json.loads(text)
    data["subdistrict"] = Subdistrict.objects.defer("boundary").get(code=data["subdistrict"])
    agency = data.get("accused_agency")
    data["accused_agency"] = Agency.objects.get(pk=agency) if agency is not None else None
    for name in ("latitude", "longitude", "amount"):
        if data.get(name) is not None:
            data[name] = Decimal(data[name])
    if data.get("occurred_on"):
        data["occurred_on"] = date.fromisoformat(data["occurred_on"])
    return ReportInput(**data)


@dataclass(frozen=True)
class Acceptance:
    #: The receipt code, to be shown once (the same on every repeat of the submission).
    receipt_code: str
    #: False when this was a repeat of a submission already accepted.
    created: bool
    #: For a repeat still waiting: whether it carried the same report as the first sending
    #: (``intake.same_report``).
    same_report: bool = True
    #: For a repeat whose first sending is already registered: its case.
    case: Case | None = None


def accept_report(*, report: ReportInput, now: datetime | None = None) -> Acceptance:
    """Store a checked report in the inbox, once, however many times it is sent."""
    idempotency_hash = receipts.hash_idempotency_key(report.idempotency_key)
    code = receipts.code_for(report.idempotency_key)
    receipt_hash = receipts.hash_code(code)
    row = PendingReport(
        idempotency_hash=idempotency_hash,
        receipt_hash=receipt_hash,
        payload=to_payload(report),
        received_at=now or timezone.now(),
    )
    # One statement: stored unless this key or code is already waiting, or a case already has
    # the code. Receipt codes are unique across cases and waiting reports, since a code must
    # never open another person's report.
    if insert_once(
        row,
        unless=(
            f"SELECT 1 FROM {Case._meta.db_table} WHERE receipt_hash = %s",  # noqa: S608
            [receipt_hash],
        ),
    ):
        return Acceptance(receipt_code=code, created=True)
    # Not stored: a repeat (or, very rarely, another submission's code). The code follows from
    # the key, so a case with this code is either this same submission, made in a request,
    # or another one whose code collides.
    made = Case.objects.filter(receipt_hash=receipt_hash).first()
    if made is not None:
        if made.idempotency_hash != idempotency_hash:
            raise ReceiptCollision
        return Acceptance(receipt_code=code, created=False, case=made)
    earlier = PendingReport.objects.filter(idempotency_hash=idempotency_hash).first()
    if earlier is None:
        # The code is another submission's (two keys, one code): as submit_report does.
        raise ReceiptCollision
    if earlier.case is not None or earlier.registered_at is not None:
        return Acceptance(receipt_code=code, created=False, case=earlier.case)
    first = json.loads(str(earlier.payload))
    same = same_report(
        report,
        kind=first["kind"],
        subdistrict=first["subdistrict"],
        description=first["description"],
    )
    return Acceptance(receipt_code=code, created=False, same_report=same)


def pending_with_code(code: str) -> PendingReport | None:
    """The unregistered report whose receipt code this is (a well-formed code)."""
    row = PendingReport.objects.filter(
        receipt_hash=receipts.hash_code(code), registered_at__isnull=True
    ).first()
    if row is None or not receipts.matches(code, row.receipt_hash):
        return None
    return row


def burst_under_way(
    *, busy: int, patience: float, window: float = 1.0, now: datetime | None = None
) -> bool:
    """Whether registering should wait: reports are arriving at ``busy`` or more in the last
    ``window`` seconds (a burst), and the oldest waiting report has waited less than
    ``patience`` seconds.

    Registering a report costs several times what acknowledging it does, and on a small
    machine both share the same cores (the registrar's database work runs at the database's
    priority, whatever the registrar's own). During a burst the registrar lets the requests
    have the machine and catches up after it, or once a report has waited ``patience``
    seconds, whichever comes first; at ordinary rates it registers at once.
    """
    now = now or timezone.now()
    waiting = PendingReport.objects.filter(registered_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
    oldest = waiting.order_by("received_at").values_list("received_at", flat=True).first()
    if oldest is None or (now - oldest).total_seconds() >= patience:
        return False
    recent = waiting.filter(received_at__gte=now - timedelta(seconds=window))
    return recent[:busy].count() >= busy


#: Registrations after which the registrar, once the inbox is empty, vacuums its table.
TIDY_AFTER = 1000


def tidy_inbox() -> bool:
    """VACUUM the inbox table (PostgreSQL; outside a transaction), and say whether it ran.

    Registering a report updates its row, which leaves its entry in the index of waiting
    reports pointing at a dead row version until the table is vacuumed. Those entries sit
    exactly where the registrar's queries start (the oldest reports), so after a few thousand
    registrations every look at the inbox, even an empty one, reads thousands of them (measured:
    8-13 ms instead of 0.1 ms after 28,000). Autovacuum may be off, or wait until a fifth of a
    large table has changed; the registrar does not wait for it.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {connection.ops.quote_name(PendingReport._meta.db_table)}")
    return True


@dataclass(frozen=True)
class Registration:
    registered: int
    failed: int


def register_pending(
    *, batch: int = 50, received_before: datetime | None = None, now: datetime | None = None
) -> Registration:
    """Register up to ``batch`` waiting reports as cases (see the module's text); with
    ``received_before``, only reports received before then (the task worker's safety net)."""
    registered = failed = 0
    with transaction.atomic():
        waiting = PendingReport.objects.select_for_update(skip_locked=True).filter(
            registered_at__isnull=True, attempts__lt=MAX_ATTEMPTS
        )
        if received_before is not None:
            waiting = waiting.filter(received_at__lt=received_before)
        rows = list(waiting.order_by("received_at")[:batch])
        for row in rows:
            try:
                with transaction.atomic():
                    report = from_payload(str(row.payload))
                    submission = submit_report(report=report, now=row.received_at)
                    row.case = submission.case
                    row.registered_at = now or timezone.now()
                    row.payload = ""
                    row.last_error = ""
                    row.save(update_fields=["case", "registered_at", "payload", "last_error"])
                registered += 1
            except Exception as error:  # noqa: BLE001 - one bad row must not block the others
                failed += 1
                row.attempts += 1
                # The class only: a message could quote what the citizen wrote.
                row.last_error = type(error).__name__
                row.save(update_fields=["attempts", "last_error"])
                logger.warning(
                    "Report %s could not be registered (attempt %d): %s",
                    row.id,
                    row.attempts,
                    type(error).__name__,
                )
    return Registration(registered=registered, failed=failed)
