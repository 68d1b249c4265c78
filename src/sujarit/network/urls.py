"""URLs of the network app. Each views module lists its own patterns; this file joins them."""

from __future__ import annotations

from sujarit.network.views import (
    files,
    public,
    staff_activities,
    staff_organizations,
    staff_plans,
    staff_records,
)

app_name = "network"
urlpatterns = [
    *public.urlpatterns,
    *files.urlpatterns,
    *staff_organizations.urlpatterns,
    *staff_plans.urlpatterns,
    *staff_activities.urlpatterns,
    *staff_records.urlpatterns,
]
