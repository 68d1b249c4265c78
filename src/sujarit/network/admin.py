"""A read-only view of the network records in the Django admin.

Every write goes through the network pages, whose actions check the per-organization rights
and write the audit log; the admin only lets administrators and auditors look.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from sujarit.network.models import (
    ActionPlan,
    Activity,
    AwardContest,
    ChecklistTemplate,
    Member,
    Mou,
    Organization,
    Visit,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ("name_th", "code", "kind", "level", "province", "is_active", "is_demo")
    list_filter = ("kind", "level", "is_active", "is_demo")
    search_fields = ("name_th", "name_en", "code")
    list_select_related = ("province",)


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ("code", "organization", "role", "is_active", "is_demo")
    list_filter = ("role", "is_active", "is_demo")
    search_fields = ("code", "organization__name_th")
    list_select_related = ("organization",)


@admin.register(Mou)
class MouAdmin(ReadOnlyAdmin):
    list_display = ("title", "signed_on", "starts_on", "ends_on", "is_demo")


@admin.register(ActionPlan)
class ActionPlanAdmin(ReadOnlyAdmin):
    list_display = ("title", "organization", "fiscal_year", "status", "is_demo")
    list_filter = ("fiscal_year", "status", "is_demo")
    list_select_related = ("organization",)


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "held_on", "is_demo")
    list_filter = ("kind", "is_demo")
    date_hierarchy = "held_on"


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ("project_title", "visited_on", "organization", "is_demo")
    list_select_related = ("organization",)


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(ReadOnlyAdmin):
    list_display = ("name", "is_active", "is_demo")


@admin.register(AwardContest)
class AwardContestAdmin(ReadOnlyAdmin):
    list_display = ("name_th", "year", "total_awards", "is_demo")
