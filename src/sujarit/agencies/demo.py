"""Demo local administrative organizations (อปท.) for a province whose real list we lack.

The real municipalities and subdistrict administrative organizations of a province are not in
any source we ship. So that the directory, routing and the pages can be shown, ``sujarit
demo`` generates one clearly labelled demo body per subdistrict: every one has ``is_demo``
set, "(ตัวอย่าง)"/"(demo)" in its names, and no contact details.
"""

from __future__ import annotations

from django.db import transaction

from sujarit.agencies.models import Agency, AgencyKind, LocalType
from sujarit.agencies.reference import BANGKOK
from sujarit.audit.actions import record
from sujarit.geo.models import Subdistrict
from sujarit.lib.refcache import clear_all

DEMO_SOURCE = "Generated demo data (sujarit demo): not a record of a real body"


def _demo_values(subdistrict: Subdistrict) -> dict[str, object]:
    # The first subdistrict of a district (code ending in 01) is usually where the district
    # office stands, so the demo gives it a town municipality; the rest get an SAO.
    if subdistrict.code.endswith("01"):
        return {
            "code": f"demo-municipality-{subdistrict.code}",
            "kind": AgencyKind.MUNICIPALITY,
            "local_type": LocalType.TOWN,
            "name_th": f"เทศบาลเมือง{subdistrict.name_th} (ตัวอย่าง)",
            "name_en": (
                f"{subdistrict.name_en} Town Municipality (demo)" if subdistrict.name_en else ""
            ),
        }
    return {
        "code": f"demo-sao-{subdistrict.code}",
        "kind": AgencyKind.SAO,
        "local_type": "",
        "name_th": f"องค์การบริหารส่วนตำบล{subdistrict.name_th} (ตัวอย่าง)",
        "name_en": (
            f"{subdistrict.name_en} Subdistrict Administrative Organization (demo)"
            if subdistrict.name_en
            else ""
        ),
    }


@transaction.atomic
def create_demo_local_agencies(*, province_code: str) -> int:
    """One demo local body per subdistrict of the province; returns how many were created.

    Safe to run again: existing demo bodies are found by code and not duplicated. Bangkok gets
    none, because the Bangkok Metropolitan Administration is its only local government.
    """
    if province_code == BANGKOK:
        return 0
    subdistricts = list(
        Subdistrict.objects.filter(province_id=province_code).defer("boundary").order_by("code")
    )
    existing = set(
        Agency.objects.filter(is_demo=True, province_id=province_code).values_list(
            "code", flat=True
        )
    )
    # Made in bulk (two statements however many subdistricts): tests build these bodies for
    # every case they make.
    made: list[tuple[Agency, Subdistrict]] = []
    for subdistrict in subdistricts:
        values = _demo_values(subdistrict)
        code = str(values.pop("code"))
        if code in existing:
            continue
        agency = Agency(
            code=code,
            **values,
            level=Agency.Level.LOCAL,
            province_id=province_code,
            is_demo=True,
            source=DEMO_SOURCE,
        )
        made.append((agency, subdistrict))
    Agency.objects.bulk_create([agency for agency, _ in made])
    Agency.subdistricts.through.objects.bulk_create(
        [
            Agency.subdistricts.through(agency_id=agency.pk, subdistrict_id=subdistrict.pk)
            for agency, subdistrict in made
        ]
    )
    # Bulk writes send no signals: forget reference data cached from before.
    clear_all()
    created = len(made)
    if created:
        record(
            actor=None,
            action="agencies.demo_created",
            data={"province": province_code, "created": created},
        )
    return created
