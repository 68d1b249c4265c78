"""Admin pages for the geography: read-only, because ``sujarit load-geo`` owns this data.

An edit made here would be undone by the next load and would bypass the audit log, so the
admin only lets staff look things up.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import BooleanField, ExpressionWrapper, Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sujarit.geo.models import AbolishedArea, District, Province, Subdistrict


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ProvinceFilter(admin.SimpleListFilter):
    """Filter by province without loading every province's boundary to list the choices."""

    title = _("province")
    parameter_name = "province"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            (code, f"{code} {name}")
            for code, name in Province.objects.values_list("code", "name_th").order_by("code")
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(province_id=value) if value else queryset


class AreaAdmin(ReadOnlyAdmin):
    search_fields = ["code", "name_th", "name_en"]
    # The boundary is a large GeoJSON document: show only whether there is one.
    exclude = ["boundary"]

    #: Related areas shown in the list, whose boundaries must not be loaded either.
    related_areas: tuple[str, ...] = ()

    @admin.display(boolean=True, description=_("boundary"), ordering="boundary_loaded")
    def has_boundary(self, obj: Any) -> bool:
        return bool(obj.boundary_loaded)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # List pages never load the boundaries; ``has_boundary`` reads an annotation instead.
        queryset: QuerySet[Any] = (
            super()
            .get_queryset(request)
            .select_related(*self.related_areas)
            .defer("boundary", *(f"{name}__boundary" for name in self.related_areas))
        )
        loaded = ExpressionWrapper(Q(boundary__isnull=False), output_field=BooleanField())
        annotated: QuerySet[Any] = queryset.annotate(boundary_loaded=loaded)
        return annotated


@admin.register(Province)
class ProvinceAdmin(AreaAdmin):
    list_display = ["code", "name_th", "name_en", "latitude", "longitude", "has_boundary"]


@admin.register(District)
class DistrictAdmin(AreaAdmin):
    list_display = ["code", "name_th", "name_en", "province", "has_boundary"]
    list_filter = [ProvinceFilter]
    related_areas = ("province",)


@admin.register(Subdistrict)
class SubdistrictAdmin(AreaAdmin):
    list_display = ["code", "name_th", "name_en", "district", "province", "postal_codes"]
    list_filter = [ProvinceFilter]
    related_areas = ("district", "province")
    search_fields = ["code", "name_th", "name_en", "postal_codes"]


@admin.register(AbolishedArea)
class AbolishedAreaAdmin(ReadOnlyAdmin):
    list_display = ["code", "level", "name_th", "name_en", "abolished_on", "successor_codes"]
    list_filter = ["level", "successors_basis"]
    search_fields = ["code", "name_th", "name_en"]
