"""``sujarit load-geo``: the whole country from geothai, points, boundaries, idempotence."""

from __future__ import annotations

from io import StringIO

from django.conf import settings
from django.core.management import call_command

import geothai
import geothai.abolished
import pytest

from sujarit.audit.models import AuditEvent
from sujarit.geo.loading import LoadReport, Point, centroid
from sujarit.geo.models import AbolishedArea, District, Province, Subdistrict

pytestmark = pytest.mark.django_db


def geothai_totals() -> tuple[int, int, int]:
    provinces = geothai.provinces()
    districts = [d for p in provinces for d in geothai.districts(p.code)]
    subdistricts = [s for d in districts for s in geothai.subdistricts(d.code)]
    return len(provinces), len(districts), len(subdistricts)


def load_geo(*args: str) -> str:
    out = StringIO()
    call_command("load-geo", *args, stdout=out)
    return out.getvalue()


def test_centroid_of_a_polygon_with_a_hole() -> None:
    square = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    hole = [[2, 2], [2, 4], [4, 4], [4, 2], [2, 2]]
    assert centroid({"type": "Polygon", "coordinates": [square]}) == Point(2.0, 2.0)
    # The hole takes a quarter out of the upper right, pulling the centre down and left.
    with_hole = centroid({"type": "MultiPolygon", "coordinates": [[square, hole]]})
    assert with_hole == Point(round(1 + 2 / 3, 5), round(1 + 2 / 3, 5))


def test_load_geo_loads_the_whole_country() -> None:
    output = load_geo()

    counts = (Province.objects.count(), District.objects.count(), Subdistrict.objects.count())
    assert counts == geothai_totals()
    assert counts == (77, 928, 7_436)
    assert AbolishedArea.objects.count() == len(geothai.abolished.abolished_areas())
    assert "subdistricts: 7,436 in geothai; 7,436 created, 0 updated" in output


def test_chachoengsao_has_its_eleven_districts_and_93_subdistricts(geo_data: LoadReport) -> None:
    districts = list(District.objects.filter(province_id="24").order_by("code"))

    assert len(districts) == 11
    assert (districts[0].code, districts[0].name_th) == ("2401", "เมืองฉะเชิงเทรา")
    assert (districts[-1].code, districts[-1].name_th) == ("2411", "คลองเขื่อน")
    assert Subdistrict.objects.filter(province_id="24").count() == 93
    assert Subdistrict.objects.filter(district__province_id="24").count() == 93


def test_subdistricts_carry_their_postal_codes(geo_data: LoadReport) -> None:
    na_mueang = Subdistrict.objects.get(code="240101")
    assert (na_mueang.name_th, na_mueang.postal_code_list) == ("หน้าเมือง", ["24000"])
    # Suan Chitlada in Bangkok has two postal codes.
    assert Subdistrict.objects.get(code="100203").postal_code_list == ["10300", "10303"]


def test_every_subdistrict_with_a_shipped_point_has_coordinates(
    geo_data: LoadReport,
) -> None:
    missing = set(Subdistrict.objects.filter(latitude__isnull=True).values_list("code", flat=True))
    assert missing == set(geo_data.subdistricts_without_point)
    # Only the 14 subdistricts created after the 2019 sources lack a point.
    assert len(missing) == 14
    assert not Subdistrict.objects.filter(province_id="24", latitude__isnull=True).exists()
    assert not District.objects.filter(latitude__isnull=True).exists()
    assert not Province.objects.filter(latitude__isnull=True).exists()


def test_points_lie_inside_thailand_and_districts_sit_among_their_subdistricts(
    geo_data: LoadReport,
) -> None:
    points = [
        *Province.objects.values_list("code", "latitude", "longitude"),
        *Subdistrict.objects.exclude(latitude=None).values_list("code", "latitude", "longitude"),
    ]
    for code, latitude, longitude in points:
        assert latitude is not None and longitude is not None
        assert 5.5 < latitude < 20.5 and 97.3 < longitude < 105.7, code
    district = District.objects.get(code="2401")
    lats = [
        lat
        for lat in Subdistrict.objects.filter(district=district).values_list("latitude", flat=True)
        if lat is not None
    ]
    assert district.latitude is not None
    assert min(lats) <= district.latitude <= max(lats)


def test_boundaries_are_loaded_for_the_configured_province_only(geo_data: LoadReport) -> None:
    configured = settings.SUJARIT_PROVINCE

    boundary = Province.objects.get(code=configured).boundary
    assert boundary is not None and boundary["type"] in {"Polygon", "MultiPolygon"}
    assert not Province.objects.exclude(code=configured).filter(boundary__isnull=False).exists()
    assert (
        not District.objects.exclude(province_id=configured).filter(boundary__isnull=False).exists()
    )
    assert (
        not Subdistrict.objects.exclude(province_id=configured)
        .filter(boundary__isnull=False)
        .exists()
    )
    without = Subdistrict.objects.filter(province_id=configured, boundary__isnull=True)
    assert sorted(without.values_list("code", flat=True)) == geo_data.subdistricts_without_boundary


def test_chachoengsao_subdistricts_all_have_a_boundary(geo_data: LoadReport) -> None:
    if settings.SUJARIT_PROVINCE != "24":
        pytest.skip("the session loaded the boundaries of another province")
    assert Subdistrict.objects.filter(province_id="24", boundary__isnull=False).count() == 93
    assert District.objects.filter(province_id="24", boundary__isnull=False).count() == 11


def test_running_load_geo_again_changes_nothing(geo_data: LoadReport) -> None:
    before = AuditEvent.objects.count()

    output = load_geo()

    assert "Nothing to change" in output
    # Progress lines name each step.
    assert "Reading boundaries" in output
    assert "Abolished codes: 1,583" in output
    assert "7,436 in geothai; 0 created, 0 updated" in output
    assert Subdistrict.objects.count() == 7_436
    assert AbolishedArea.objects.count() == len(geothai.abolished.abolished_areas())
    # A run that changed nothing leaves nothing in the audit log either.
    assert AuditEvent.objects.count() == before


def test_load_geo_restores_changed_names_and_records_an_audit_event(
    geo_data: LoadReport,
) -> None:
    Subdistrict.objects.filter(code="240101").update(name_th="ชื่อผิด", postal_codes="99999")
    District.objects.filter(code="2402").update(name_en="Wrong")

    output = load_geo()

    na_mueang = Subdistrict.objects.get(code="240101")
    assert (na_mueang.name_th, na_mueang.postal_codes) == ("หน้าเมือง", "24000")
    assert District.objects.get(code="2402").name_en == "Bang Khla"
    assert "subdistricts: 7,436 in geothai; 0 created, 1 updated" in output
    event = AuditEvent.objects.get(action="geo.loaded")
    assert event.actor is None
    assert event.data["subdistricts"] == {"total": 7_436, "created": 0, "updated": 1}


def test_load_geo_keeps_areas_the_source_no_longer_has_and_says_so(
    geo_data: LoadReport,
) -> None:
    district = District.objects.get(code="2401")
    Subdistrict.objects.create(
        code="240199", name_th="ทดสอบ", name_en="Test", district=district, province_id="24"
    )

    output = load_geo()

    assert Subdistrict.objects.filter(code="240199").exists()
    assert "kept in the database but no longer in geothai: 240199" in output


def test_all_boundaries_option_loads_every_province(geo_data: LoadReport) -> None:
    output = load_geo("--all-boundaries")

    assert Province.objects.filter(boundary__isnull=False).count() == 77
    assert District.objects.filter(boundary__isnull=False).count() == 928
    without = Subdistrict.objects.filter(boundary__isnull=True).count()
    assert without == 14
    assert "14 subdistricts have no boundary" in output
    # Three 2019 polygons belong to codes since abolished; they are skipped, not guessed.
    assert "3 boundaries belong to codes no longer in use" in output
