"""URLs of the cases app. Each views module lists its own patterns; this file joins them."""

from __future__ import annotations

from sujarit.cases.views import agency, duplicates, figures, followup, intake, public, staff

app_name = "cases"
urlpatterns = [
    *intake.urlpatterns,
    *followup.urlpatterns,
    *staff.urlpatterns,
    *duplicates.urlpatterns,
    *agency.urlpatterns,
    *figures.urlpatterns,
    *public.urlpatterns,
]
