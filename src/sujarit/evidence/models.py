"""Evidence files: photos, documents and recordings attached to a case.

The file itself is never in the database: the row holds what staff need to list it (its
kind, size, who added it and when) and the name under which the storage holds it, sealed
with AES-GCM under a data key (``sujarit.lib.crypto``) and bound to this row's ``uuid``.
Neither the citizen's file name nor anything else from the upload is kept: the file is
listed and downloaded under a generic name made from its number and kind.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sujarit.cases.models import Case
from sujarit.evidence.sniffing import KINDS, FileKind


class Source(models.TextChoices):
    CITIZEN = "citizen", _("the complainant")
    STAFF = "staff", _("staff")


class EvidenceFile(models.Model):
    #: The field that names the key a row's sealed data is under (``sujarit rotate-keys``).
    sealed_key_field: ClassVar[str] = "key_name"

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="evidence_files", verbose_name=_("case")
    )
    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(_("added by"), max_length=10, choices=Source.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    #: ``sujarit.evidence.sniffing.KINDS`` key: what the content is, as sniffed.
    kind = models.CharField(_("kind"), max_length=10)
    content_type = models.CharField(_("content type"), max_length=120)
    #: Size of the stored (stripped) file before encryption, in bytes.
    size = models.PositiveBigIntegerField(_("size"))
    #: Where the storage holds the sealed file: random, no extension, nothing from the upload.
    storage_name = models.CharField(_("storage name"), max_length=200, unique=True)
    key_name = models.CharField(_("data key"), max_length=32)
    created_at = models.DateTimeField(_("added"))
    #: Set when the file was deleted from the storage by a purge of the case's personal data.
    purged_at = models.DateTimeField(_("purged"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at", "id"], name="evidence_case")]
        constraints = [
            models.CheckConstraint(
                name="evidence_staff_source_has_user",
                condition=models.Q(source="citizen", added_by__isnull=True)
                | models.Q(source="staff", added_by__isnull=False),
            ),
        ]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.generic_name

    @property
    def file_kind(self) -> FileKind:
        return KINDS[self.kind]

    @property
    def family(self) -> str:
        return self.file_kind.family

    @property
    def generic_name(self) -> str:
        """The name the file is listed and downloaded under, e.g. ``C-000042-3.jpg``."""
        return f"C-{self.case_id:06d}-{self.pk or 0}.{self.file_kind.extension}"

    @property
    def context(self) -> str:
        """What the sealed file is bound to: a file copied under another row fails to open."""
        return f"evidence:{self.uuid}"

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None

    def reseal(self) -> None:
        """Encrypt the stored file again under the current data key (``rotate-keys``)."""
        from sujarit.evidence.storage import reseal_file

        reseal_file(self)
