from __future__ import annotations

from itertools import groupby

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sujarit.agencies.forms import AgencySearchForm
from sujarit.agencies.models import Agency
from sujarit.agencies.queries import agencies_serving_province, get_public_agency, search_agencies
from sujarit.geo.models import Province


def agency_list(request: HttpRequest) -> HttpResponse:
    """The bodies serving the configured province, grouped from national to local."""
    code = settings.SUJARIT_PROVINCE
    form = AgencySearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    agencies = agencies_serving_province(code)
    if query:
        agencies = search_agencies(agencies, query)
    groups = [
        (Agency.Level(level), list(members))
        for level, members in groupby(agencies, key=lambda agency: agency.level)
    ]
    context = {
        "province": Province.objects.defer("boundary").filter(code=code).first(),
        "form": form,
        "query": query,
        "groups": groups,
        "total": sum(len(members) for _, members in groups),
    }
    return render(request, "agencies/list.html", context)


def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_public_agency(code)
    context = {
        "agency": agency,
        "children": agency.children.filter(is_active=True).order_by("name_th"),
        "served_provinces": agency.served_provinces.defer("boundary").order_by("code"),
        "subdistricts": (
            agency.subdistricts.select_related("district")
            .defer("boundary", "district__boundary")
            .order_by("code")
        ),
    }
    return render(request, "agencies/detail.html", context)
