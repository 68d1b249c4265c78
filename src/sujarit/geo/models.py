"""Thailand's administrative divisions with their official DOPA codes.

Codes follow TIS 1099: a province has 2 digits, a district 4 (province + 2), a subdistrict 6
(district + 2). The code is the primary key, so imported data joins on the official code.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _

#: Bangkok's districts are khet (เขต) and its subdistricts khwaeng (แขวง), not amphoe and tambon.
BANGKOK = "10"


def _english() -> bool:
    return (get_language() or "th").startswith("en")


class Area(models.Model):
    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    # Point used to place the area on a map. A subdistrict takes kongvut/thai-province-data's
    # point where there is one, otherwise the centroid of its boundary; a district or province
    # takes the mean of its subdistricts' points. Empty when no source has a point.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # GeoJSON geometry (WGS84), loaded for the configured province only unless
    # ``load-geo --all-boundaries`` is run.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (Thai unless English is chosen)."""
        return self.name_en if _english() else self.name_th

    @property
    def other_name(self) -> str:
        """The name in the other language, shown beside the first."""
        return self.name_th if _english() else self.name_en


class Province(Area):
    class Meta(Area.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    @property
    def full_name(self) -> str:
        """The name as a heading writes it: "จังหวัดฉะเชิงเทรา", "Chachoengsao Province"."""
        if self.code == BANGKOK:
            return self.name
        return gettext("%(name)s Province") % {"name": self.name}


class District(Area):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("province")
    )

    class Meta(Area.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    @property
    def full_name(self) -> str:
        """The name as a heading writes it: "อำเภอบางคล้า", in Bangkok "เขตบางรัก"."""
        if self.code[:2] == BANGKOK:
            return pgettext("Bangkok", "%(name)s District") % {"name": self.name}
        return gettext("%(name)s District") % {"name": self.name}


class Subdistrict(Area):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="subdistricts", verbose_name=_("district")
    )
    # Denormalised from the district so that province-wide queries need no join.
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="subdistricts", verbose_name=_("province")
    )
    # Space-separated; a few subdistricts have more than one postal code.
    postal_codes = models.CharField(_("postal codes"), max_length=40, blank=True)

    class Meta(Area.Meta):
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")

    @property
    def full_name(self) -> str:
        """The name as a heading writes it: "ตำบลหน้าเมือง", in Bangkok "แขวงสุริยวงศ์"."""
        if self.code[:2] == BANGKOK:
            return pgettext("Bangkok", "%(name)s Subdistrict") % {"name": self.name}
        return gettext("%(name)s Subdistrict") % {"name": self.name}

    @property
    def postal_code_list(self) -> list[str]:
        return self.postal_codes.split()


class AbolishedArea(models.Model):
    """A code that no longer exists, and what replaced it.

    Old data (a procurement record from 2010, an agency list typed years ago) still carries
    abolished codes; they are mapped to their successors or reported, never dropped silently.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        DISTRICT = "district", _("district")
        SUBDISTRICT = "subdistrict", _("subdistrict")

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    abolished_on = models.DateField(_("abolished on"), null=True, blank=True)
    # Codes of the areas that took over; empty when the source names none.
    successor_codes = models.JSONField(_("successor codes"), default=list, blank=True)
    successors_basis = models.CharField(_("how successors were found"), max_length=40, blank=True)
    # The legal notice behind the successors, where the source cites one (a Royal Gazette
    # reference), and the date that notice took effect.
    successors_in_force = models.DateField(_("successors in force from"), null=True, blank=True)
    successors_source = models.TextField(_("source of the successors"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("abolished area")
        verbose_name_plural = _("abolished areas")

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"
