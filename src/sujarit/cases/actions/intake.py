"""Intake: a citizen's report becomes a case, once, however many times it is sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.audit.actions import record
from sujarit.cases import receipts
from sujarit.cases.actions.duplicates import store_fingerprint
from sujarit.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Complainant,
    Identity,
    PendingReport,
    Rank,
)
from sujarit.cases.routing import Facts, is_unrouted, propose, route_case
from sujarit.cases.workflow import due_after
from sujarit.geo.models import Subdistrict
from sujarit.textsearch.indexing import index_case


@dataclass(frozen=True)
class ReportInput:
    """A validated report, whichever door it came through (web form, API, a visit)."""

    kind: str
    description: str
    subdistrict: Subdistrict
    identity: str
    idempotency_key: str
    village: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    occurred_on: date | None = None
    accused_agency: Agency | None = None
    accused_agency_text: str = ""
    accused_position: str = ""
    accused_rank: str = Rank.UNKNOWN
    amount: Decimal | None = None
    reported_elsewhere: bool = False
    reported_elsewhere_detail: str = ""
    consent_to_disclose: bool = False
    passphrase: str = ""
    name: str = ""
    phone: str = ""
    email: str = ""
    line_id: str = ""
    address: str = ""
    channel: str = "web"
    is_demo: bool = False


@dataclass(frozen=True)
class Submission:
    case: Case
    #: The receipt code, to be shown once. Present on every answer to the same submission.
    receipt_code: str
    #: False when this was a repeat of a submission already stored.
    created: bool


def same_report(report: ReportInput, *, kind: str, subdistrict: str, description: str) -> bool:
    """Whether a repeated idempotency key carries the same report as its first sending (the
    first's kind, subdistrict code and description are given), so that a key reused for
    another report, by mistake or by someone guessing keys, does not return the first one's
    code."""
    return (kind, subdistrict, description.strip()) == (
        report.kind,
        report.subdistrict.code,
        report.description.strip(),
    )


class ReceiptCollision(Exception):
    """Two different submissions derived the same receipt code (about one chance in 10^10
    per pair at a million cases): the sender must submit again with a new idempotency key."""


def submit_report(
    *, report: ReportInput, by: User | None = None, now: datetime | None = None
) -> Submission:
    """Store a report as a new case, or return the case an earlier identical submission
    (same idempotency key) created. Everything is saved in one transaction or nothing is."""
    idempotency_hash = receipts.hash_idempotency_key(report.idempotency_key)
    code = receipts.code_for(report.idempotency_key)
    receipt_hash = receipts.hash_code(code)
    # A report waiting in the intake inbox (actions.inbox) may hold this code under another
    # key: codes are unique across both, so that a code never opens another person's report.
    if (
        PendingReport.objects.filter(receipt_hash=receipt_hash)
        .exclude(idempotency_hash=idempotency_hash)
        .exists()
    ):
        raise ReceiptCollision
    # The first sending of a report is the common case: insert straight away and let the
    # unique idempotency hash turn a repeat into an IntegrityError (one query fewer than
    # looking first).
    try:
        with transaction.atomic():
            case = _create(report, idempotency_hash, receipt_hash, by, now or timezone.now())
    except IntegrityError:
        # A repeat of an earlier submission, or a concurrent twin that won the race: answer
        # with its case.
        existing = Case.objects.filter(idempotency_hash=idempotency_hash).first()
        if existing is not None:
            return Submission(case=existing, receipt_code=code, created=False)
        raise ReceiptCollision from None
    return Submission(case=case, receipt_code=code, created=True)


def _create(
    report: ReportInput, idempotency_hash: str, receipt_hash: str, by: User | None, now: datetime
) -> Case:
    anonymous = report.identity == Identity.ANONYMOUS
    proposals = propose(
        Facts(
            kind=report.kind,
            rank=report.accused_rank,
            amount=report.amount,
            accused_agency_kind=report.accused_agency.kind if report.accused_agency else "",
            province=report.subdistrict.province_id,
            subdistrict=report.subdistrict.code,
            accused_agency_id=report.accused_agency.pk if report.accused_agency else None,
        )
    )
    case = Case.objects.create(
        kind=report.kind,
        description=report.description.strip(),
        subdistrict=report.subdistrict,
        village=report.village.strip(),
        latitude=report.latitude,
        longitude=report.longitude,
        occurred_on=report.occurred_on,
        accused_agency=report.accused_agency,
        accused_agency_text=report.accused_agency_text.strip(),
        accused_position=report.accused_position.strip(),
        accused_rank=report.accused_rank,
        amount=report.amount,
        reported_elsewhere=report.reported_elsewhere,
        reported_elsewhere_detail=report.reported_elsewhere_detail.strip(),
        identity=report.identity,
        consent_to_disclose=report.consent_to_disclose and not anonymous,
        channel=report.channel,
        receipt_hash=receipt_hash,
        passphrase_hash=make_password(report.passphrase) if report.passphrase else "",
        idempotency_hash=idempotency_hash,
        status=CaseStatus.RECEIVED,
        status_changed_at=now,
        due_at=due_after(CaseStatus.RECEIVED, now),
        is_demo=report.is_demo,
        unrouted=is_unrouted(proposals),
        created_at=now,
    )
    if not anonymous:
        # An anonymous report keeps no contact at all, even if the form carried some.
        Complainant.objects.create(
            case=case,
            name=report.name.strip(),
            phone=report.phone.strip(),
            email=report.email.strip(),
            line_id=report.line_id.strip(),
            address=report.address.strip(),
        )
    CaseEvent.objects.create(
        case=case, at=now, kind=CaseEvent.Kind.STATUS, to_status=CaseStatus.RECEIVED
    )
    index_case(case)
    stored = route_case(case=case, now=now, proposals=proposals)
    store_fingerprint(case=case, new=True)
    record(
        actor=by,
        action="case.submitted",
        target=case,
        data={
            "kind": case.kind,
            "channel": case.channel,
            "identity": case.identity,
            "subdistrict": case.subdistrict_id,
            "proposed": [p.rule_code for p in stored],
        },
    )
    return case
