"""Identity release: an agency asks to know a confidential complainant, a custodian decides.

Never one person's decision. The officer who needs the identity asks
(``queries.can_request_identity``); a custodian decides (``queries.can_decide_identity_request``:
an administrator, or a coordinator who neither handles the case nor asked). The complainant is
told of the request and of the decision on the follow-up page, in plain Thai and without any
staff member's name. Both steps go into the audit log with ids and the decision only: the
reasons are free text and the identity itself never appears there.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sujarit.accounts.models import User
from sujarit.audit.actions import record
from sujarit.cases.models import Case, CaseEvent, IdentityRequest, Referral
from sujarit.cases.queries import can_decide_identity_request, can_request_identity
from sujarit.cases.workflow import TransitionRefused

#: What the complainant reads on the follow-up page (stored in Thai, the complainant's
#: language on a Thai site; the wording names no person and no agency).
REQUEST_NOTICE = gettext_lazy(
    "The agency handling your report has asked to know who you are, so that it can continue "
    "its work. It will not be told unless a custodian at the coordination centre, who does not "
    "handle your report, approves. If this worries you, send a message to the coordination "
    "centre."
)
APPROVED_NOTICE = gettext_lazy(
    "The coordination centre approved the agency's request: the agency handling your report "
    "may now see your name and contact details."
)
DENIED_NOTICE = gettext_lazy(
    "The coordination centre refused the agency's request: your name and contact details stay "
    "confidential."
)


def _in_thai(text: Promise) -> str:
    with translation.override("th"):
        return str(text)


@transaction.atomic
def request_identity(
    *, referral: Referral, reason: str, by: User, now: datetime | None = None
) -> IdentityRequest:
    """An officer of the referral's agency asks for the complainant's identity, and says why."""
    now = now or timezone.now()
    if not can_request_identity(by, referral):
        raise PermissionDenied("Only an officer of the referral's agency may ask, and only once.")
    if not reason.strip():
        raise TransitionRefused(_("Say why the agency needs to know who the complainant is."))
    # The case row is the lock every answer to the case takes (see actions.agency).
    case = Case.objects.select_for_update().get(pk=referral.case_id)
    if IdentityRequest.objects.filter(
        referral=referral, status=IdentityRequest.Status.PENDING
    ).exists():
        raise TransitionRefused(_("A request for this referral is already waiting for a decision."))
    request = IdentityRequest.objects.create(
        referral=referral, requested_by=by, requested_at=now, reason=reason.strip()
    )
    CaseEvent.objects.create(
        case=case,
        at=now,
        kind=CaseEvent.Kind.IDENTITY,
        actor=by,
        note=request.reason,
        public_note=_in_thai(REQUEST_NOTICE),
        public=True,
    )
    record(
        actor=by,
        action="identity.requested",
        target=request,
        data={
            "case": case.pk,
            "referral": referral.pk,
            "agency": referral.agency_id,
            "after": {"status": request.status},
        },
    )
    return request


@transaction.atomic
def decide_identity_request(
    *,
    request: IdentityRequest,
    approve: bool,
    by: User,
    note: str = "",
    now: datetime | None = None,
) -> IdentityRequest:
    """The custodian approves (the agency may then read the identity) or denies the request."""
    now = now or timezone.now()
    locked = IdentityRequest.objects.select_for_update().get(pk=request.pk)
    referral = Referral.objects.select_related("case").get(pk=locked.referral_id)
    locked.referral = referral
    if locked.status != IdentityRequest.Status.PENDING:
        raise TransitionRefused(_("This request has already been decided."))
    if not can_decide_identity_request(by, locked):
        raise PermissionDenied(
            "A custodian decides: an administrator, or a coordinator who neither handles the "
            "case nor asked."
        )
    before = locked.status
    locked.status = IdentityRequest.Status.APPROVED if approve else IdentityRequest.Status.DENIED
    locked.decided_by = by
    locked.decided_at = now
    locked.decision_note = note.strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    released_before = referral.identity_released
    if approve and not referral.identity_released:
        referral.identity_released = True
        referral.save(update_fields=["identity_released"])
    CaseEvent.objects.create(
        case=referral.case,
        at=now,
        kind=CaseEvent.Kind.IDENTITY,
        actor=by,
        note=locked.decision_note,
        public_note=_in_thai(APPROVED_NOTICE if approve else DENIED_NOTICE),
        public=True,
    )
    record(
        actor=by,
        action="identity.approved" if approve else "identity.denied",
        target=locked,
        data={
            "case": referral.case_id,
            "referral": referral.pk,
            "agency": referral.agency_id,
            "decision": locked.status,
            "before": {"status": before, "identity_released": released_before},
            "after": {"status": locked.status, "identity_released": referral.identity_released},
        },
    )
    return locked
