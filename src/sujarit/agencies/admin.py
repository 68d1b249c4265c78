from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import ManyToManyField, QuerySet, URLField
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from sujarit.agencies.actions import import_agencies
from sujarit.agencies.forms import AgencyImportForm
from sujarit.agencies.importing import COLUMNS, CsvFileError, ImportReport, decode_csv
from sujarit.agencies.models import Agency
from sujarit.geo.models import Province, Subdistrict


class SubdistrictChoiceField(ModelMultipleChoiceField[Subdistrict]):
    # Many subdistricts share a name (there are dozens of บ้านใหม่), so the code and district
    # are shown too.
    def label_from_instance(self, obj: Subdistrict) -> str:
        return f"{obj.code} {obj.name_th} ({obj.district.name_th})"


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = (
        "name_th",
        "short_name_th",
        "code",
        "kind",
        "level",
        "province",
        "is_demo",
        "is_active",
    )
    list_display_links = ("name_th",)
    list_filter = ("kind", "level", "province", "is_demo", "is_active")
    search_fields = ("name_th", "name_en", "short_name_th", "short_name_en", "code")
    list_per_page = 100
    ordering = ("level", "kind", "name_th")
    autocomplete_fields = ("parent",)
    filter_horizontal = ("subdistricts", "served_provinces")
    change_list_template = "admin/agencies/agency/change_list.html"
    # An official website is served over HTTPS; a bare domain typed in gets https://.
    formfield_overrides = {URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("code", "kind", "level", "local_type", "is_active", "is_demo")}),
        (_("Names"), {"fields": ("name_th", "name_en", "short_name_th", "short_name_en")}),
        (_("Place"), {"fields": ("parent", "province", "served_provinces", "subdistricts")}),
        (_("Contacts"), {"fields": ("hotline", "phone", "email", "website", "address", "source")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Agency]:
        # The province column shows a name; its boundary is a large document.
        return super().get_queryset(request).select_related("province").defer("province__boundary")

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        if db_field.name == "served_provinces":
            kwargs["queryset"] = Province.objects.defer("boundary").order_by("code")
        if db_field.name == "subdistricts":
            # The country has about 7,400 subdistricts; the site serves one province, so the
            # list offers that province's subdistricts (any already linked stay listed).
            object_id = (
                request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            )
            linked: QuerySet[Subdistrict] = Subdistrict.objects.none()
            if object_id:
                linked = Subdistrict.objects.filter(agencies__pk=object_id)
            queryset = (
                (Subdistrict.objects.filter(province_id=settings.SUJARIT_PROVINCE) | linked)
                .select_related("district")
                .defer("boundary", "district__boundary")
                .distinct()
                .order_by("code")
            )
            kwargs["queryset"] = queryset
            kwargs["form_class"] = SubdistrictChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_urls(self) -> list[URLPattern]:
        custom = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="agencies_agency_import",
            )
        ]
        return custom + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a CSV and show the report; the same domain function as the command."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        report: ImportReport | None = None
        file_error = ""
        if request.method == "POST":
            form = AgencyImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    text = decode_csv(form.cleaned_data["file"].read())
                except CsvFileError as error:
                    file_error = error.message
                else:
                    report = import_agencies(
                        rows=io.StringIO(text, newline=""),
                        by=request.user,  # type: ignore[arg-type]
                        dry_run=form.cleaned_data["dry_run"],
                    )
        else:
            form = AgencyImportForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import agencies from CSV"),
            "opts": self.opts,
            "form": form,
            "report": report,
            "file_error": file_error,
            "columns": COLUMNS,
        }
        return TemplateResponse(request, "admin/agencies/agency/import.html", context)
