"""Erasing a complainant's personal data: all of it when the retention period has passed, or
their contact details early when they ask on the follow-up page.

What goes: the contact details (the ``Complainant`` row stays, empty, with ``erased_at`` set,
so that staff pages say "erased" rather than "none given"), the text of the conversation with
the centre and of disputes (who wrote when, and in which direction, stays), and whatever other
apps keep about the case (they listen to ``personal_data_purge``: evidence files, for one).
Identity requests still pending lapse: nothing is left to release. What stays: the case, the
report's facts, its timeline and status history, its referrals and outcome, and so every
statistic. The audit event holds counts, never what was erased.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from sujarit.accounts.models import User
from sujarit.audit.actions import record
from sujarit.cases.models import Case, CaseEvent, Complainant, Dispute, IdentityRequest, Message
from sujarit.cases.signals import personal_data_purge

#: What replaces a message, a dispute or a note once its text is purged (stored in the site's
#: language, like the other notes the complainant reads).
REMOVED = gettext_lazy("[removed under the personal data retention policy]")

#: The contact fields of a complainant, all sealed.
CONTACT_FIELDS = ("name", "phone", "email", "line_id", "address")


class PurgeReason(StrEnum):
    RETENTION = "retention"
    COMPLAINANT_REQUEST = "complainant_request"


class NothingToErase(Exception):
    """The report has no contact details (anonymous, or erased already)."""


@dataclass(frozen=True)
class Erasure:
    #: Contact fields that held a value.
    fields: int
    #: Pending identity requests that lapsed.
    lapsed_requests: int


@dataclass(frozen=True)
class Purge:
    erasure: Erasure | None
    messages: int
    disputes: int
    #: What other apps removed, by receiver (e.g. evidence files).
    elsewhere: dict[str, int]


def _removed_text() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(REMOVED)


def _erase_contact(case: Case, now: datetime) -> Erasure | None:
    """Empty the complainant's contact fields; ``None`` when there was nothing to erase."""
    row = (
        Complainant.objects.filter(case=case, erased_at__isnull=True)
        .values_list("pk", *CONTACT_FIELDS)
        .first()
    )
    if row is None:
        return None
    pk, *values = row
    # Counted from the sealed tokens (NULL when empty), without opening them.
    fields = sum(1 for value in values if value is not None)
    Complainant.objects.filter(pk=pk).update(erased_at=now, **dict.fromkeys(CONTACT_FIELDS, ""))
    lapsed = IdentityRequest.objects.filter(
        referral__case=case, status=IdentityRequest.Status.PENDING
    ).update(status=IdentityRequest.Status.LAPSED, decided_at=now)
    return Erasure(fields=fields, lapsed_requests=lapsed)


def _receiver_name(receiver: object) -> str:
    module = getattr(receiver, "__module__", "") or ""
    name = getattr(receiver, "__qualname__", "") or type(receiver).__name__
    return f"{module}.{name}".strip(".")


@transaction.atomic
def erase_contact_details(*, case: Case, now: datetime | None = None) -> Erasure:
    """The complainant asks for their contact details to be erased now (follow-up page).

    The centre can no longer contact them, and identity requests waiting for a decision lapse.
    The report, the conversation and the evidence stay until the retention period ends.
    """
    now = now or timezone.now()
    locked = Case.objects.select_for_update().get(pk=case.pk)
    erasure = _erase_contact(locked, now)
    if erasure is None:
        raise NothingToErase
    CaseEvent.objects.create(case=locked, at=now, kind=CaseEvent.Kind.ERASURE, public=True)
    record(
        actor=None,
        action="case.contact_details_erased",
        target=locked,
        data={
            "reason": str(PurgeReason.COMPLAINANT_REQUEST),
            "status": locked.status,
            "fields": erasure.fields,
            "identity_requests_lapsed": erasure.lapsed_requests,
        },
    )
    return erasure


@transaction.atomic
def purge_personal_data(
    *, case: Case, reason: PurgeReason, by: User | None = None, now: datetime | None = None
) -> Purge:
    """Purge everything personal about a case in one transaction, and record it.

    Other apps delete their files in their ``personal_data_purge`` receivers, inside this
    transaction: if one fails, nothing is purged and the next run tries again.
    """
    now = now or timezone.now()
    locked = Case.objects.select_for_update().get(pk=case.pk)
    erasure = _erase_contact(locked, now)
    removed = _removed_text()
    messages = Message.objects.filter(case=locked).exclude(body=removed).update(body=removed)
    disputes = Dispute.objects.filter(case=locked).exclude(text=removed).update(text=removed)
    # A dispute's text is copied onto its timeline step for the follow-up page.
    CaseEvent.objects.filter(case=locked, kind=CaseEvent.Kind.DISPUTE).exclude(
        public_note=""
    ).update(public_note=removed)
    elsewhere: dict[str, int] = {}
    for receiver, answer in personal_data_purge.send(sender=Case, case=locked, reason=reason):
        if isinstance(answer, int):
            elsewhere[_receiver_name(receiver)] = answer
    locked.personal_data_purged_at = now
    locked.save(update_fields=["personal_data_purged_at", "updated_at"])
    CaseEvent.objects.create(case=locked, at=now, kind=CaseEvent.Kind.ERASURE, public=True)
    record(
        actor=by,
        action="case.personal_data_purged",
        target=locked,
        data={
            "reason": str(reason),
            "kind": locked.kind,
            "status": locked.status,
            "contact_fields": erasure.fields if erasure else 0,
            "identity_requests_lapsed": erasure.lapsed_requests if erasure else 0,
            "messages": messages,
            "disputes": disputes,
            "elsewhere": elsewhere,
        },
    )
    return Purge(erasure=erasure, messages=messages, disputes=disputes, elsewhere=elsewhere)
