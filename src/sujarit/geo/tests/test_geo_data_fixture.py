"""The ``geo_data`` fixture: the geography for the tests that ask for it, and only for them."""

from __future__ import annotations

import pytest

from sujarit.geo.loading import LoadReport
from sujarit.geo.models import AbolishedArea, Province, Subdistrict


@pytest.mark.django_db
def test_tables_are_empty_for_a_test_that_does_not_ask() -> None:
    assert not Province.objects.exists()
    assert not AbolishedArea.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_geo_data_in_a_transactional_test(geo_data: LoadReport) -> None:
    assert Subdistrict.objects.count() == geo_data.subdistricts.total == 7_436


@pytest.mark.django_db(transaction=True)
def test_geo_data_comes_back_after_a_transactional_test_flushed_it(
    geo_data: LoadReport,
) -> None:
    assert Subdistrict.objects.count() == 7_436
    assert Subdistrict.objects.get(code="240101").boundary is not None
