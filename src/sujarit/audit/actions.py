"""Writing to the audit log. Events are only ever appended, never changed or deleted."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from sujarit.audit.canonical import canonical_data
from sujarit.audit.chain import Verification, hash_of, head_link, lock_chain
from sujarit.audit.models import AuditEvent, ChainCheck


def record(
    *,
    actor: Any | None,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Call it inside the transaction of the change it
    describes: the event commits or rolls back with it.

    ``data`` must hold no personal data in clear (no names, contacts or identity numbers):
    auditors read the log without identities. It must be plain JSON (numbers, text, lists,
    mappings); ``AuditDataError`` refuses what would not read back the same.

    Appends take the chain lock, which is held until the surrounding transaction ends: call
    ``record()`` last in a long transaction, so that other writers wait as little as possible.
    """
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    clean = canonical_data(data or {})
    # Inside a transaction, part of it (no savepoint: a failed append fails the change it
    # describes, and the lock lasts until the outer transaction ends); outside one, a
    # transaction of its own, so that reading the head and appending after it cannot be split
    # by another writer.
    with transaction.atomic(savepoint=False):
        lock_chain()
        last_seq, last_hash = head_link()
        event = AuditEvent(
            # The time is read under the lock, so that times grow with the sequence.
            at=timezone.now(),
            actor=user,
            actor_label=user.get_username() if user is not None else "system",
            action=action,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            data=clean,
            seq=last_seq + 1,
            prev_hash=last_hash,
        )
        event.hash = hash_of(event)
        event.save(force_insert=True)
    return event


@transaction.atomic
def save_check(*, result: Verification, anchored_seq: int | None = None) -> ChainCheck:
    """Keep the outcome of a verification for the auditors' status page."""
    broken = result.broken
    return ChainCheck.objects.create(
        ok=result.ok,
        checked=result.checked,
        head_seq=result.head_seq,
        head_hash=result.head_hash or "",
        break_kind=broken.kind if broken is not None else "",
        break_seq=broken.seq if broken is not None else None,
        break_event_id=broken.id if broken is not None else None,
        detail=broken.detail if broken is not None else "",
        anchored_seq=anchored_seq,
    )
