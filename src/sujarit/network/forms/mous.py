"""Forms for MOUs and awards."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sujarit.agencies.models import Agency
from sujarit.agencies.queries import agencies_serving_province
from sujarit.network.actions import ContestInput, MouInput
from sujarit.network.forms.common import (
    OrganizationField,
    OrganizationsField,
    SubdistrictsField,
    configured_province,
    date_input,
    province_code,
    province_subdistricts,
    set_queryset,
)
from sujarit.network.models import AwardContest, Mou, Organization


class MouForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    signed_on = forms.DateField(label=_("Signed on"), widget=date_input())
    starts_on = forms.DateField(label=_("In force from"), widget=date_input())
    ends_on = forms.DateField(
        label=_("In force until"),
        widget=date_input(),
        required=False,
        help_text=_("Empty: no end date."),
    )
    organizations = OrganizationsField(
        label=_("Organizations (parties)"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies (parties)"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    subdistricts = SubdistrictsField(
        label=_("Subdistricts covered"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    commitments = forms.CharField(label=_("Commitments"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, instance: Mou | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": instance.title,
                    "signed_on": instance.signed_on,
                    "starts_on": instance.starts_on,
                    "ends_on": instance.ends_on,
                    "organizations": list(instance.organizations.all()),
                    "agencies": list(instance.agencies.all()),
                    "subdistricts": list(instance.subdistricts.all()),
                    "commitments": instance.commitments,
                },
            )
        super().__init__(*args, **kwargs)
        self.instance = instance
        set_queryset(
            self, "organizations", Organization.objects.filter(is_active=True).order_by("path")
        )
        set_queryset(self, "agencies", agencies_serving_province(province_code()))
        set_queryset(self, "subdistricts", province_subdistricts())

    def to_input(self) -> MouInput:
        data = self.cleaned_data
        return MouInput(
            title=data["title"],
            province=configured_province(),
            signed_on=data["signed_on"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            organizations=list(data["organizations"]),
            agencies=list(data["agencies"]),
            subdistricts=list(data["subdistricts"]),
            commitments=data["commitments"],
            is_demo=self.instance.is_demo if self.instance else False,
        )


class ContestForm(forms.Form):
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=255)
    name_en = forms.CharField(label=_("Name (English)"), max_length=255, required=False)
    year = forms.IntegerField(label=_("Year (Buddhist era)"), min_value=2400, max_value=2700)
    giver = forms.ModelChoiceField(
        label=_("Awarded by"), queryset=Agency.objects.none(), required=False
    )
    giver_name = forms.CharField(
        label=_("Awarded by (as written)"),
        max_length=255,
        required=False,
        help_text=_("When the body is not in the agency directory."),
    )
    total_awards = forms.IntegerField(
        label=_("Awards given in all"),
        min_value=1,
        help_text=_("Every award of this round, including winners outside the network."),
    )

    def __init__(self, *args: Any, instance: AwardContest | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    name: getattr(instance, name)
                    for name in (
                        "name_th",
                        "name_en",
                        "year",
                        "giver",
                        "giver_name",
                        "total_awards",
                    )
                },
            )
        super().__init__(*args, **kwargs)
        self.instance = instance
        set_queryset(
            self,
            "giver",
            Agency.objects.filter(is_active=True, level__in=["national", "regional"]).order_by(
                "name_th"
            ),
        )

    def to_input(self) -> ContestInput:
        data = self.cleaned_data
        return ContestInput(
            name_th=data["name_th"],
            name_en=data["name_en"],
            year=data["year"],
            total_awards=data["total_awards"],
            giver=data["giver"],
            giver_name=data["giver_name"],
            is_demo=self.instance.is_demo if self.instance else False,
        )


class AwardForm(forms.Form):
    organization = OrganizationField(label=_("Winning organization"), queryset=None)
    category = forms.CharField(label=_("Category"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(
            self, "organization", Organization.objects.filter(is_active=True).order_by("path")
        )
