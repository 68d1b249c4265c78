"""Awards and recognitions, such as the White Award contest that PACC runs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sujarit.agencies.models import Agency
from sujarit.network.models.organizations import Organization


class AwardContest(models.Model):
    """One round of an award (a name and a year), with how many awards it gave in all.

    The total counts every winner, including those outside our directory, so that "network
    winners 11 of 23" can be shown.
    """

    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("year (Buddhist era)"))
    giver = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("awarded by"),
    )
    giver_name = models.CharField(_("awarded by (as written)"), max_length=255, blank=True)
    total_awards = models.PositiveIntegerField(
        _("awards given in all"),
        help_text=_("Every award of this round, including winners outside the network."),
    )
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        ordering = ["-year", "name_th"]
        verbose_name = _("award contest")
        verbose_name_plural = _("award contests")
        constraints = [
            models.UniqueConstraint(fields=["name_th", "year"], name="network_contest_unique"),
            models.CheckConstraint(
                name="network_contest_year_is_buddhist_era",
                condition=models.Q(year__gte=2400, year__lte=2700),
                violation_error_message=_("Give the year in the Buddhist era (e.g. 2565)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"

    @property
    def name(self) -> str:
        if (get_language() or "th").startswith("en") and self.name_en:
            return self.name_en
        return self.name_th


class Award(models.Model):
    contest = models.ForeignKey(
        AwardContest, on_delete=models.CASCADE, related_name="awards", verbose_name=_("contest")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=_("winning organization"),
    )
    category = models.CharField(_("category"), max_length=255, blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        ordering = ["contest", "category", "id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "organization", "category"], name="network_award_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contest} — {self.category}"
