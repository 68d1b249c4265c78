"""The append-only event log that every app writes through ``sujarit.audit.actions.record``.

Events form one hash chain (see docs/audit.md): each stores its place in the chain (``seq``),
the hash of the event before it and its own hash over a canonical serialisation of its
content, so that ``sujarit audit verify`` detects any event changed, deleted or reordered
behind the ORM's back.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    # Set by ``record()`` under the chain lock and hashed at microsecond precision.
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Kept beside the foreign key so the log still reads when an account is renamed.
    actor_label = models.CharField(_("actor label"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("target type"), max_length=80, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    # The place in the chain: 1, 2, 3... with no gap. Ids also grow with it (events are
    # appended one at a time under a lock), which is how a reordering is told apart.
    seq = models.BigIntegerField(_("sequence"), unique=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["target_type", "target_id", "id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_type}:{self.target_id}"

    # The log is append-only. These guards stop the ORM's row methods from rewriting history;
    # the hash chain (a later addition) detects changes made behind the ORM's back.
    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("An audit event cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("An audit event cannot be deleted.")


class AuditLogIsAppendOnly(Exception):
    """Raised on an attempt to change or delete a written audit event."""
