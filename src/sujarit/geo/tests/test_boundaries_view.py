"""The GeoJSON that the maps draw: the child areas of a province or a district."""

from __future__ import annotations

import json

from django.test import Client
from django.urls import reverse

import pytest

from sujarit.geo.loading import LoadReport
from sujarit.geo.models import District

pytestmark = pytest.mark.django_db


def test_province_boundaries_are_its_districts(client: Client, geo_data: LoadReport) -> None:
    response = client.get(reverse("geo:boundaries", args=["24"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    codes = [f["properties"]["code"] for f in collection["features"]]
    assert codes == [f"24{n:02d}" for n in range(1, 12)]
    first = collection["features"][0]
    assert first["properties"] == {
        "code": "2401",
        "name_th": "เมืองฉะเชิงเทรา",
        "name_en": "Mueang Chachoengsao",
        "url": "/areas/d/2401/",
    }
    assert first["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_district_boundaries_are_its_subdistricts(client: Client, geo_data: LoadReport) -> None:
    collection = json.loads(client.get(reverse("geo:boundaries", args=["2401"])).content)
    assert len(collection["features"]) == 19
    assert collection["features"][0]["properties"]["url"] == "/areas/s/240101/"


def test_areas_without_a_boundary_are_left_out(client: Client, geo_data: LoadReport) -> None:
    District.objects.filter(code="2401").update(boundary=None)
    collection = json.loads(client.get(reverse("geo:boundaries", args=["24"])).content)
    assert len(collection["features"]) == 10
    # A province whose boundaries were not loaded gives an empty collection, not an error.
    other = json.loads(client.get(reverse("geo:boundaries", args=["50"])).content)
    assert other == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize("path", ["/areas/boundaries/99.geojson", "/areas/boundaries/2499.geojson"])
def test_unknown_parent_is_404(client: Client, geo_data: LoadReport, path: str) -> None:
    assert client.get(path).status_code == 404


def test_subdistrict_code_has_no_boundaries_url(client: Client, geo_data: LoadReport) -> None:
    assert client.get("/areas/boundaries/240101.geojson").status_code == 404
