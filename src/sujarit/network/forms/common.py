"""Form helpers shared by the network's staff pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sujarit.geo.models import District, Province, Subdistrict
from sujarit.network.models import Organization

#: A photo or document upload larger than this is refused by the form already.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class SubdistrictField(forms.ModelChoiceField[Subdistrict]):
    # Many subdistricts share a name, so the district is shown too.
    def label_from_instance(self, obj: Subdistrict) -> str:
        return f"{obj.name} ({obj.district.name}) · {obj.code}"


class SubdistrictsField(forms.ModelMultipleChoiceField[Subdistrict]):
    def label_from_instance(self, obj: Subdistrict) -> str:
        return f"{obj.name} ({obj.district.name}) · {obj.code}"


class OrganizationField(forms.ModelChoiceField[Organization]):
    def label_from_instance(self, obj: Organization) -> str:
        return "— " * obj.depth + obj.name


class OrganizationsField(forms.ModelMultipleChoiceField[Organization]):
    def label_from_instance(self, obj: Organization) -> str:
        return "— " * obj.depth + obj.name


def set_queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    """Give a choice field its rows when the form is made (not when the module is imported,
    so that the configured province and the user's rights are read then)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def province_code() -> str:
    return str(settings.SUJARIT_PROVINCE)


def configured_province() -> Province:
    return Province.objects.defer("boundary").get(code=province_code())


def province_subdistricts() -> QuerySet[Subdistrict]:
    return (
        Subdistrict.objects.filter(province_id=province_code())
        .select_related("district")
        .defer("boundary", "district__boundary")
        .order_by("district__code", "code")
    )


def province_districts() -> QuerySet[District]:
    return District.objects.filter(province_id=province_code()).defer("boundary").order_by("code")


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Show an action's ``ValidationError`` on the form, on its field when it names one."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            field = name if name in form.fields else None
            for message in messages:
                form.add_error(field, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    caption = forms.CharField(label=_("Caption"), max_length=255, required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20}
            )
        return upload
