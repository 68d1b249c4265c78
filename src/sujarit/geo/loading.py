"""Bringing the database in line with the shipped geography: ``geothai`` plus ``data/``.

The sources are read into plain values first, then each table is compared with what it holds
and only the differences are written, in bulk. That makes a load idempotent (a second run
writes nothing) and fast enough to run in every test session. The only public writer of this
module's work is ``sujarit.geo.actions.load_geography``, which adds the audit event.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from statistics import fmean
from typing import Any, TypeVar

from django.db import models

import geothai
import geothai.abolished

from sujarit.geo.models import AbolishedArea, District, Province, Subdistrict

Progress = Callable[[str], None]
Geometry = dict[str, Any]
M = TypeVar("M", bound=models.Model)

#: Rows written per statement. Small enough for SQLite's limit on query parameters, big enough
#: that the whole country takes a few dozen statements.
BATCH_SIZE = 500

_DATA = "data"
POINTS_FILE = "subdistrict_points.csv"
BOUNDARY_FILES = {
    "province": "th_adm1_provinces.geojson",
    "district": "th_adm2_districts.geojson",
    "subdistrict": "th_adm3_subdistricts.geojson",
}
# The province and district files keep HDX's upper-case property names; the subdistrict file,
# converted from mapthai's R object, uses lower case.
_PCODE_PROPERTY = {"province": "ADM1_PCODE", "district": "ADM2_PCODE", "subdistrict": "adm3_pcode"}


def data_file(name: str) -> Traversable:
    return files("sujarit.geo").joinpath(_DATA, name)


def silent(message: str) -> None:
    """The default progress callback: say nothing."""


# --- Reading the sources -------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def read_points() -> dict[str, Point]:
    """One point per subdistrict: kongvut's where it has one, else the polygon's centroid."""
    points: dict[str, Point] = {}
    text = data_file(POINTS_FILE).read_text(encoding="utf-8")
    for row in csv.DictReader(io.StringIO(text, newline="")):
        for lat, lon in (
            (row["lat_kongvut"], row["lon_kongvut"]),
            (row["lat_adm3_centroid"], row["lon_adm3_centroid"]),
        ):
            if lat and lon:
                points[row["subdistrict_code"]] = Point(float(lat), float(lon))
                break
    return points


def read_boundaries(level: str, province_codes: set[str] | None) -> dict[str, Geometry]:
    """GeoJSON geometries by DOPA code for one level, limited to some provinces (None = all)."""
    with data_file(BOUNDARY_FILES[level]).open(encoding="utf-8") as handle:
        collection = json.load(handle)
    geometries: dict[str, Geometry] = {}
    for feature in collection["features"]:
        properties = feature["properties"]
        # P-codes are "TH" followed by the DOPA code.
        code = properties[_PCODE_PROPERTY[level]][2:]
        if province_codes is None or code[:2] in province_codes:
            geometries[code] = feature["geometry"]
    return geometries


def _mean_point(points: Iterable[Point]) -> Point | None:
    found = list(points)
    if not found:
        return None
    return Point(
        round(fmean(p.latitude for p in found), 5), round(fmean(p.longitude for p in found), 5)
    )


def centroid(geometry: Geometry) -> Point | None:
    """The area-weighted centroid of a Polygon or MultiPolygon (outer rings minus holes).

    Longitude and latitude are treated as plane coordinates: at the size of a district the
    error is far below what a map at that scale can show.
    """
    polygons = (
        [geometry["coordinates"]]
        if geometry["type"] == "Polygon"
        else geometry["coordinates"]
        if geometry["type"] == "MultiPolygon"
        else []
    )
    total = sum_x = sum_y = 0.0
    for rings in polygons:
        for ring in rings:
            # The shoelace formula: a hole, wound the other way, subtracts itself.
            for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
                cross = x0 * y1 - x1 * y0
                total += cross
                sum_x += (x0 + x1) * cross
                sum_y += (y0 + y1) * cross
    if total == 0:
        return None
    return Point(round(sum_y / (3 * total), 5), round(sum_x / (3 * total), 5))


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


# --- Comparing and writing -----------------------------------------------------------------


@dataclass
class TableChanges:
    """What a load did to one table."""

    total: int = 0
    created: int = 0
    updated: int = 0
    # Rows in the database that the source no longer has (kept: other tables may point at them).
    stale: list[str] = field(default_factory=list)
    removed: int = 0


def _sync(
    model: type[M],
    desired: Mapping[str, dict[str, Any]],
    *,
    compare: list[str],
    progress: Progress,
    label: str,
    delete_stale: bool = False,
) -> TableChanges:
    """Create missing rows and update differing fields, by primary key, in bulk.

    ``compare`` lists the fields to check. A desired row may leave a compared field out, and
    then that field is left as it is (used for boundaries outside the chosen provinces).
    """
    changes = TableChanges(total=len(desired))
    existing = {row["pk"]: row for row in model._default_manager.values("pk", *compare).order_by()}
    to_create: list[M] = []
    # Rows are grouped by the set of fields that differ, so each bulk update names only those.
    to_update: dict[tuple[str, ...], list[M]] = defaultdict(list)
    for code, values in desired.items():
        current = existing.get(code)
        if current is None:
            to_create.append(model(pk=code, **values))
            continue
        differing = tuple(
            name for name in compare if name in values and values[name] != current[name]
        )
        if differing:
            to_update[differing].append(
                model(pk=code, **{name: values[name] for name in differing})
            )
    if to_create:
        progress(f"  {label}: creating {len(to_create):,} rows")
        model._default_manager.bulk_create(to_create, batch_size=BATCH_SIZE)
        changes.created = len(to_create)
    for names, objects in to_update.items():
        progress(f"  {label}: updating {', '.join(names)} on {len(objects):,} rows")
        model._default_manager.bulk_update(objects, list(names), batch_size=BATCH_SIZE)
        changes.updated += len(objects)
    changes.stale = sorted(set(existing) - set(desired))
    if delete_stale and changes.stale:
        progress(f"  {label}: removing {len(changes.stale):,} rows the source no longer has")
        changes.removed, _ = model._default_manager.filter(pk__in=changes.stale).delete()
    return changes


@dataclass
class LoadReport:
    """Counts of one load, for the command's output and the audit event."""

    data_version: str
    provinces: TableChanges
    districts: TableChanges
    subdistricts: TableChanges
    abolished: TableChanges
    # Provinces whose boundaries were loaded: the configured one, or every province.
    boundary_provinces: list[str]
    boundaries_set: dict[str, int]
    # Current subdistricts, in the chosen provinces, that the boundary file has no polygon for.
    subdistricts_without_boundary: list[str]
    # Boundary features whose code is no longer a current area (the file dates from 2019).
    boundaries_unmatched: list[str]
    subdistricts_without_point: list[str]

    @property
    def changed(self) -> bool:
        return any(
            t.created or t.updated or t.removed
            for t in (self.provinces, self.districts, self.subdistricts, self.abolished)
        )

    def summary(self) -> dict[str, Any]:
        """Counts only: safe for the audit log."""
        return {
            "data_version": self.data_version,
            **{
                name: {"total": t.total, "created": t.created, "updated": t.updated}
                | ({"removed": t.removed} if t.removed else {})
                for name, t in (
                    ("provinces", self.provinces),
                    ("districts", self.districts),
                    ("subdistricts", self.subdistricts),
                    ("abolished", self.abolished),
                )
            },
            "boundary_provinces": self.boundary_provinces,
            "subdistricts_without_boundary": len(self.subdistricts_without_boundary),
        }


def sync_geography(
    *, boundary_provinces: set[str] | None, progress: Progress = silent
) -> LoadReport:
    """Make the geo tables match the sources. Call it inside a transaction.

    ``boundary_provinces`` chooses whose boundaries are loaded (None: every province).
    Boundaries already stored for other provinces are left as they are.
    """
    progress(f"Reading geothai {geothai.DATA_VERSION} and the shipped points")
    provinces = geothai.provinces()
    districts = [d for p in provinces for d in geothai.districts(p.code)]
    subdistricts = [s for d in districts for s in geothai.subdistricts(d.code)]
    points = read_points()

    scope = (
        "every province" if boundary_provinces is None else ", ".join(sorted(boundary_provinces))
    )
    progress(f"Reading boundaries (provinces: {scope})")
    boundaries = {level: read_boundaries(level, boundary_provinces) for level in BOUNDARY_FILES}

    sub_points: dict[str, Point] = {
        s.code: points[s.code] for s in subdistricts if s.code in points
    }
    by_district: dict[str, list[Point]] = defaultdict(list)
    by_province: dict[str, list[Point]] = defaultdict(list)
    for code, point in sub_points.items():
        by_district[code[:4]].append(point)
        by_province[code[:2]].append(point)

    def in_scope(code: str) -> bool:
        return boundary_provinces is None or code[:2] in boundary_provinces

    def area(
        code: str, name_th: str, name_en: str, point: Point | None, level: str
    ) -> dict[str, Any]:
        values: dict[str, Any] = {
            "name_th": name_th,
            "name_en": name_en,
            "latitude": point.latitude if point else None,
            "longitude": point.longitude if point else None,
        }
        if in_scope(code):
            values["boundary"] = boundaries[level].get(code)
        return values

    area_fields = ["name_th", "name_en", "latitude", "longitude", "boundary"]

    # A province or district whose subdistricts all lack a point (new areas that no 2019
    # source knows) is placed at the centroid of its own boundary instead.
    province_points = {p.code: _mean_point(by_province[p.code]) for p in provinces}
    district_points = {d.code: _mean_point(by_district[d.code]) for d in districts}
    for level, found in (("province", province_points), ("district", district_points)):
        lacking = {code for code, point in found.items() if point is None}
        if lacking:
            for code, geometry in read_boundaries(level, {c[:2] for c in lacking}).items():
                if code in lacking:
                    found[code] = centroid(geometry)

    progress(f"Provinces: {len(provinces)}")
    province_changes = _sync(
        Province,
        {
            p.code: area(p.code, p.name_th, p.name_en, province_points[p.code], "province")
            for p in provinces
        },
        compare=area_fields,
        progress=progress,
        label="provinces",
    )
    progress(f"Districts: {len(districts):,}")
    district_changes = _sync(
        District,
        {
            d.code: {
                **area(d.code, d.name_th, d.name_en, district_points[d.code], "district"),
                "province_id": d.province_code,
            }
            for d in districts
        },
        compare=[*area_fields, "province_id"],
        progress=progress,
        label="districts",
    )
    progress(f"Subdistricts: {len(subdistricts):,}")
    subdistrict_changes = _sync(
        Subdistrict,
        {
            s.code: {
                **area(s.code, s.name_th, s.name_en, sub_points.get(s.code), "subdistrict"),
                "district_id": s.district_code,
                "province_id": s.province_code,
                "postal_codes": " ".join(s.postal_codes),
            }
            for s in subdistricts
        },
        compare=[*area_fields, "district_id", "province_id", "postal_codes"],
        progress=progress,
        label="subdistricts",
    )

    abolished = geothai.abolished.abolished_areas()
    progress(f"Abolished codes: {len(abolished):,}")
    abolished_changes = _sync(
        AbolishedArea,
        {
            a.code: {
                "level": a.level,
                "name_th": a.name_th,
                "name_en": a.name_en or "",
                "abolished_on": _date(a.abolished_on),
                "successor_codes": list(a.successors),
                "successors_basis": a.successors_basis or "",
                "successors_in_force": _date(a.successors_in_force),
                "successors_source": a.successors_source or "",
            }
            for a in abolished
        },
        compare=[
            "level",
            "name_th",
            "name_en",
            "abolished_on",
            "successor_codes",
            "successors_basis",
            "successors_in_force",
            "successors_source",
        ],
        progress=progress,
        label="abolished codes",
        # Nothing points at these rows, and a code that came back into use must not be
        # mistaken for an abolished one.
        delete_stale=True,
    )

    current = (
        {p.code for p in provinces} | {d.code for d in districts} | {s.code for s in subdistricts}
    )
    chosen = (
        sorted(p.code for p in provinces)
        if boundary_provinces is None
        else sorted(boundary_provinces)
    )
    return LoadReport(
        data_version=geothai.DATA_VERSION,
        provinces=province_changes,
        districts=district_changes,
        subdistricts=subdistrict_changes,
        abolished=abolished_changes,
        boundary_provinces=chosen,
        boundaries_set={
            level: sum(1 for code in found if code in current)
            for level, found in boundaries.items()
        },
        subdistricts_without_boundary=sorted(
            s.code
            for s in subdistricts
            if in_scope(s.code) and s.code not in boundaries["subdistrict"]
        ),
        boundaries_unmatched=sorted(
            code for found in boundaries.values() for code in found if code not in current
        ),
        subdistricts_without_point=sorted(s.code for s in subdistricts if s.code not in sub_points),
    )
