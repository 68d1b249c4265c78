"""The public directory pages, in Thai and English."""

from __future__ import annotations

from django.test import Client

import pytest
from pytest_django import DjangoAssertNumQueries, Settings

from sujarit.agencies.actions import load_reference_agencies
from sujarit.agencies.demo import create_demo_local_agencies
from sujarit.agencies.models import Agency, AgencyKind
from sujarit.agencies.queries import agencies_serving_province, agencies_serving_subdistrict

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(areas: None, settings: Settings) -> None:
    settings.SUJARIT_PROVINCE = "24"
    load_reference_agencies(province_code="24")
    load_reference_agencies(province_code="20")
    create_demo_local_agencies(province_code="24")
    create_demo_local_agencies(province_code="20")


def english(client: Client) -> Client:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def test_list_groups_the_bodies_serving_the_province_in_thai(
    client: Client, directory: None
) -> None:
    response = client.get("/agencies/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="th">' in html
    headings = ["หน่วยงานระดับชาติ", "สำนักงานระดับภาค", "หน่วยงานระดับจังหวัด", "องค์กรปกครองส่วนท้องถิ่น"]
    positions = [html.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "สำนักงาน ป.ป.ช. ประจำจังหวัดฉะเชิงเทรา" in html
    assert "สำนักงานป้องกันและปราบปรามการทุจริตในภาครัฐ เขต 2" in html
    assert "องค์การบริหารส่วนตำบลท่าไข่ (ตัวอย่าง)" in html
    # Bodies of another province are not listed.
    assert "ชลบุรี" not in html.split("<main", 1)[1]


def test_list_in_english_labels_demo_bodies(client: Client, directory: None) -> None:
    html = english(client).get("/agencies/").content.decode()
    assert '<html lang="en">' in html
    assert "National bodies" in html and "Local administrative organizations" in html
    assert "Chachoengsao Provincial Office" in html
    assert "Tha Khai Subdistrict Administrative Organization (demo)" in html
    assert html.count('<span class="badge demo">demo</span>') == 5


def test_search_filters_by_name(client: Client, directory: None) -> None:
    html = client.get("/agencies/", {"q": "ดำรงธรรม"}).content.decode()
    assert "ศูนย์ดำรงธรรมจังหวัดฉะเชิงเทรา" in html
    assert "สำนักงาน ป.ป.ช. ประจำจังหวัดฉะเชิงเทรา" not in html
    html = english(client).get("/agencies/", {"q": "ombudsman"}).content.decode()
    assert "Office of the Ombudsman" in html
    assert "1 agency matches" in html
    assert "Provincial Office" not in html.split("<main", 1)[1]


def test_list_page_query_count_is_bounded(
    client: Client, directory: None, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    # More local bodies must not mean more queries.
    for number in range(30):
        Agency.objects.create(
            code=f"extra-{number}",
            kind=AgencyKind.SAO,
            level=Agency.Level.LOCAL,
            province_id="24",
            name_th=f"อบต.ทดสอบ {number}",
        )
    with django_assert_max_num_queries(8):
        assert client.get("/agencies/").status_code == 200


def test_detail_shows_kind_parent_and_only_filled_contacts(client: Client, directory: None) -> None:
    response = client.get("/agencies/damrongtham-24/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "ศูนย์ดำรงธรรมจังหวัดฉะเชิงเทรา" in html
    assert 'href="/agencies/provincial-office-24/"' in html
    assert 'href="tel:1567"' in html
    assert "mailto:" not in html


def test_detail_lists_and_links_the_subdistricts_served(client: Client, directory: None) -> None:
    html = english(client).get("/agencies/pao-24/").content.decode()
    assert "Chachoengsao Provincial Administrative Organization" in html
    assert 'href="/areas/s/240102/"' in html
    assert "(Mueang Chachoengsao)" in html
    assert "No contact details are recorded" in html


def test_detail_of_a_regional_office_names_the_provinces_a_source_gives(
    client: Client, directory: None
) -> None:
    html = client.get("/agencies/pacc-region-2/").content.decode()
    assert "ฉะเชิงเทรา" in html
    assert 'href="/agencies/pacc/"' in html


def test_detail_of_a_demo_body_says_it_is_not_real(client: Client, directory: None) -> None:
    html = english(client).get("/agencies/demo-sao-240102/").content.decode()
    assert '<span class="badge demo">demo</span>' in html
    assert "generated demonstration record" in html


def test_unknown_or_inactive_agency_is_404(client: Client, directory: None) -> None:
    assert client.get("/agencies/no-such-body/").status_code == 404
    Agency.objects.filter(code="nacc").update(is_active=False)
    assert client.get("/agencies/nacc/").status_code == 404
    assert english(client).get("/agencies/no-such-body/").status_code == 404


def test_agencies_serving_province_spans_every_level(directory: None) -> None:
    codes = list(agencies_serving_province("24").values_list("code", flat=True))
    assert codes[:5] == [
        "audit-office",
        "election-commission",
        "nacc",
        "ombudsman",
        "pacc",
    ]
    assert {"pacc-region-2", "pao-24", "demo-sao-240102"} <= set(codes)
    assert not {"pao-20", "nacc-20", "demo-sao-200101"} & set(codes)


def test_agencies_serving_subdistrict_keeps_only_its_local_bodies(directory: None) -> None:
    codes = set(agencies_serving_subdistrict("240102").values_list("code", flat=True))
    assert {"nacc", "pacc-region-2", "nacc-24", "damrongtham-24", "pao-24"} <= codes
    assert "demo-sao-240102" in codes
    assert "demo-municipality-240101" not in codes
    assert not {"pao-20", "nacc-20"} & codes
    chon_buri = set(agencies_serving_subdistrict("200101").values_list("code", flat=True))
    assert "pacc-region-2" not in chon_buri and "pao-20" in chon_buri
    assert not agencies_serving_subdistrict("999999").exists()
