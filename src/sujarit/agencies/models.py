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
    BMA = "bma", _("Bangkok Metropolitan Administration")
    MUNICIPALITY = "municipality", _("Municipality")
    SAO = "sao", _("Subdistrict Administrative Organization")
    OTHER = "other", _("Other public body")


#: Kinds that are local administrative organizations (อปท.): they serve subdistricts.
LOCAL_KINDS = frozenset({AgencyKind.PAO, AgencyKind.BMA, AgencyKind.MUNICIPALITY, AgencyKind.SAO})


class LocalType(models.TextChoices):
    """The grade of a municipality (เทศบาล), which follows its population and income."""

    CITY = "city", _("city municipality")
    TOWN = "town", _("town municipality")
    SUBDISTRICT = "subdistrict", _("subdistrict municipality")


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
    local_type = models.CharField(
        _("municipality grade"),
        max_length=12,
        choices=LocalType.choices,
        blank=True,
        help_text=_("Only for municipalities."),
    )
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    short_name_th = models.CharField(_("short name (Thai)"), max_length=60, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=60, blank=True)
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
    # A regional office serves several provinces, but the sources name only some of them:
    # each link here is a fact taken from a source, and a province with no link simply has no
    # known regional office.
    served_provinces = models.ManyToManyField(
        Province,
        blank=True,
        related_name="regional_agencies",
        verbose_name=_("provinces served"),
        help_text=_("For regional bodies: the provinces in their region."),
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
        constraints = [
            models.CheckConstraint(
                name="agency_local_type_only_for_municipality",
                condition=models.Q(kind="municipality") | models.Q(local_type=""),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "th").startswith("en") and self.name_en:
            return self.name_en
        return self.name_th

    @property
    def short_name(self) -> str:
        if (get_language() or "th").startswith("en") and self.short_name_en:
            return self.short_name_en
        return self.short_name_th

    @property
    def has_contacts(self) -> bool:
        return any((self.hotline, self.phone, self.email, self.website, self.address))


#: Levels from the widest to the narrowest, the order in which pages list them.
LEVEL_ORDER: tuple[str, ...] = (
    Agency.Level.NATIONAL,
    Agency.Level.REGIONAL,
    Agency.Level.PROVINCIAL,
    Agency.Level.LOCAL,
)

#: The level each kind belongs to; ``OTHER`` has none and must be given one.
KIND_LEVELS: dict[str, str] = {
    AgencyKind.NACC: Agency.Level.NATIONAL,
    AgencyKind.PACC: Agency.Level.NATIONAL,
    AgencyKind.AUDIT_OFFICE: Agency.Level.NATIONAL,
    AgencyKind.ELECTION_COMMISSION: Agency.Level.NATIONAL,
    AgencyKind.OMBUDSMAN: Agency.Level.NATIONAL,
    AgencyKind.PACC_REGIONAL: Agency.Level.REGIONAL,
    AgencyKind.AUDIT_OFFICE_REGIONAL: Agency.Level.REGIONAL,
    AgencyKind.NACC_PROVINCIAL: Agency.Level.PROVINCIAL,
    AgencyKind.ELECTION_COMMISSION_PROVINCIAL: Agency.Level.PROVINCIAL,
    AgencyKind.PROVINCIAL_OFFICE: Agency.Level.PROVINCIAL,
    AgencyKind.DAMRONGTHAM: Agency.Level.PROVINCIAL,
    AgencyKind.PAO: Agency.Level.LOCAL,
    AgencyKind.BMA: Agency.Level.LOCAL,
    AgencyKind.MUNICIPALITY: Agency.Level.LOCAL,
    AgencyKind.SAO: Agency.Level.LOCAL,
}
