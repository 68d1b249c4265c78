"""Demo local administrative organizations: one per subdistrict, labelled, no contacts."""

from __future__ import annotations

import pytest

from sujarit.agencies.demo import create_demo_local_agencies
from sujarit.agencies.models import Agency, AgencyKind, LocalType

pytestmark = pytest.mark.django_db


def test_one_demo_body_per_subdistrict_of_the_province(areas: None) -> None:
    assert create_demo_local_agencies(province_code="24") == 5
    demo = Agency.objects.filter(is_demo=True)
    assert demo.count() == 5
    assert set(demo.values_list("province_id", flat=True)) == {"24"}
    for agency in demo:
        assert list(agency.subdistricts.values_list("code", flat=True)) == [agency.code[-6:]]
        assert agency.level == Agency.Level.LOCAL
        assert agency.name_th.endswith("(ตัวอย่าง)")
        assert agency.name_en.endswith("(demo)")
        assert not agency.has_contacts


def test_the_district_seat_gets_a_town_municipality(areas: None) -> None:
    create_demo_local_agencies(province_code="24")
    seat = Agency.objects.get(subdistricts="240101")
    assert seat.kind == AgencyKind.MUNICIPALITY
    assert seat.local_type == LocalType.TOWN
    assert seat.name_th == "เทศบาลเมืองหน้าเมือง (ตัวอย่าง)"
    other = Agency.objects.get(subdistricts="240102")
    assert other.kind == AgencyKind.SAO
    assert other.name_th == "องค์การบริหารส่วนตำบลท่าไข่ (ตัวอย่าง)"
    assert Agency.objects.get(subdistricts="241101").kind == AgencyKind.MUNICIPALITY


def test_demo_bodies_are_created_once(areas: None) -> None:
    create_demo_local_agencies(province_code="24")
    assert create_demo_local_agencies(province_code="24") == 0
    assert Agency.objects.filter(is_demo=True).count() == 5


def test_bangkok_gets_no_demo_local_bodies(areas: None) -> None:
    assert create_demo_local_agencies(province_code="10") == 0
    assert not Agency.objects.exists()
