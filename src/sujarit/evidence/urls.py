from __future__ import annotations

from django.urls import path

from sujarit.evidence import views

app_name = "evidence"
urlpatterns = [
    path("evidence/<uuid:file_id>/", views.download, name="download"),
    path("cases/<int:pk>/evidence/", views.staff_add, name="staff-add"),
    path("follow/case/evidence/", views.follow_add, name="follow-add"),
]
