"""The home page of the configured province, in Thai by default and in English on request."""

from __future__ import annotations

import datetime as dt

from django.template import Context, Template
from django.test import Client
from django.utils import translation

import pytest
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

from sujarit.agencies.models import Agency, AgencyKind

pytestmark = pytest.mark.django_db


def switch_language(client: Client, language: str) -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302


def test_home_is_thai_by_default(client: Client, geo_data: None) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="th">' in html
    assert "ฉะเชิงเทรา" in html
    assert "เมืองฉะเชิงเทรา" in html  # a district of the province
    assert "คลองเขื่อน" in html
    # The divisions' data date, in the Buddhist era (geothai's data of 2026-10-23).
    assert "23 ตุลาคม 2569" in html


def test_home_switches_to_english(client: Client, geo_data: None) -> None:
    switch_language(client, "en")
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Chachoengsao" in html
    assert "Districts and subdistricts" in html
    assert "23 October 2026" in html
    # The switch offers the way back, labelled in Thai.
    assert 'value="th" lang="th">ภาษาไทย' in html


def test_home_serves_the_configured_province(
    client: Client, geo_data: None, settings: Settings
) -> None:
    settings.SUJARIT_PROVINCE = "50"
    html = client.get("/").content.decode()
    assert "เชียงใหม่" in html
    assert "เมืองฉะเชิงเทรา" not in html


def test_home_without_geography_says_how_to_load_it(client: Client) -> None:
    html = client.get("/").content.decode()
    assert "sujarit load-geo" in html
    assert "24" in html  # the province code it is missing


def test_home_lists_agencies_and_labels_demo_ones(client: Client, geo_data: None) -> None:
    Agency.objects.create(
        code="nacc", kind=AgencyKind.NACC, level=Agency.Level.NATIONAL, name_th="สำนักงาน ป.ป.ช."
    )
    Agency.objects.create(
        code="demo-x",
        kind=AgencyKind.OTHER,
        level=Agency.Level.PROVINCIAL,
        province_id="24",
        name_th="หน่วยงานตัวอย่าง",
        is_demo=True,
    )
    html = client.get("/").content.decode()
    assert "สำนักงาน ป.ป.ช." in html
    assert "หน่วยงานตัวอย่าง" in html
    assert 'class="badge demo"' in html
    assert 'class="demo-banner"' in html


def test_no_demo_banner_without_demo_data(client: Client, geo_data: None) -> None:
    assert 'class="demo-banner"' not in client.get("/").content.decode()


def test_home_query_count_is_bounded(
    client: Client, geo_data: None, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(10):
        client.get("/")


def test_pages_carry_a_content_security_policy(client: Client) -> None:
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_thai_digits_setting_changes_figures(
    client: Client, geo_data: None, settings: Settings
) -> None:
    settings.SUJARIT_THAI_DIGITS = True
    html = client.get("/").content.decode()
    assert "๑๑" in html  # 11 districts
    assert "๙๓" in html  # 93 subdistricts


@pytest.mark.parametrize(
    ("language", "thai_digits", "expected"),
    [
        ("th", False, "16 มีนาคม 2566"),
        ("th", True, "๑๖ มีนาคม ๒๕๖๖"),
        ("en", True, "16 March 2023"),
    ],
)
def test_thaidate_filter_follows_language_and_setting(
    settings: Settings, language: str, thai_digits: bool, expected: str
) -> None:
    settings.SUJARIT_THAI_DIGITS = thai_digits
    template = Template("{% load thai %}{{ day|thaidate }}")
    with translation.override(language):
        assert template.render(Context({"day": dt.date(2023, 3, 16)})) == expected


def test_thaidatetime_filter_uses_bangkok_time(settings: Settings) -> None:
    settings.SUJARIT_THAI_DIGITS = False
    moment = dt.datetime(2023, 3, 16, 7, 5, tzinfo=dt.UTC)  # 14:05 in Bangkok
    template = Template("{% load thai %}{{ moment|thaidatetime }}")
    with translation.override("th"):
        assert template.render(Context({"moment": moment})) == "16 มีนาคม 2566 เวลา 14:05 น."


def test_browser_language_does_not_override_thai(client: Client) -> None:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="th">' in html
