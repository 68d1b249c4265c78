"""Reports acknowledged but not yet registered as cases (the intake inbox).

The API acknowledges a report as soon as it is stored here: one sealed row holding the
checked report, with keyed hashes of its idempotency key and receipt code. The registrar
(``sujarit register-reports``, ``sujarit.cases.actions.inbox``) turns each row into a case
with the same ``submit_report`` the web form uses, in the transaction that marks the row
registered and erases its payload. See docs/cases-intake.md.

Imported by ``sujarit.cases.models`` (these are models of the ``cases`` app).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from sujarit.cases.models import Case, unique_hashes
from sujarit.lib.fields import SealedTextField


class PendingReport(models.Model):
    """One acknowledged report, until it is a case (then its payload is erased and the row
    stays as the answer to a repeated Idempotency-Key)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Both unique (Meta.constraints).
    idempotency_hash = models.CharField(_("idempotency key hash"), max_length=64)
    receipt_hash = models.CharField(_("receipt code hash"), max_length=64)
    #: The checked report as JSON (``actions.inbox.to_payload``), contact details and
    #: passphrase included: sealed under the data key, bound to this row.
    payload = SealedTextField(_("report"), bind="id")
    received_at = models.DateTimeField(_("received"))
    case = models.OneToOneField(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    #: Failed registrations: how many, and the last error (a class name and message, never
    #: the report's content). Past ``MAX_ATTEMPTS`` the row waits for a person.
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("report being registered")
        verbose_name_plural = _("reports being registered")
        indexes = [
            models.Index(
                fields=["received_at"],
                name="cases_pending_unregistered",
                condition=models.Q(registered_at__isnull=True),
            )
        ]
        constraints = unique_hashes("pending", "idempotency_hash", "receipt_hash")

    def __str__(self) -> str:
        return f"{self.id} ({'registered' if self.registered_at else 'pending'})"
