"""Every importer turns outside codes into current areas through ``resolve_area_code``."""

from __future__ import annotations

import pytest
from pytest_django import DjangoAssertNumQueries

from sujarit.geo.loading import LoadReport
from sujarit.geo.models import AbolishedArea, Subdistrict
from sujarit.geo.queries import AreaResolver, Outcome, resolve_area_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("code", "level"), [("24", "province"), ("2401", "district")])
def test_current_codes_resolve_to_themselves(geo_data: LoadReport, code: str, level: str) -> None:
    result = resolve_area_code(code)
    assert (result.outcome, result.level, result.codes) == (Outcome.CURRENT, level, [code])
    assert result.ok


def test_current_subdistrict_comes_with_its_district_and_province(geo_data: LoadReport) -> None:
    result = resolve_area_code("240101")
    assert isinstance(result.area, Subdistrict)
    assert (result.area.district.name_th, result.area.province.name_th) == (
        "เมืองฉะเชิงเทรา",
        "ฉะเชิงเทรา",
    )


def test_abolished_code_resolves_to_its_successor(geo_data: LoadReport) -> None:
    result = resolve_area_code("100205")

    assert result.outcome == Outcome.REPLACED
    assert result.codes == ["102901"]
    assert result.areas[0].name_th == "บางซื่อ"
    assert [a.code for a in result.abolished] == ["100205"]


def test_split_area_resolves_to_every_successor(geo_data: LoadReport) -> None:
    # Bang Na (104701) was split into Bang Na Nuea and Bang Na Tai.
    result = resolve_area_code("104701")
    assert result.codes == ["104702", "104703"]
    assert result.area is None


def test_chain_of_abolitions_is_followed_to_the_current_area(geo_data: LoadReport) -> None:
    # Test-only codes in an unused range: 990101 became 990102, which became 240101.
    AbolishedArea.objects.create(
        code="990101", level="subdistrict", name_th="ก", successor_codes=["990102"]
    )
    AbolishedArea.objects.create(
        code="990102", level="subdistrict", name_th="ข", successor_codes=["240101"]
    )

    result = resolve_area_code("990101")

    assert (result.outcome, result.codes) == (Outcome.REPLACED, ["240101"])
    assert [a.code for a in result.abolished] == ["990101", "990102"]


def test_loop_of_abolitions_stops_and_is_reported(geo_data: LoadReport) -> None:
    AbolishedArea.objects.create(
        code="990201", level="subdistrict", name_th="ก", successor_codes=["990202"]
    )
    AbolishedArea.objects.create(
        code="990202", level="subdistrict", name_th="ข", successor_codes=["990201"]
    )

    result = resolve_area_code("990201")

    assert result.outcome == Outcome.NO_SUCCESSOR
    assert not result.ok
    assert "990201" in str(result.reason)


def test_unknown_code_is_reported_not_dropped(geo_data: LoadReport) -> None:
    result = resolve_area_code("249999")
    assert (result.outcome, result.areas, result.level) == (Outcome.UNKNOWN, (), "subdistrict")
    assert str(result.reason)


def test_abolished_code_without_successor_is_reported(geo_data: LoadReport) -> None:
    # Bang Khen subdistrict 100599 was abolished in 2012 and the source names no successor.
    result = resolve_area_code("100599")

    assert result.outcome == Outcome.NO_SUCCESSOR
    assert result.areas == ()
    assert "บางเขน" in str(result.reason)
    assert "2012-04-19" in str(result.reason)


def test_successor_that_is_not_a_known_code_is_reported(geo_data: LoadReport) -> None:
    AbolishedArea.objects.create(
        code="990301", level="subdistrict", name_th="ก", successor_codes=["990399"]
    )
    result = resolve_area_code("990301")
    assert result.outcome == Outcome.NO_SUCCESSOR
    assert "990399" in str(result.reason)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(" 240101 ", "240101"), ("TH240101", "240101"), ("240100", "2401"), ("240000", "24")],
)
def test_common_spellings_of_codes_are_understood(
    geo_data: LoadReport, raw: str, expected: str
) -> None:
    assert resolve_area_code(raw).codes == [expected]


@pytest.mark.parametrize("raw", ["", "abc", "12345", "2401011"])
def test_text_that_is_not_a_code_is_reported_invalid(geo_data: LoadReport, raw: str) -> None:
    result = resolve_area_code(raw)
    assert result.outcome == Outcome.INVALID
    assert not result.ok


def test_resolver_handles_a_whole_file_in_a_few_queries(
    geo_data: LoadReport, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    codes = ["240101", "240102", "2401", "24", "100205", "100599", "249999"] * 50
    resolver = AreaResolver()
    with django_assert_max_num_queries(6):
        resolver.prefetch(codes)
        results = [resolver.resolve(code) for code in codes]
    assert [r.outcome for r in results[:7]] == [
        Outcome.CURRENT,
        Outcome.CURRENT,
        Outcome.CURRENT,
        Outcome.CURRENT,
        Outcome.REPLACED,
        Outcome.NO_SUCCESSOR,
        Outcome.UNKNOWN,
    ]


def test_without_geography_every_code_is_unknown() -> None:
    assert resolve_area_code("240101").outcome == Outcome.UNKNOWN
