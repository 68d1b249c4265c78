"""Which subdistricts of a province are covered by an MOU in force, and which are not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from sujarit.geo.models import Subdistrict
from sujarit.network.models import Mou


def mous_in_force(province_code: str, day: dt.date) -> QuerySet[Mou]:
    return Mou.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        province_id=province_code,
        starts_on__lte=day,
    )


@dataclass
class SubdistrictCoverage:
    subdistrict: Subdistrict
    mous: list[Mou] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.mous)


@dataclass
class Coverage:
    day: dt.date
    rows: list[SubdistrictCoverage]
    mous: list[Mou]

    @property
    def covered(self) -> list[SubdistrictCoverage]:
        return [row for row in self.rows if row.covered]

    @property
    def uncovered(self) -> list[SubdistrictCoverage]:
        return [row for row in self.rows if not row.covered]


def mou_coverage(province_code: str, *, day: dt.date | None = None) -> Coverage:
    """Every subdistrict of the province with the MOUs in force on ``day`` covering it.

    Three queries: the subdistricts, the MOUs in force, and the links between them. An MOU
    that is signed but not yet in force, or whose term has ended, covers nothing.
    """
    day = day or timezone.localdate()
    subdistricts = list(
        Subdistrict.objects.filter(province_id=province_code)
        .select_related("district")
        .defer("boundary", "district__boundary")
        .order_by("code")
    )
    mous = list(mous_in_force(province_code, day).order_by("signed_on", "pk"))
    by_code = {s.code: SubdistrictCoverage(s) for s in subdistricts}
    by_id = {mou.pk: mou for mou in mous}
    links = Mou.subdistricts.through.objects.filter(mou_id__in=by_id).values_list(
        "mou_id", "subdistrict_id"
    )
    for mou_id, code in links.order_by("mou_id"):
        if code in by_code:
            by_code[code].mous.append(by_id[mou_id])
    return Coverage(day=day, rows=list(by_code.values()), mous=mous)


def coverage_geojson(province_code: str, *, day: dt.date | None = None) -> dict[str, Any]:
    """The province's subdistricts with a stored boundary, each marked covered or not."""
    coverage = mou_coverage(province_code, day=day)
    boundaries = dict(
        Subdistrict.objects.filter(province_id=province_code, boundary__isnull=False).values_list(
            "code", "boundary"
        )
    )
    features = []
    for row in coverage.rows:
        boundary = boundaries.get(row.subdistrict.code)
        if boundary is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": boundary,
                "properties": {
                    "code": row.subdistrict.code,
                    "name_th": row.subdistrict.name_th,
                    "name_en": row.subdistrict.name_en,
                    "url": reverse("geo:subdistrict", args=[row.subdistrict.code]),
                    "covered": row.covered,
                    "mous": [mou.title for mou in row.mous],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
