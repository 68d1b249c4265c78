"""The admin shows the geography but cannot change it: ``load-geo`` owns that data."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.template.response import TemplateResponse
from django.test import RequestFactory

import pytest
from pytest_django import DjangoAssertNumQueries

from sujarit.accounts.models import User
from sujarit.geo.loading import LoadReport
from sujarit.geo.models import AbolishedArea, District, Province, Subdistrict

pytestmark = pytest.mark.django_db

MODELS = [Province, District, Subdistrict, AbolishedArea]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_lists_geography_without_loading_boundaries(
    geo_data: LoadReport,
    admin_user: User,
    model: type[Model],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    request = RequestFactory().get("/admin/", {"q": "24"})
    request.user = admin_user
    model_admin = admin.site._registry[model]

    with django_assert_max_num_queries(10):
        response = model_admin.changelist_view(request)
        assert isinstance(response, TemplateResponse)
        response.render()

    assert response.status_code == 200
    # Boundaries are large; the list reads a flag, never the geometry itself.
    assert response.context_data is not None
    listed = str(response.context_data["cl"].result_list.query)
    assert '."boundary"' not in listed.replace('."boundary" IS NOT NULL', "")


def test_admin_filters_areas_by_province(geo_data: LoadReport, admin_user: User) -> None:
    request = RequestFactory().get("/admin/", {"province": "24"})
    request.user = admin_user

    response = admin.site._registry[Subdistrict].changelist_view(request)

    assert isinstance(response, TemplateResponse) and response.context_data is not None
    assert response.context_data["cl"].result_count == 93


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_cannot_add_change_or_delete_geography(admin_user: User, model: type[Model]) -> None:
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    model_admin = admin.site._registry[model]

    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
