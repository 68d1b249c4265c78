from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from sujarit.geo.models import Province
from sujarit.web.nav import navigation


def site(request: HttpRequest) -> dict[str, Any]:
    from sujarit.web.demo import has_demo_data

    return {
        "site_province": Province.objects.defer("boundary")
        .filter(code=settings.SUJARIT_PROVINCE)
        .first(),
        "site_province_code": settings.SUJARIT_PROVINCE,
        "site_has_demo_data": has_demo_data(),
        "nav_items": navigation(request),
    }
