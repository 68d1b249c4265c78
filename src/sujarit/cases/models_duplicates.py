"""Duplicate reports: the fingerprint of each case's text, links between cases a coordinator
says belong together, and merges of one case into another.

Imported by ``sujarit.cases.models`` (these are models of the ``cases`` app). Writes go
through ``sujarit.cases.actions.duplicates``; the search itself is
``sujarit.textsearch.similar``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sujarit.cases.models import Case


class CaseFingerprint(models.Model):
    """The shingle hashes of a case's description (``similar.shingles``), computed at intake
    so that finding similar reports never segments a million texts again."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, related_name="fingerprint"
    )
    #: ``similar.SHINGLE_VERSION`` when computed; older ones are recomputed by
    #: ``sujarit rebuild-fingerprints``.
    version = models.PositiveSmallIntegerField()
    #: Little-endian unsigned 32-bit hashes, sorted (``similar.to_bytes``).
    shingles = models.BinaryField()

    class Meta:
        verbose_name = _("case fingerprint")
        verbose_name_plural = _("case fingerprints")

    def __str__(self) -> str:
        return f"C-{self.case_id:06d} v{self.version}"


class CaseLink(models.Model):
    """Two cases a coordinator found to be about the same matter. Each stays a case of its
    own; both pages show the link. Stored once per pair, lower case number first."""

    first = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    #: The similarity shown when the link was made, if it was made from the list.
    score = models.FloatField(_("similarity"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("linked"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="case_link_once"),
            models.CheckConstraint(name="case_link_ordered", condition=Q(first__lt=F("second"))),
        ]
        indexes = [models.Index(fields=["second"], name="case_link_second")]
        verbose_name = _("case link")
        verbose_name_plural = _("case links")

    def __str__(self) -> str:
        return f"C-{self.first_id:06d} ↔ C-{self.second_id:06d}"


class CaseMerge(models.Model):
    """``case`` was merged into ``into``: handled as part of it from then on.

    Nothing of ``case`` is moved or changed: its report, complainant, messages, events and
    files stay its own (its complainant still follows it with their receipt code, and sees
    only their own conversation). Its status becomes "merged".
    """

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, related_name="merge"
    )
    into = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="merged_reports")
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("merged"))

    class Meta:
        constraints = [
            models.CheckConstraint(name="case_merge_not_self", condition=~Q(case=F("into"))),
        ]
        verbose_name = _("case merge")
        verbose_name_plural = _("case merges")

    def __str__(self) -> str:
        return f"C-{self.case_id:06d} → C-{self.into_id:06d}"
