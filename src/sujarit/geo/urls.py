from __future__ import annotations

from django.urls import URLPattern, path, re_path

from sujarit.geo import views

app_name = "geo"
urlpatterns: list[URLPattern] = [
    path("", views.province, name="province"),
    re_path(r"^d/(?P<code>[0-9]{4})/$", views.district, name="district"),
    re_path(r"^s/(?P<code>[0-9]{6})/$", views.subdistrict, name="subdistrict"),
    re_path(
        r"^boundaries/(?P<code>[0-9]{2}|[0-9]{4})\.geojson$",
        views.boundaries,
        name="boundaries",
    ),
]
