"""Follow-up without an account: opening a case with its receipt code, and what the complainant
may then do (send a message, add information, dispute an outcome).

Wrong codes are counted per client in ``ReceiptThrottle`` under a keyed hash of the client's
address bucket (one IPv4 address or one IPv6 /64), never the address itself. A right code does
not reset the count: otherwise the holder of one real code could clear the count between
guesses at others. Audit events carry no code, address, passphrase or text written by the
complainant; wrong tries are counted, not audited one by one (so that a flood of guesses
cannot flood the log), and the lock they lead to is audited.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.debug import sensitive_variables

from sujarit.audit.actions import record
from sujarit.cases import receipts
from sujarit.cases.actions.inbox import pending_with_code
from sujarit.cases.followup import can_dispute
from sujarit.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Dispute,
    Message,
    ReceiptThrottle,
)
from sujarit.cases.workflow import TransitionRefused, move


class ReceiptOutcome(StrEnum):
    OK = "ok"
    #: Not 16 digits with a valid check digit: a typing slip, told apart from a wrong code.
    MISTYPED = "mistyped"
    NOT_FOUND = "not_found"
    #: The code is right and the report has a passphrase that was not given.
    PASSPHRASE_REQUIRED = "passphrase_required"  # noqa: S105 (an outcome, not a secret)
    WRONG_PASSPHRASE = "wrong_passphrase"  # noqa: S105
    LOCKED = "locked"
    #: The code is right, and its report is still in the intake inbox: it becomes a case in
    #: a moment (``actions.inbox``). Not a wrong try.
    REGISTERING = "registering"


#: Outcomes that count as a wrong try against the client's throttle.
COUNTED = frozenset(
    {ReceiptOutcome.MISTYPED, ReceiptOutcome.NOT_FOUND, ReceiptOutcome.WRONG_PASSPHRASE}
)


@dataclass(frozen=True)
class Verification:
    outcome: ReceiptOutcome
    case: Case | None = None
    #: Set when the client is locked out (now, or by this very try).
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == ReceiptOutcome.OK and self.case is not None


def receipt_max_failures() -> int:
    return int(settings.SUJARIT_RECEIPT_MAX_FAILURES)


def receipt_lockout() -> timedelta:
    return timedelta(minutes=int(settings.SUJARIT_RECEIPT_LOCKOUT_MINUTES))


def address_bucket(address: str) -> str:
    """What the throttle counts: one IPv4 address, or one IPv6 /64 network (anyone with IPv6
    usually holds a whole /64, so single IPv6 addresses would let one machine try forever)."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip() or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def throttle_key(address: str) -> str:
    """The keyed hash under which a client's wrong tries are counted."""
    return salted_hmac(
        "sujarit.cases.receipt-throttle", address_bucket(address), algorithm="sha256"
    ).hexdigest()


def _locked(row: ReceiptThrottle | None, now: datetime) -> bool:
    return row is not None and row.locked_until is not None and row.locked_until > now


def _count_failure(key: str, now: datetime) -> datetime | None:
    """Count one wrong try; returns the end of the lock if this try locks the client."""
    row, _ = ReceiptThrottle.objects.select_for_update().get_or_create(
        key=key, defaults={"window_started_at": now}
    )
    lockout = receipt_lockout()
    # Tries older than the lock-out period are forgotten: a citizen who mistypes once a
    # week is never locked.
    if row.failures == 0 or row.window_started_at < now - lockout:
        row.failures = 0
        row.window_started_at = now
    row.failures += 1
    locked_until = None
    if row.failures >= receipt_max_failures():
        locked_until = now + lockout
        row.locked_until = locked_until
        row.failures = 0
    row.save()
    if locked_until is not None:
        record(
            actor=None,
            action="receipt.client_locked",
            target=None,
            data={"minutes": int(lockout.total_seconds() // 60)},
        )
    return locked_until


def forget_stale_throttles(*, now: datetime | None = None) -> int:
    """Delete the wrong-code counts that no longer matter: no lock running and no try within
    the lock-out period. They are keyed hashes of client addresses, kept no longer than they
    serve. Returns how many were deleted."""
    now = now or timezone.now()
    stale = ReceiptThrottle.objects.filter(window_started_at__lt=now - receipt_lockout()).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    )
    deleted, _ = stale.delete()
    return deleted


@sensitive_variables("code_text", "code", "passphrase")
@transaction.atomic
def verify_receipt(
    *, code_text: str, passphrase: str, client_address: str, now: datetime | None = None
) -> Verification:
    """Find the case of a typed receipt code (and passphrase, if the report has one).

    Lookup is by the code's keyed hash; the stored hash is then compared in constant time.
    A locked-out client is refused even with a right code.
    """
    now = now or timezone.now()
    key = throttle_key(client_address)
    row = ReceiptThrottle.objects.select_for_update().filter(key=key).first()
    if _locked(row, now):
        assert row is not None
        return Verification(outcome=ReceiptOutcome.LOCKED, locked_until=row.locked_until)

    code = receipts.normalise(code_text)
    case: Case | None = None
    if not receipts.is_well_formed(code):
        outcome = ReceiptOutcome.MISTYPED
    else:
        case = Case.objects.filter(receipt_hash=receipts.hash_code(code)).first()
        if case is None and pending_with_code(code) is not None:
            outcome = ReceiptOutcome.REGISTERING
        elif case is None or not receipts.matches(code, case.receipt_hash):
            case = None
            outcome = ReceiptOutcome.NOT_FOUND
            if passphrase:
                # Hash the passphrase anyway, so that the time taken does not tell whether
                # the code belongs to a report with a passphrase.
                check_password(passphrase, None)  # type: ignore[arg-type]
        elif case.passphrase_hash and not passphrase:
            outcome = ReceiptOutcome.PASSPHRASE_REQUIRED
        elif case.passphrase_hash and not check_password(passphrase, case.passphrase_hash):
            outcome = ReceiptOutcome.WRONG_PASSPHRASE
        else:
            outcome = ReceiptOutcome.OK

    if outcome in COUNTED:
        locked_until = _count_failure(key, now)
        if locked_until is not None:
            return Verification(outcome=ReceiptOutcome.LOCKED, locked_until=locked_until)
        return Verification(outcome=outcome)
    if outcome != ReceiptOutcome.OK or case is None:
        return Verification(outcome=outcome)
    record(actor=None, action="case.followed_up", target=case, data={"status": case.status})
    return Verification(outcome=ReceiptOutcome.OK, case=case)


@transaction.atomic
def post_complainant_message(*, case: Case, body: str, now: datetime | None = None) -> Message:
    """The complainant writes to the coordination centre."""
    message = Message.objects.create(
        case=case,
        at=now or timezone.now(),
        sender=Message.Sender.COMPLAINANT,
        body=body.strip(),
    )
    record(
        actor=None,
        action="case.complainant_message",
        target=case,
        data={"message": message.pk, "status": case.status},
    )
    return message


@transaction.atomic
def add_information(*, case: Case, body: str, now: datetime | None = None) -> Message:
    """The complainant adds facts to the report: a message marked as information, and a
    step on the timeline so that the centre and the complainant see when it came."""
    now = now or timezone.now()
    message = Message.objects.create(
        case=case,
        at=now,
        sender=Message.Sender.COMPLAINANT,
        body=body.strip(),
        is_information=True,
    )
    event = CaseEvent.objects.create(
        case=case, at=now, kind=CaseEvent.Kind.INFORMATION, public=True
    )
    record(
        actor=None,
        action="case.information_added",
        target=case,
        data={"message": message.pk, "event": event.pk, "status": case.status},
    )
    return message


class DisputeRefused(Exception):
    """The case is not resolved, or the dispute window has closed."""


@transaction.atomic
def dispute_outcome(*, case: Case, text: str, now: datetime | None = None) -> Dispute:
    """ "Not actually fixed": record the dispute and reopen the case for the coordinator
    (resolved → screening), within ``SUJARIT_DISPUTE_DAYS`` of the resolution."""
    now = now or timezone.now()
    # Lock the row so that two disputes sent at once reopen the case once.
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not can_dispute(locked, now):
        raise DisputeRefused
    dispute = Dispute.objects.create(case=locked, at=now, text=text.strip())
    CaseEvent.objects.create(
        case=locked, at=now, kind=CaseEvent.Kind.DISPUTE, public=True, public_note=text.strip()
    )
    try:
        step = move(locked, CaseStatus.SCREENING, by=None, now=now)
    except TransitionRefused:
        raise DisputeRefused from None
    record(
        actor=None,
        action="case.outcome_disputed",
        target=locked,
        data={"dispute": dispute.pk, "from": step.from_status, "to": step.to_status},
    )
    case.refresh_from_db()
    return dispute
