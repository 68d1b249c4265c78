"""Public pages of the geography: the province, a district, a subdistrict, and map data."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from sujarit.agencies.queries import agencies_serving_subdistrict
from sujarit.geo import queries
from sujarit.geo.models import Province
from sujarit.network.public import subdistrict_section


@require_GET
def province(request: HttpRequest) -> HttpResponse:
    try:
        area = queries.configured_province()
    except Province.DoesNotExist:
        raise Http404("The geography has not been loaded.") from None
    districts = list(queries.districts_with_subdistricts(area.code))
    return render(
        request,
        "geo/province.html",
        {
            "province": area,
            "districts": districts,
            "subdistrict_count": sum(len(d.subdistricts.all()) for d in districts),
            "has_map": queries.has_child_boundaries(area.code),
        },
    )


@require_GET
def district(request: HttpRequest, code: str) -> HttpResponse:
    area = queries.get_district(code)
    return render(
        request,
        "geo/district.html",
        {
            "district": area,
            "province_is_configured": area.province_id == queries.configured_province_code(),
            "subdistricts": queries.subdistricts_of_district(area.code),
            "has_map": queries.has_child_boundaries(area.code),
        },
    )


@require_GET
def subdistrict(request: HttpRequest, code: str) -> HttpResponse:
    area = queries.get_subdistrict(code)
    return render(
        request,
        "geo/subdistrict.html",
        {
            "subdistrict": area,
            "province_is_configured": area.province_id == queries.configured_province_code(),
            "agencies": agencies_serving_subdistrict(area.code),
            "has_map": queries.has_child_boundaries(area.district_id),
            **subdistrict_section(area.code),
        },
    )


# Boundaries change only when ``load-geo`` runs, so browsers may keep them for a while.
@require_GET
@cache_control(public=True, max_age=3600)
def boundaries(request: HttpRequest, code: str) -> JsonResponse:
    return JsonResponse(queries.child_boundaries(code), content_type="application/geo+json")
