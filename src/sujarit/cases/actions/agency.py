"""The agency's answer to a referral: acknowledge it, report progress, resolve or decline it.

Only an officer of the referral's agency may answer (``queries.can_answer``). The referral's
own status moves first; the case follows through ``workflow.move`` when the answer changes
where the case stands:

- the first acknowledgement moves a referred case to *acknowledged*;
- the first progress note moves it to *in progress*;
- when every referral that was not declined is resolved, the case is *resolved*, with the
  agencies' outcomes as its outcome;
- when every referral is declined, the case goes back to *screening* for the coordinator.

An agency declines only before it acknowledges (the referral is not within its powers, or
lacks what it needs); once it has acknowledged, it answers with an outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sujarit.accounts.models import User
from sujarit.audit.actions import record
from sujarit.cases.models import Case, CaseEvent, CaseStatus, Referral, ReferralStatus
from sujarit.cases.queries import can_answer
from sujarit.cases.workflow import TransitionRefused, move

S = CaseStatus
R = ReferralStatus

#: The road a case takes while its agencies work on it; answering moves it forward along it,
#: never back.
_AGENCY_ROAD: tuple[str, ...] = (S.REFERRED, S.ACKNOWLEDGED, S.IN_PROGRESS)

_OPEN = frozenset({R.SENT, R.ACKNOWLEDGED, R.IN_PROGRESS})


@dataclass(frozen=True)
class Answer:
    """What an answer did: the referral as it now stands and the case's status before/after."""

    referral: Referral
    case_before: str
    case_after: str


def _ensure_can_answer(by: User, referral: Referral) -> None:
    if not can_answer(by, referral):
        raise PermissionDenied("Only an officer of the referral's agency may answer it.")


def _locked(referral: Referral) -> tuple[Case, Referral]:
    """The case and the referral, re-read under row locks (the case first, always, so that
    two agencies answering the same case at once take turns instead of deadlocking)."""
    case = Case.objects.select_for_update().get(pk=referral.case_id)
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    locked.case = case
    return case, locked


def _advance(case: Case, to: str, *, by: User, now: datetime) -> None:
    """Move ``case`` forward along the agency road up to ``to`` (through acknowledged when it
    is still referred), and not at all when it is already there or past it, or elsewhere."""
    if case.status not in _AGENCY_ROAD:
        return
    start = _AGENCY_ROAD.index(case.status)
    for step in _AGENCY_ROAD[start + 1 : _AGENCY_ROAD.index(to) + 1]:
        move(case, step, by=by, now=now)


def _joined_outcomes(referrals: list[Referral]) -> str:
    resolved = [r for r in referrals if r.status == R.RESOLVED]
    if len(resolved) == 1:
        return resolved[0].outcome
    # Stored once, Thai first: the agencies' names as they are known in the province.
    return "\n\n".join(f"{r.agency.name_th}: {r.outcome}" for r in resolved)


def _conclude(case: Case, *, by: User, now: datetime) -> None:
    """Resolve the case when every referral that was not declined is resolved; send it back
    to screening when every referral was declined. Otherwise the case stays where it is."""
    referrals = list(
        Referral.objects.filter(case=case).select_related("agency").order_by("referred_at", "id")
    )
    active = [r for r in referrals if r.status != R.DECLINED]
    if not active:
        move(
            case,
            S.SCREENING,
            by=by,
            now=now,
            note=_("Every agency declined the referral: the case needs screening again."),
        )
    elif all(r.status == R.RESOLVED for r in active):
        move(case, S.RESOLVED, by=by, now=now, outcome=_joined_outcomes(referrals))


def _audit(
    action: str, *, by: User, referral: Referral, before: str, case_before: str, **extra: Any
) -> None:
    # Statuses and ids only: outcomes, reasons and notes are free text and stay out of the log.
    record(
        actor=by,
        action=action,
        target=referral,
        data={
            "case": referral.case_id,
            "agency": referral.agency_id,
            "before": {"status": before},
            "after": {"status": referral.status},
            "case_before": {"status": case_before},
            "case_after": {"status": referral.case.status},
            **extra,
        },
    )


@transaction.atomic
def acknowledge_referral(*, referral: Referral, by: User, now: datetime | None = None) -> Answer:
    """The agency confirms it has the referral and will act on it."""
    now = now or timezone.now()
    _ensure_can_answer(by, referral)
    case, referral = _locked(referral)
    if referral.status != R.SENT:
        raise TransitionRefused(_("This referral has already been acknowledged or answered."))
    before, case_before = referral.status, case.status
    referral.status = R.ACKNOWLEDGED
    referral.acknowledged_at = now
    referral.acknowledged_by = by
    referral.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    _advance(case, S.ACKNOWLEDGED, by=by, now=now)
    _audit(
        "referral.acknowledged", by=by, referral=referral, before=before, case_before=case_before
    )
    return Answer(referral=referral, case_before=case_before, case_after=case.status)


@transaction.atomic
def add_progress_note(
    *,
    referral: Referral,
    by: User,
    public_note: str,
    note: str = "",
    now: datetime | None = None,
) -> CaseEvent:
    """A step of the agency's work: ``public_note`` for the complainant (shown on the
    follow-up page without the officer's name), ``note`` for the coordination centre."""
    now = now or timezone.now()
    _ensure_can_answer(by, referral)
    if not public_note.strip():
        raise TransitionRefused(_("Write what the complainant should know about the progress."))
    case, referral = _locked(referral)
    if referral.status == R.SENT:
        raise TransitionRefused(_("Acknowledge the referral before reporting progress."))
    if referral.status not in _OPEN:
        raise TransitionRefused(_("This referral is closed: it was resolved or declined."))
    before, case_before = referral.status, case.status
    referral.status = R.IN_PROGRESS
    referral.save(update_fields=["status"])
    _advance(case, S.IN_PROGRESS, by=by, now=now)
    event = CaseEvent.objects.create(
        case=case,
        at=now,
        kind=CaseEvent.Kind.PROGRESS,
        actor=by,
        note=note.strip(),
        public_note=public_note.strip(),
        public=True,
    )
    _audit(
        "referral.progress_noted",
        by=by,
        referral=referral,
        before=before,
        case_before=case_before,
        event=event.pk,
        with_staff_note=bool(event.note),
    )
    return event


@transaction.atomic
def resolve_referral(
    *, referral: Referral, by: User, outcome: str, now: datetime | None = None
) -> Answer:
    """The agency's outcome. Answering a referral not yet acknowledged acknowledges it too.
    When this was the last open referral of the case, the case is resolved."""
    now = now or timezone.now()
    _ensure_can_answer(by, referral)
    if not outcome.strip():
        raise TransitionRefused(_("Write the outcome: what the agency found and what it did."))
    case, referral = _locked(referral)
    if referral.status not in _OPEN:
        raise TransitionRefused(_("This referral is closed: it was resolved or declined."))
    before, case_before = referral.status, case.status
    fields = ["status", "resolved_at", "outcome"]
    if referral.acknowledged_at is None:
        referral.acknowledged_at = now
        referral.acknowledged_by = by
        fields += ["acknowledged_at", "acknowledged_by"]
        _advance(case, S.ACKNOWLEDGED, by=by, now=now)
    referral.status = R.RESOLVED
    referral.resolved_at = now
    referral.outcome = outcome.strip()
    referral.save(update_fields=fields)
    _conclude(case, by=by, now=now)
    if case.status != S.RESOLVED:
        # Other agencies still work on the case: the complainant hears of this one's outcome now.
        CaseEvent.objects.create(
            case=case,
            at=now,
            kind=CaseEvent.Kind.PROGRESS,
            actor=by,
            public_note=referral.outcome,
            public=True,
        )
    _audit("referral.resolved", by=by, referral=referral, before=before, case_before=case_before)
    return Answer(referral=referral, case_before=case_before, case_after=case.status)


@transaction.atomic
def decline_referral(
    *, referral: Referral, by: User, reason: str, now: datetime | None = None
) -> Answer:
    """The agency will not act on the referral (not within its powers, or missing what it
    needs), and says why. Only before it acknowledges."""
    now = now or timezone.now()
    _ensure_can_answer(by, referral)
    if not reason.strip():
        raise TransitionRefused(_("Say why the agency declines the referral."))
    case, referral = _locked(referral)
    if referral.status != R.SENT:
        raise TransitionRefused(
            _(
                "A referral can be declined only before it is acknowledged; once acknowledged, "
                "answer it with an outcome."
            )
        )
    before, case_before = referral.status, case.status
    referral.status = R.DECLINED
    referral.declined_at = now
    referral.decline_reason = reason.strip()
    referral.save(update_fields=["status", "declined_at", "decline_reason"])
    _conclude(case, by=by, now=now)
    _audit("referral.declined", by=by, referral=referral, before=before, case_before=case_before)
    return Answer(referral=referral, case_before=case_before, case_after=case.status)
