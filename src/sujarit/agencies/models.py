"""The directory of public bodies that a case can be referred to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sujarit.geo.models import Province, Subdistrict


class AgencyKind(models.TextChoices):
    NACC = "nacc", _("National Anti-Corruption Commission (NACC)")
    NACC_PROVINCIAL = "nacc_provincial", _("NACC provincial office")
    PACC = "pacc", _("Public Sector Anti-Corruption Commission (PACC)")
    PACC_REGIONAL = "pacc_regional", _("PACC regional office")
    AUDIT_OFFICE = "audit_office", _("State Audit Office")
    AUDIT_OFFICE_REGIONAL = "audit_office_regional", _("State Audit Office regional office")
    ELECTION_COMMISSION = "election_commission", _("Election Commission")
    ELECTION_COMMISSION_PROVINCIAL = (
        "election_commission_provincial",
        _("Election Commission provincial office"),
    )
    PROVINCIAL_OFFICE = "provincial_office", _("Provincial Office")
    DAMRONGTHAM = "damrongtham", _("Damrongtham centre")
    OMBUDSMAN = "ombudsman", _("Office of the Ombudsman")
    PAO = "pao", _("Provincial Administrative Organization")
    MUNICIPALITY = "municipality", _("Municipality")
    SAO = "sao", _("Subdistrict Administrative Organization")
    OTHER = "other", _("Other public body")


#: Kinds that are local administrative organizations (อปท.): they serve subdistricts.
LOCAL_KINDS = frozenset({AgencyKind.PAO, AgencyKind.MUNICIPALITY, AgencyKind.SAO})


class Agency(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        REGIONAL = "regional", _("regional")
        PROVINCIAL = "provincial", _("provincial")
        LOCAL = "local", _("local")

    # A stable key used by imports and routing rules, e.g. "nacc-24" or "sao-240101".
    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=AgencyKind.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    short_name_th = models.CharField(_("short name (Thai)"), max_length=60, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent body"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("province"),
        help_text=_("Empty for national and regional bodies."),
    )
    subdistricts = models.ManyToManyField(
        Subdistrict,
        blank=True,
        related_name="agencies",
        verbose_name=_("subdistricts served"),
    )
    # Contact details stay empty unless taken from an official source: a wrong hotline
    # sends a whistleblower to the wrong door.
    hotline = models.CharField(_("hotline"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True)
    source = models.CharField(
        _("source"), max_length=255, blank=True, help_text=_("Where these facts come from.")
    )
    is_demo = models.BooleanField(
        _("demo"),
        default=False,
        help_text=_("Generated for demonstration; not a record of a real body."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["level", "kind", "name_th"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "th").startswith("en") and self.name_en:
            return self.name_en
        return self.name_th
