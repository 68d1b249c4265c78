"""The public geography pages, in Thai by default and in English on request."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from pytest_django import DjangoAssertNumQueries, Settings

from sujarit.agencies.models import Agency, AgencyKind
from sujarit.geo.loading import LoadReport
from sujarit.geo.models import District, Province, Subdistrict

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def chachoengsao(geo_data: LoadReport, settings: Settings) -> Province:
    settings.SUJARIT_PROVINCE = "24"
    return Province.objects.get(code="24")


def test_province_page_lists_districts_subdistricts_and_postal_codes_in_thai(
    client: Client, chachoengsao: Province
) -> None:
    response = client.get(reverse("geo:province"))
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>จังหวัดฉะเชิงเทรา</h1>" in html
    assert html.count("<details>") == 11
    assert "อำเภอเมืองฉะเชิงเทรา" in html and "อำเภอคลองเขื่อน" in html
    assert html.count('href="/areas/s/24') == 93
    assert "หน้าเมือง" in html and "24000" in html
    assert '<p class="figure">93</p>' in html


def test_province_page_in_english(english: Client, chachoengsao: Province) -> None:
    html = english.get(reverse("geo:province")).content.decode()
    assert "<h1>Chachoengsao Province</h1>" in html
    assert "Mueang Chachoengsao District" in html
    assert "Districts and their subdistricts" in html


def test_province_page_has_a_labelled_map_fed_by_a_data_attribute(
    client: Client, chachoengsao: Province
) -> None:
    html = client.get(reverse("geo:province")).content.decode()
    assert 'data-geojson-url="/areas/boundaries/24.geojson"' in html
    assert 'aria-label="แผนที่อำเภอในจังหวัดฉะเชิงเทรา"' in html
    assert "vendor/leaflet/leaflet.js" in html and "geo/map.js" in html
    # No inline script: the Content-Security-Policy would block it.
    assert "<script>" not in html


def test_province_page_without_boundaries_shows_the_table_alone(
    client: Client, chachoengsao: Province
) -> None:
    District.objects.update(boundary=None)
    html = client.get(reverse("geo:province")).content.decode()
    assert "data-geo-map" not in html
    assert "leaflet" not in html
    assert html.count("<details>") == 11


def test_province_page_follows_the_configured_province(
    client: Client, geo_data: LoadReport, settings: Settings
) -> None:
    settings.SUJARIT_PROVINCE = "50"
    html = client.get(reverse("geo:province")).content.decode()
    assert "<h1>จังหวัดเชียงใหม่</h1>" in html
    assert "ฉะเชิงเทรา</h1>" not in html
    # Only the province whose boundaries were loaded gets a map.
    assert "data-geo-map" not in html


def test_province_page_is_404_before_the_geography_is_loaded(client: Client) -> None:
    assert client.get(reverse("geo:province")).status_code == 404


def test_province_page_query_count_does_not_grow_with_areas(
    client: Client,
    chachoengsao: Province,
    settings: Settings,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_max_num_queries(8):
        assert client.get(reverse("geo:province")).status_code == 200
    with CaptureQueriesContext(connection) as eleven_districts:
        client.get(reverse("geo:province"))
    # Bangkok has 50 districts and 180 subdistricts: the same number of queries.
    settings.SUJARIT_PROVINCE = "10"
    with CaptureQueriesContext(connection) as fifty_districts:
        client.get(reverse("geo:province"))
    assert len(fifty_districts) == len(eleven_districts)


def test_district_page_lists_its_subdistricts_with_postal_codes(
    client: Client,
    chachoengsao: Province,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_max_num_queries(8):
        response = client.get(reverse("geo:district", args=["2402"]))
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>อำเภอบางคล้า</h1>" in html
    assert html.count('href="/areas/s/2402') == 9
    assert "24110" in html
    assert 'data-geojson-url="/areas/boundaries/2402.geojson"' in html
    assert f'href="{reverse("geo:province")}"' in html


def test_district_page_in_english(english: Client, chachoengsao: Province) -> None:
    html = english.get(reverse("geo:district", args=["2402"])).content.decode()
    assert "<h1>Bang Khla District</h1>" in html
    assert "9 subdistricts" in html


def test_bangkok_uses_khet_and_khwaeng(client: Client, geo_data: LoadReport) -> None:
    html = client.get(reverse("geo:subdistrict", args=["100101"])).content.decode()
    assert "<h1>แขวงพระบรมมหาราชวัง</h1>" in html
    assert "เขตพระนคร" in html
    assert "จังหวัดกรุงเทพ" not in html


def test_subdistrict_page_shows_district_province_postal_code_and_map(
    client: Client,
    chachoengsao: Province,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_max_num_queries(8):
        response = client.get(reverse("geo:subdistrict", args=["240101"]))
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>ตำบลหน้าเมือง</h1>" in html
    assert 'href="/areas/d/2401/"' in html
    assert "จังหวัดฉะเชิงเทรา" in html
    assert "24000" in html
    assert 'data-highlight="240101"' in html
    assert "ยังไม่มีข้อมูลหน่วยงานที่ดูแลตำบลนี้" in html


def test_subdistrict_page_in_english(english: Client, chachoengsao: Province) -> None:
    html = english.get(reverse("geo:subdistrict", args=["240101"])).content.decode()
    assert "<h1>Na Mueang Subdistrict</h1>" in html
    assert "Postal codes" in html
    assert "No agency is recorded for this subdistrict yet." in html


def test_subdistrict_page_lists_the_agencies_serving_it_and_labels_demo_ones(
    client: Client, chachoengsao: Province
) -> None:
    subdistrict = Subdistrict.objects.get(code="240101")
    demo = Agency.objects.create(
        code="demo-sao-240101",
        kind=AgencyKind.SAO,
        level=Agency.Level.LOCAL,
        name_th="องค์การบริหารส่วนตำบลตัวอย่าง",
        province=chachoengsao,
        is_demo=True,
    )
    demo.subdistricts.add(subdistrict)
    retired = Agency.objects.create(
        code="old-body",
        kind=AgencyKind.SAO,
        level=Agency.Level.LOCAL,
        name_th="หน่วยงานที่เลิกแล้ว",
        is_active=False,
    )
    retired.subdistricts.add(subdistrict)

    html = client.get(reverse("geo:subdistrict", args=["240101"])).content.decode()

    assert "องค์การบริหารส่วนตำบลตัวอย่าง" in html
    assert '<span class="badge demo">ตัวอย่าง</span>' in html
    assert f'href="{reverse("agencies:detail", args=[demo.code])}"' in html
    assert "หน่วยงานที่เลิกแล้ว" not in html


def test_subdistrict_outside_the_configured_province_does_not_link_to_the_province_page(
    client: Client, chachoengsao: Province
) -> None:
    html = client.get(reverse("geo:subdistrict", args=["500101"])).content.decode()
    assert "จังหวัดเชียงใหม่" in html
    assert f'<a href="{reverse("geo:province")}">จังหวัดเชียงใหม่' not in html
    # Its boundaries were not loaded: no empty map.
    assert "data-geo-map" not in html


@pytest.mark.parametrize(
    "path",
    ["/areas/d/9999/", "/areas/s/249999/", "/areas/d/24/", "/areas/s/abc/"],
)
def test_unknown_codes_are_404(client: Client, geo_data: LoadReport, path: str) -> None:
    assert client.get(path).status_code == 404


def test_pages_send_the_content_security_policy(client: Client, chachoengsao: Province) -> None:
    response = client.get(reverse("geo:province"))
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
