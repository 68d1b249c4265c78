"""MOU coverage: which subdistricts an MOU in force covers, and which none does."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

import pytest

from sujarit.audit.models import AuditEvent
from sujarit.geo.models import Province, Subdistrict
from sujarit.network import actions
from sujarit.network.coverage import coverage_geojson, mou_coverage
from sujarit.network.models import Mou
from sujarit.network.tests.conftest import Tree

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 1, 15)


def mou(
    network: Tree, codes: list[str], start: dt.date, end: dt.date | None = None, title: str = "MOU"
) -> Mou:
    return actions.create_mou(
        values=actions.MouInput(
            title=title,
            province=Province.objects.get(code="24"),
            signed_on=start,
            starts_on=start,
            ends_on=end,
            organizations=[network.province],
            subdistricts=list(Subdistrict.objects.filter(code__in=codes)),
        ),
        by=None,
    )


def test_coverage_counts_only_mous_in_force_on_the_day(network: Tree) -> None:
    current = mou(network, ["240101", "240102", "240201"], dt.date(2023, 3, 16), title="now")
    mou(network, ["240103", "240101"], dt.date(2019, 6, 1), dt.date(2022, 5, 31), title="old")
    mou(network, ["240104"], dt.date(2027, 1, 1), title="future")
    coverage = mou_coverage("24", day=DAY)
    covered = {row.subdistrict.code: [m.title for m in row.mous] for row in coverage.covered}
    assert covered == {"240101": ["now"], "240102": ["now"], "240201": ["now"]}
    total = Subdistrict.objects.filter(province_id="24").count()
    assert len(coverage.uncovered) == total - 3
    assert "240103" in {row.subdistrict.code for row in coverage.uncovered}
    assert [m.title for m in coverage.mous] == ["now"]
    event = AuditEvent.objects.get(action="network.mou_created", target_id=str(current.pk))
    assert event.data == {"parties": 1, "subdistricts": 3}


def test_a_subdistrict_under_two_mous_lists_both(network: Tree) -> None:
    mou(network, ["240101"], dt.date(2023, 3, 16), title="a")
    mou(network, ["240101"], dt.date(2024, 1, 1), dt.date(2026, 12, 31), title="b")
    (row,) = mou_coverage("24", day=DAY).covered
    assert [m.title for m in row.mous] == ["a", "b"]
    assert [r.subdistrict.code for r in mou_coverage("24", day=dt.date(2027, 1, 1)).covered] == [
        "240101"
    ]


def test_the_last_day_of_the_term_is_still_covered(network: Tree) -> None:
    mou(network, ["240101"], dt.date(2023, 1, 1), dt.date(2026, 1, 15))
    assert len(mou_coverage("24", day=DAY).covered) == 1
    assert not mou_coverage("24", day=DAY + dt.timedelta(days=1)).covered


def test_geojson_marks_each_subdistrict_with_a_boundary(network: Tree) -> None:
    mou(network, ["240101"], dt.date(2023, 3, 16), title="now")
    collection = coverage_geojson("24", day=DAY)
    features = {f["properties"]["code"]: f["properties"] for f in collection["features"]}
    assert (
        len(features)
        == Subdistrict.objects.filter(province_id="24", boundary__isnull=False).count()
    )
    assert features["240101"]["covered"] is True and features["240101"]["mous"] == ["now"]
    assert features["240102"]["covered"] is False


def test_an_mou_covers_subdistricts_of_its_own_province_only(network: Tree) -> None:
    with pytest.raises(ValidationError) as error:
        mou(network, ["200101"], dt.date(2023, 3, 16))
    assert "subdistricts" in error.value.message_dict


def test_the_term_ends_after_it_starts(network: Tree) -> None:
    with pytest.raises(ValidationError):
        mou(network, ["240101"], dt.date(2023, 3, 16), dt.date(2023, 1, 1))
