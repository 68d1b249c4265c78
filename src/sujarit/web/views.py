from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

import geothai

from sujarit.agencies.models import Agency
from sujarit.agencies.queries import agencies_serving_province
from sujarit.geo.models import District, Province, Subdistrict


def home(request: HttpRequest) -> HttpResponse:
    """The configured province: what Sujarit is, its districts and subdistricts, its agencies."""
    code = settings.SUJARIT_PROVINCE
    province = Province.objects.filter(code=code).first()
    districts = (
        District.objects.filter(province_id=code)
        .annotate(subdistrict_count=Count("subdistricts"))
        .prefetch_related(Prefetch("subdistricts", queryset=Subdistrict.objects.order_by("code")))
        .order_by("code")
    )
    serving = agencies_serving_province(code)
    agencies = list(serving.exclude(level=Agency.Level.LOCAL))
    # Local bodies are many (one per subdistrict or so): the home page only counts them.
    local_count = serving.filter(level=Agency.Level.LOCAL).count()
    context = {
        "province": province,
        "districts": districts,
        "subdistrict_count": Subdistrict.objects.filter(province_id=code).count(),
        "agencies": agencies,
        "local_agency_count": local_count,
        # The date of the official divisions the geography was loaded from.
        "geo_data_date": dt.date.fromisoformat(geothai.DATA_VERSION.replace(".", "-")),
    }
    return render(request, "web/home.html", context)
