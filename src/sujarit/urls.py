from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from sujarit.api import api

urlpatterns = [
    path("", include("sujarit.web.urls")),
    path("accounts/", include("sujarit.accounts.urls")),
    path("agencies/", include("sujarit.agencies.urls")),
    path("areas/", include("sujarit.geo.urls")),
    path("", include("sujarit.cases.urls")),
    path("", include("sujarit.evidence.urls")),
    path("network/", include("sujarit.network.urls")),
    path("audit/", include("sujarit.audit.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
