"""Reads of the audit log, and the one permission check for reading it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.functions import Cast

from sujarit.accounts.models import STAFF_ROLES, Role
from sujarit.accounts.queries import AnyUser, role_of
from sujarit.audit.models import AuditEvent, ChainCheck


def can_view_audit_trail(user: AnyUser) -> bool:
    """Auditors and administrators read the audit log (without identities); nobody else."""
    return role_of(user) in {Role.AUDITOR, Role.ADMIN}


def _targets(model: type[Model], **lookup: Any) -> Q:
    """Events whose target is a ``model`` row matching ``lookup``: one subquery, no ids in
    Python (``target_id`` is text, so the primary keys are cast to text)."""
    ids = model._default_manager.filter(**lookup).annotate(
        _target=Cast("pk", output_field=CharField())
    )
    return Q(target_type=model._meta.label_lower, target_id__in=ids.values("_target"))


def case_trail_filter(case: Model) -> Q:
    """Events about ``case`` or any object that belongs to it: its referrals, messages,
    disputes... and their own objects one step further (identity requests of a referral).

    Read from the model relations rather than listed by hand, so that an object a later module
    attaches to a case (evidence, say) shows up too.
    """
    case_model = type(case)
    condition = Q(target_type=case_model._meta.label_lower, target_id=str(case.pk))
    for relation in case_model._meta.related_objects:
        if relation.many_to_many or relation.related_model is None:
            continue
        child = relation.related_model
        path = relation.field.name
        condition |= _targets(child, **{path: case})
        for grand_relation in child._meta.related_objects:
            if grand_relation.many_to_many or grand_relation.related_model is child:
                continue
            condition |= _targets(
                grand_relation.related_model, **{f"{grand_relation.field.name}__{path}": case}
            )
    return condition


@dataclass(frozen=True)
class TrailEntry:
    seq: int
    at: datetime
    action: str
    actor: str | None
    target_type: str
    target_id: str
    data: list[tuple[str, str]]


#: Whose name the trail shows: staff acting in their role. A report is submitted by its
#: reporter (a network member on a monitoring visit, say), who is never named to auditors.
SUBMITTED_ACTIONS = frozenset({"case.submitted"})


def case_trail(case: Model) -> list[TrailEntry]:
    """Every audit event about ``case`` in chain order, as an auditor may read it: action,
    time, the staff account that acted, and the event's data (ids, statuses and counts; never
    personal data, which ``record()`` callers must not write). Accounts that are not staff
    (the reporter) are not named."""
    events = (
        AuditEvent.objects.filter(case_trail_filter(case)).select_related("actor").order_by("seq")
    )
    return [
        TrailEntry(
            seq=event.seq,
            at=event.at,
            action=event.action,
            actor=_shown_actor(event),
            target_type=event.target_type,
            target_id=event.target_id,
            data=_flatten(event.data),
        )
        for event in events
    ]


def _shown_actor(event: AuditEvent) -> str | None:
    """The actor's label when it is a staff account acting on the case; ``None`` (not shown)
    for anyone else; ``"system"`` for events without an account."""
    if event.actor is None:
        return event.actor_label or "system"
    if event.action in SUBMITTED_ACTIONS or event.actor.role not in STAFF_ROLES:
        return None
    return event.actor_label


def _flatten(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    """``{"after": {"status": "x"}}`` → ``[("after.status", "x")]``, keys sorted."""
    if isinstance(data, dict):
        rows: list[tuple[str, str]] = []
        for key in sorted(data):
            rows.extend(_flatten(data[key], f"{prefix}.{key}" if prefix else str(key)))
        return rows
    if isinstance(data, list):
        return [(prefix, ", ".join(str(item) for item in data))]
    return [(prefix, "" if data is None else str(data))]


def latest_check() -> ChainCheck | None:
    return ChainCheck.objects.first()


def recent_checks(limit: int = 20) -> QuerySet[ChainCheck]:
    return ChainCheck.objects.all()[:limit]
