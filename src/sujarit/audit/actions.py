"""Writing to the audit log. Events are only ever appended, never changed or deleted."""

from __future__ import annotations

from typing import Any

from django.db import models

from sujarit.audit.models import AuditEvent


def record(
    *,
    actor: Any | None,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change it describes.

    ``data`` must hold no personal data in clear (no names, contacts or identity numbers):
    auditors read the log without identities.
    """
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=user.get_username() if user is not None else "system",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
    )
