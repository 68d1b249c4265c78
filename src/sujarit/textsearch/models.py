"""What the search index is built from: a segmented copy of each case's text, and the queue
of changes the embedded index has not taken in yet."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sujarit.cases.models import Case


class CaseText(models.Model):
    """A case's searchable text (description, village, accused agency as typed) normalised and
    cut into words, joined by spaces: the form every backend indexes.

    Written in the transaction that writes the case. It is personal data like the description
    it copies: a purge of the case's personal data rewrites it (see ``signals``)."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("case")
    )
    words = models.TextField(_("segmented words"))
    created_at = models.DateTimeField(_("case received"))

    class Meta:
        verbose_name = _("case search text")
        verbose_name_plural = _("case search texts")

    def __str__(self) -> str:
        return f"case {self.case_id}"


class IndexChange(models.Model):
    """A case whose text changed and which the embedded index (Tantivy) has not applied yet.

    Rows are added in the transaction that changes the case and deleted by the single process
    that holds the index writer once it has committed them, so an update is never lost to a
    crash or to another process holding the writer: it waits here until the next apply."""

    case_id = models.BigIntegerField(_("case"))

    class Meta:
        verbose_name = _("pending index change")
        verbose_name_plural = _("pending index changes")

    def __str__(self) -> str:
        return f"case {self.case_id} (change {self.pk})"
