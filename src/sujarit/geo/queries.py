"""Reads of the geography, and the one way to turn a code from any source into a current area.

Geography is public reference data, so there is no permission check here; the functions that
fetch one area raise ``Http404`` when the code is not a current area.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sujarit.geo.models import AbolishedArea, District, Province, Subdistrict

Area = Province | District | Subdistrict

_MODELS: dict[int, type[Province] | type[District] | type[Subdistrict]] = {
    2: Province,
    4: District,
    6: Subdistrict,
}
_LEVELS = {2: "province", 4: "district", 6: "subdistrict"}

# Boundaries can be large; pages that list areas never need them.
_NO_BOUNDARY = ("boundary",)


# --- The configured province and its areas -------------------------------------------------


def configured_province_code() -> str:
    return str(settings.SUJARIT_PROVINCE)


def configured_province() -> Province:
    """The province this site serves. Raises ``Province.DoesNotExist`` before ``load-geo``."""
    code = configured_province_code()
    try:
        return Province.objects.defer(*_NO_BOUNDARY).get(code=code)
    except Province.DoesNotExist:
        raise Province.DoesNotExist(
            f"Province {code} is not in the database: run `sujarit load-geo`."
        ) from None


def districts_of_province(code: str) -> QuerySet[District]:
    return District.objects.filter(province_id=code).defer(*_NO_BOUNDARY).order_by("code")


def subdistricts_of_province(code: str) -> QuerySet[Subdistrict]:
    return (
        Subdistrict.objects.filter(province_id=code)
        .select_related("district")
        .defer(*_NO_BOUNDARY, "district__boundary")
        .order_by("code")
    )


def subdistricts_of_district(code: str) -> QuerySet[Subdistrict]:
    return Subdistrict.objects.filter(district_id=code).defer(*_NO_BOUNDARY).order_by("code")


def districts_with_subdistricts(province_code: str) -> QuerySet[District]:
    """The districts of a province, each with ``subdistricts`` prefetched (two queries)."""
    return districts_of_province(province_code).prefetch_related(
        Prefetch(
            "subdistricts",
            queryset=Subdistrict.objects.defer(*_NO_BOUNDARY).order_by("code"),
        )
    )


def get_province(code: str) -> Province:
    try:
        return Province.objects.defer(*_NO_BOUNDARY).get(code=code)
    except Province.DoesNotExist:
        raise Http404(f"No province {code}") from None


def get_district(code: str) -> District:
    try:
        return (
            District.objects.select_related("province")
            .defer(*_NO_BOUNDARY, "province__boundary")
            .annotate(subdistrict_count=Count("subdistricts"))
            .get(code=code)
        )
    except District.DoesNotExist:
        raise Http404(f"No district {code}") from None


def get_subdistrict(code: str) -> Subdistrict:
    try:
        return (
            Subdistrict.objects.select_related("district", "province")
            .defer(*_NO_BOUNDARY, "district__boundary", "province__boundary")
            .get(code=code)
        )
    except Subdistrict.DoesNotExist:
        raise Http404(f"No subdistrict {code}") from None


def has_child_boundaries(code: str) -> bool:
    """Whether the map of a province or district would draw anything."""
    children = _children(code)
    return children is not None and children.filter(boundary__isnull=False).exists()


def _children(code: str) -> QuerySet[District] | QuerySet[Subdistrict] | None:
    if len(code) == 2:
        return District.objects.filter(province_id=code)
    if len(code) == 4:
        return Subdistrict.objects.filter(district_id=code)
    return None


def area_url(area: District | Subdistrict) -> str:
    if isinstance(area, Subdistrict):
        return reverse("geo:subdistrict", args=[area.code])
    return reverse("geo:district", args=[area.code])


def child_boundaries(code: str) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the districts of a province or the subdistricts of a
    district; areas without a stored boundary are left out. Raises ``Http404`` otherwise."""
    children = _children(code)
    parent = Province if len(code) == 2 else District
    if children is None or not parent.objects.filter(code=code).exists():
        raise Http404(f"No province or district {code}")
    features = []
    for child in children.filter(boundary__isnull=False).order_by("code"):
        features.append(
            {
                "type": "Feature",
                "geometry": child.boundary,
                "properties": {
                    "code": child.code,
                    "name_th": child.name_th,
                    "name_en": child.name_en,
                    "url": area_url(child),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --- Resolving codes from any source -------------------------------------------------------


class Outcome(models.TextChoices):
    CURRENT = "current", _("current code")
    REPLACED = "replaced", _("abolished; replaced by a current area")
    NO_SUCCESSOR = "no_successor", _("abolished; no successor is recorded")
    UNKNOWN = "unknown", _("not a known code")
    INVALID = "invalid", _("not a province, district or subdistrict code")


@dataclass(frozen=True)
class Resolution:
    """What a code from an outside source stands for today.

    ``areas`` holds the current area(s): the area itself for a current code, the successors
    (followed through any chain of abolitions) for an abolished one, and nothing when the code
    cannot be resolved; ``reason`` then says why, so an importer can report the row instead of
    dropping it.
    """

    code: str
    outcome: Outcome
    level: str = ""
    areas: tuple[Area, ...] = ()
    # Abolished codes passed through on the way, in the order they were followed.
    abolished: tuple[AbolishedArea, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return bool(self.areas)

    @property
    def codes(self) -> list[str]:
        return [area.code for area in self.areas]

    @property
    def area(self) -> Area | None:
        """The area when there is exactly one; a split area has several and gives None."""
        return self.areas[0] if len(self.areas) == 1 else None

    @property
    def reason(self) -> str | Promise:
        """A sentence for an import report (translated; no personal data)."""
        detail = "; ".join(self.notes)
        return f"{self.outcome.label}: {detail}" if detail else self.outcome.label


def normalise_code(raw: str) -> str:
    """Clean a code as found in outside data.

    Accepts surrounding spaces, an HDX p-code prefix ("TH240101") and the zero-padded six-digit
    forms some government files use for provinces and districts ("240000", "240100"). A real
    subdistrict number never ends in 00, so the padding is unambiguous.
    """
    code = raw.strip().upper()
    if code.startswith("TH"):
        code = code[2:]
    if len(code) == 6 and code.endswith("00"):
        code = code[:2] if code.endswith("0000") else code[:4]
    return code


class AreaResolver:
    """Resolves many codes with few queries: caches current areas and the abolished table.

    Make one per import run; reuse it for every row.
    """

    def __init__(self) -> None:
        self._current: dict[str, Area | None] = {}
        self._abolished: dict[str, AbolishedArea] | None = None

    def prefetch(self, codes: Iterable[str]) -> None:
        """Look up many codes at once (one query per level) before resolving them."""
        wanted: dict[int, set[str]] = {2: set(), 4: set(), 6: set()}
        for raw in codes:
            code = normalise_code(raw)
            if code.isdigit() and len(code) in wanted and code not in self._current:
                wanted[len(code)].add(code)
        for length, found in wanted.items():
            if found:
                areas = _current_queryset(length).in_bulk(list(found))
                for code in found:
                    self._current[code] = areas.get(code)

    def current(self, code: str) -> Area | None:
        if code not in self._current:
            self._current[code] = _current_queryset(len(code)).filter(code=code).first()
        return self._current[code]

    def abolished(self, code: str) -> AbolishedArea | None:
        if self._abolished is None:
            # The whole table (about 1,600 short rows) is smaller than many lookups.
            self._abolished = {a.code: a for a in AbolishedArea.objects.all()}
        return self._abolished.get(code)

    def resolve(self, raw: str) -> Resolution:
        code = normalise_code(raw)
        if not code.isdigit() or len(code) not in _LEVELS:
            return Resolution(code=raw.strip(), outcome=Outcome.INVALID)
        level = _LEVELS[len(code)]
        area = self.current(code)
        if area is not None:
            return Resolution(code=code, outcome=Outcome.CURRENT, level=level, areas=(area,))
        first = self.abolished(code)
        if first is None:
            return Resolution(code=code, outcome=Outcome.UNKNOWN, level=level)
        return self._follow(code, level, first)

    def _follow(self, code: str, level: str, first: AbolishedArea) -> Resolution:
        """Walk successors breadth-first; an abolished successor is followed further."""
        found: dict[str, Area] = {}
        passed: list[AbolishedArea] = []
        notes: list[str] = []
        seen: set[str] = set()
        queue: list[AbolishedArea] = [first]
        while queue:
            abolished = queue.pop(0)
            if abolished.code in seen:
                continue
            seen.add(abolished.code)
            passed.append(abolished)
            for successor in abolished.successor_codes:
                area = self.current(successor)
                if area is not None:
                    found.setdefault(area.code, area)
                    continue
                further = self.abolished(successor)
                if further is None:
                    notes.append(
                        gettext("successor %(code)s is not a known code") % {"code": successor}
                    )
                elif further.code in seen:
                    notes.append(gettext("successors loop back to %(code)s") % {"code": successor})
                else:
                    queue.append(further)
        if not found:
            described = f"{code} {first.name_th}"
            if first.abolished_on:
                described = gettext("%(area)s, abolished on %(date)s") % {
                    "area": described,
                    "date": first.abolished_on.isoformat(),
                }
            notes.insert(0, described)
        return Resolution(
            code=code,
            outcome=Outcome.REPLACED if found else Outcome.NO_SUCCESSOR,
            level=level,
            areas=tuple(found.values()),
            abolished=tuple(passed),
            notes=tuple(notes),
        )


def _current_queryset(length: int) -> QuerySet[Any]:
    model = _MODELS[length]
    queryset: QuerySet[Any] = model.objects.defer(*_NO_BOUNDARY)
    if model is Subdistrict:
        queryset = queryset.select_related("district", "province").defer(
            "district__boundary", "province__boundary"
        )
    elif model is District:
        queryset = queryset.select_related("province").defer("province__boundary")
    return queryset


def resolve_area_code(code: str) -> Resolution:
    """Map any province, district or subdistrict code to the current area(s).

    A current code resolves to itself; an abolished one to its successors, following chains
    and stopping on loops; an unknown code, or an abolished one with no successor, comes back
    with no areas and a reason. For many codes, use one ``AreaResolver``.
    """
    return AreaResolver().resolve(code)
