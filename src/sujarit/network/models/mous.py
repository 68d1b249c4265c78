"""Memoranda of understanding (บันทึกความร่วมมือ) between organizations and agencies."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sujarit.agencies.models import Agency
from sujarit.geo.models import Province, Subdistrict
from sujarit.network.models.files import mou_document_name
from sujarit.network.models.organizations import Organization


class Mou(models.Model):
    title = models.CharField(_("title"), max_length=255)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="mous", verbose_name=_("organizations (parties)")
    )
    agencies = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name=_("agencies (parties)")
    )
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(
        _("in force until"), null=True, blank=True, help_text=_("Empty: no end date.")
    )
    subdistricts = models.ManyToManyField(
        Subdistrict, blank=True, related_name="+", verbose_name=_("subdistricts covered")
    )
    commitments = models.TextField(_("commitments"), blank=True)
    # Stored through the default storage, which is private (no MEDIA_URL): the file is served
    # only by a view that checks permission.
    document = models.FileField(
        _("signed document"), upload_to=mou_document_name, blank=True, max_length=200
    )
    document_type = models.CharField(_("document type"), max_length=60, blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("MOU")
        verbose_name_plural = _("MOUs")
        constraints = [
            models.CheckConstraint(
                name="network_mou_term_in_order",
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                violation_error_message=_("The end of the term comes after its start."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def in_force_on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)
