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


class ChainCheck(models.Model):
    """The outcome of one run of ``sujarit audit verify``, for the auditors' status page.

    Kept apart from the chain (a check is not an event of the log) and never trusted as proof:
    the proof is running ``verify`` again, or checking an anchor.
    """

    at = models.DateTimeField(_("time"), default=timezone.now)
    ok = models.BooleanField(_("intact"))
    checked = models.BigIntegerField(_("events checked"))
    head_seq = models.BigIntegerField(_("head sequence"), null=True, blank=True)
    head_hash = models.CharField(_("head hash"), max_length=64, blank=True)
    break_kind = models.CharField(_("kind of break"), max_length=20, blank=True)
    break_seq = models.BigIntegerField(_("broken at sequence"), null=True, blank=True)
    break_event_id = models.BigIntegerField(_("broken at event id"), null=True, blank=True)
    detail = models.TextField(_("detail"), blank=True)
    anchored_seq = models.BigIntegerField(_("anchored sequence"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit chain check")
        verbose_name_plural = _("audit chain checks")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else self.break_kind}"
