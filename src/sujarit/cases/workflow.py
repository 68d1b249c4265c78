"""The case workflow: which state may follow which, what each move requires, service levels.

The table below is the only place that says which transitions exist. Every action that
changes a case's status calls ``move``, which refuses anything not in the table, so a page
or an API endpoint that forgets a check still cannot put a case in an impossible state.

    received ──► screening ──► rejected (reason)
                     │  ├────► referred ──► acknowledged ──► in_progress ──► resolved ──► closed
                     │  └────► network ─────────────────────┘                 │  ▲
                     └──────────────────────► closed (outcome)                │  │
                 resolved ──(complainant disputes)──► screening ◄─────────────┘  │
                 referred ──(every agency declines)──► screening                 │
                 acknowledged / in_progress ──────────────────────────────────────┘
    received / screening ──► merged (into another case; see actions/duplicates.py)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sujarit.accounts.models import User
from sujarit.cases.models import Case, CaseEvent, CaseStatus, ServiceLevel
from sujarit.lib.refcache import ReferenceCache

S = CaseStatus

#: Allowed transitions: from → the states it may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.SCREENING, S.MERGED}),
    S.SCREENING: frozenset({S.REJECTED, S.REFERRED, S.NETWORK, S.CLOSED, S.MERGED}),
    S.REFERRED: frozenset({S.ACKNOWLEDGED, S.SCREENING, S.RESOLVED}),
    S.NETWORK: frozenset({S.IN_PROGRESS, S.REFERRED, S.RESOLVED}),
    S.ACKNOWLEDGED: frozenset({S.IN_PROGRESS, S.RESOLVED}),
    S.IN_PROGRESS: frozenset({S.RESOLVED, S.REFERRED}),
    S.RESOLVED: frozenset({S.CLOSED, S.SCREENING}),
    S.REJECTED: frozenset({S.SCREENING}),
    S.CLOSED: frozenset(),
    S.MERGED: frozenset(),
}

#: Days a case may stay in a state before it is overdue, unless a ``ServiceLevel`` row says
#: otherwise. States without an entry have no service level.
DEFAULT_SERVICE_DAYS: dict[str, int] = {
    S.RECEIVED: 1,
    S.SCREENING: 3,
    S.REFERRED: 15,
    S.NETWORK: 30,
    S.ACKNOWLEDGED: 30,
    S.IN_PROGRESS: 60,
}


class TransitionRefused(Exception):
    """A status change the workflow does not allow, or one missing what it requires."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Move:
    case_id: int
    from_status: str
    to_status: str


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())


_service_cache: ReferenceCache[dict[str, int]] = ReferenceCache("service levels", maxsize=1)


def service_days(status: str) -> int | None:
    """The service level of a state in days, from the table admins edit or the defaults."""
    configured = _service_cache.get(
        "all", lambda: dict(ServiceLevel.objects.values_list("status", "days"))
    )
    if status in configured:
        return configured[status]
    return DEFAULT_SERVICE_DAYS.get(status)


def due_after(status: str, start: datetime) -> datetime | None:
    days = service_days(status)
    return start + timedelta(days=days) if days is not None else None


def move(
    case: Case,
    to: str,
    *,
    by: User | None,
    note: str = "",
    public_note: str = "",
    reason: str = "",
    outcome: str = "",
    now: datetime | None = None,
) -> Move:
    """Change ``case``'s status, or raise ``TransitionRefused``.

    Writes the case and its timeline event; the calling action (already in a transaction)
    writes the audit event. ``reason`` is required to reject; ``outcome`` to close or resolve.
    """
    now = now or timezone.now()
    current = case.status
    if to not in allowed_next(current):
        raise TransitionRefused(
            str(
                _("A case cannot go from “%(from)s” to “%(to)s”.")
                % {"from": CaseStatus(current).label, "to": CaseStatus(to).label}
            )
        )
    if to == S.REJECTED and not reason.strip():
        raise TransitionRefused(str(_("A rejection needs a reason.")))
    if to in (S.CLOSED, S.RESOLVED) and not outcome.strip():
        raise TransitionRefused(str(_("Closing or resolving a case needs its outcome.")))
    case.status = to
    case.status_changed_at = now
    case.due_at = due_after(to, now)
    case.reminded_at = None
    if to == S.REJECTED:
        case.rejection_reason = reason.strip()
    if to in (S.CLOSED, S.RESOLVED):
        case.outcome = outcome.strip()
    if to == S.RESOLVED:
        case.resolved_at = now
    if to == S.SCREENING and current == S.RESOLVED:
        # A dispute reopens the case: its resolution no longer stands.
        case.resolved_at = None
    case.save(
        update_fields=[
            "status",
            "status_changed_at",
            "due_at",
            "reminded_at",
            "rejection_reason",
            "outcome",
            "resolved_at",
            "updated_at",
        ]
    )
    actor = by if by is not None and by.is_authenticated else None
    CaseEvent.objects.create(
        case=case,
        at=now,
        kind=CaseEvent.Kind.STATUS,
        from_status=current,
        to_status=to,
        actor=actor,
        note=(note or reason).strip(),
        public_note=public_note.strip()
        or (outcome.strip() if to in (S.RESOLVED, S.CLOSED) else ""),
    )
    return Move(case_id=case.pk, from_status=current, to_status=to)
