"""The reference agencies shipped in ``data/``: which bodies a province has, read from CSV.

Nothing here touches the database. ``reference_agencies`` turns the CSV files into a list of
``AgencySpec`` for one province; ``sujarit.agencies.actions.load_reference_agencies`` writes
them. ``data/README.md`` gives the source of every fact in those files.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from sujarit.agencies.models import KIND_LEVELS, AgencyKind

DATA_DIR = Path(__file__).resolve().parent / "data"

#: DOPA code of Bangkok, which has no provincial administrative organization: the Bangkok
#: Metropolitan Administration is its local government, and its other bodies are organised
#: differently from the 76 provinces.
BANGKOK = "10"


@dataclass(frozen=True)
class AgencySpec:
    """One agency as the reference data describes it; empty strings mean "not known"."""

    code: str
    kind: str
    name_th: str
    name_en: str = ""
    short_name_th: str = ""
    short_name_en: str = ""
    parent_code: str = ""
    hotline: str = ""
    source: str = ""
    province_code: str = ""
    serves_all_subdistricts: bool = False
    served_province_codes: tuple[str, ...] = ()

    @property
    def level(self) -> str:
        return KIND_LEVELS[self.kind]


@dataclass
class ReferenceSet:
    specs: list[AgencySpec] = field(default_factory=list)
    #: Sentences for the person running the loader: what was not generated, and why.
    notes: list[str] = field(default_factory=list)


def _read(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [
            {key: (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def _fill(template: str, values: dict[str, str]) -> str:
    # str.format would choke on a stray brace in a name; only our own placeholders are replaced.
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


def _check_kind(kind: str, file_name: str) -> str:
    if kind not in AgencyKind.values:
        raise ValueError(f"{file_name}: unknown kind {kind!r}")
    return kind


def national_specs() -> list[AgencySpec]:
    return [
        AgencySpec(
            code=row["code"],
            kind=_check_kind(row["kind"], "national.csv"),
            name_th=row["name_th"],
            name_en=row["name_en"],
            short_name_th=row["short_name_th"],
            short_name_en=row["short_name_en"],
            parent_code=row["parent_code"],
            hotline=row["hotline"],
            source=row["source"],
        )
        for row in _read("national.csv")
    ]


def provincial_specs(*, province_code: str, name_th: str, name_en: str) -> list[AgencySpec]:
    values = {"province": province_code, "name_th": name_th, "name_en": name_en}
    wanted = "bangkok" if province_code == BANGKOK else "provinces"
    specs = []
    for row in _read("provincial.csv"):
        if row["applies_to"] != wanted:
            continue
        # A name pattern needs the English province name; without it the English name stays
        # empty rather than half-filled.
        english = _fill(row["name_en"], values) if row["name_en"] and name_en else ""
        specs.append(
            AgencySpec(
                code=_fill(row["code"], values),
                kind=_check_kind(row["kind"], "provincial.csv"),
                name_th=_fill(row["name_th"], values),
                name_en=english,
                short_name_th=_fill(row["short_name_th"], values),
                short_name_en=_fill(row["short_name_en"], values),
                parent_code=_fill(row["parent_code"], values),
                hotline=row["hotline"],
                source=row["source"],
                province_code=province_code,
                serves_all_subdistricts=row["serves_all_subdistricts"] == "yes",
            )
        )
    return specs


def regions_of(province_code: str) -> dict[str, str]:
    """The region numbers a source gives for the province, by column (``pacc_region``...)."""
    for row in _read("regions.csv"):
        if row["province_code"] == province_code:
            return {key: value for key, value in row.items() if key.endswith("_region") and value}
    return {}


def regional_specs(*, province_code: str) -> tuple[list[AgencySpec], list[str]]:
    regions = regions_of(province_code)
    specs = []
    notes = []
    for row in _read("regional.csv"):
        kind = _check_kind(row["kind"], "regional.csv")
        region = regions.get(row["region_column"], "")
        if not region:
            notes.append(
                _(
                    "No source gives the %(kind)s region of province %(province)s: "
                    "no regional office was created for it."
                )
                % {"kind": AgencyKind(kind).label, "province": province_code}
            )
            continue
        values = {"region": region}
        specs.append(
            AgencySpec(
                code=_fill(row["code"], values),
                kind=kind,
                name_th=_fill(row["name_th"], values),
                name_en=_fill(row["name_en"], values),
                short_name_th=_fill(row["short_name_th"], values),
                short_name_en=_fill(row["short_name_en"], values),
                parent_code=row["parent_code"],
                source=row["source"],
                served_province_codes=(province_code,),
            )
        )
    return specs, notes


def reference_agencies(*, province_code: str, name_th: str, name_en: str) -> ReferenceSet:
    """Every reference agency relevant to the province, parents before their children."""
    result = ReferenceSet(specs=national_specs())
    regional, notes = regional_specs(province_code=province_code)
    result.specs.extend(regional)
    result.notes.extend(notes)
    result.specs.extend(
        provincial_specs(province_code=province_code, name_th=name_th, name_en=name_en)
    )
    if province_code == BANGKOK:
        result.notes.append(
            _(
                "Bangkok has no provincial administrative organization: the Bangkok "
                "Metropolitan Administration serves all its subdistricts. Its other provincial "
                "bodies are organised differently and are not generated; add them with "
                "import-agencies."
            )
        )
    return result
