from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

import geothai

from sujarit.agencies.models import Agency
from sujarit.agencies.queries import agencies_serving_province
from sujarit.geo.models import Province
from sujarit.geo.queries import districts_with_subdistricts


def home(request: HttpRequest) -> HttpResponse:
    """The configured province: what Sujarit is, its districts and subdistricts, its agencies."""
    code = settings.SUJARIT_PROVINCE
    # Boundaries are large and the home page draws no map: the geo queries leave them out.
    province = Province.objects.defer("boundary").filter(code=code).first()
    districts = list(districts_with_subdistricts(code))
    serving = agencies_serving_province(code)
    agencies = list(serving.exclude(level=Agency.Level.LOCAL))
    # Local bodies are many (one per subdistrict or so): the home page only counts them.
    local_count = serving.filter(level=Agency.Level.LOCAL).count()
    context = {
        "province": province,
        "districts": districts,
        "subdistrict_count": sum(len(d.subdistricts.all()) for d in districts),
        "agencies": agencies,
        "local_agency_count": local_count,
        # The date of the official divisions the geography was loaded from.
        "geo_data_date": dt.date.fromisoformat(geothai.DATA_VERSION.replace(".", "-")),
    }
    return render(request, "web/home.html", context)
