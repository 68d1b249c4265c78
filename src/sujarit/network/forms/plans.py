"""Forms for action plans, their activities, pillar weights and status."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sujarit.accounts.queries import AnyUser
from sujarit.geo.models import District
from sujarit.network import queries
from sujarit.network.actions import PlanActivityInput, PlanInput
from sujarit.network.actions.plans import TRANSITIONS
from sujarit.network.fiscal import current_fiscal_year
from sujarit.network.forms.common import (
    OrganizationField,
    SubdistrictField,
    configured_province,
    province_districts,
    province_subdistricts,
    set_queryset,
)
from sujarit.network.models import (
    ActionPlan,
    AreaLevel,
    Measure,
    Pillar,
    PlanActivity,
    PlanStatus,
)

_WEIGHT = {
    "max_digits": 6,
    "decimal_places": 2,
    "min_value": Decimal("0"),
    "initial": Decimal("1"),
}


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    organization = OrganizationField(label=_("Owning organization"), queryset=None)
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year (Buddhist era)"),
        min_value=2400,
        max_value=2700,
        help_text=_("The Thai fiscal year starts on 1 October: 2569 runs from 1 October 2568."),
    )
    area_level = forms.ChoiceField(label=_("Area level"), choices=AreaLevel.choices)
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        help_text=_("For a district plan."),
    )
    subdistrict = SubdistrictField(
        label=_("Subdistrict"),
        queryset=None,
        required=False,
        help_text=_("For a subdistrict plan."),
    )
    weight = forms.DecimalField(
        label=_("Weight in area roll-ups"),
        help_text=_("How much this plan counts when plans of an area are combined."),
        **_WEIGHT,  # type: ignore[arg-type]
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea, required=False)

    def __init__(
        self, *args: Any, user: AnyUser, instance: ActionPlan | None = None, **kwargs: Any
    ) -> None:
        initial = {"fiscal_year": current_fiscal_year(), "weight": Decimal("1")}
        if instance is not None:
            initial = {
                name: getattr(instance, name)
                for name in (
                    "title",
                    "organization",
                    "fiscal_year",
                    "area_level",
                    "district",
                    "subdistrict",
                    "weight",
                    "summary",
                )
            }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.instance = instance
        set_queryset(
            self,
            "organization",
            (queries.editable_organizations(user).filter(is_active=True).order_by("path")),
        )
        set_queryset(self, "district", province_districts())
        set_queryset(self, "subdistrict", province_subdistricts())

    def to_input(self) -> PlanInput:
        data = self.cleaned_data
        return PlanInput(
            title=data["title"],
            organization=data["organization"],
            area_level=data["area_level"],
            fiscal_year=data["fiscal_year"],
            province=configured_province(),
            district=data["district"],
            subdistrict=data["subdistrict"],
            weight=data["weight"],
            summary=data["summary"],
            is_demo=self.instance.is_demo if self.instance else False,
        )


class PlanActivityForm(forms.Form):
    pillar = forms.TypedChoiceField(label=_("Pillar"), choices=Pillar.choices, coerce=int)
    title = forms.CharField(label=_("Planned activity"), max_length=255)
    measure = forms.ChoiceField(
        label=_("How the achieved value is counted"), choices=Measure.choices
    )
    target = forms.DecimalField(
        label=_("Target"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    unit = forms.CharField(label=_("Unit"), max_length=60, help_text=_("e.g. people, villages"))
    weight = forms.DecimalField(label=_("Weight within the pillar"), **_WEIGHT)  # type: ignore[arg-type]
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0, required=False)

    def __init__(self, *args: Any, instance: PlanActivity | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "pillar": instance.pillar.pillar,
                    "title": instance.title,
                    "measure": instance.measure,
                    "target": instance.target,
                    "unit": instance.unit,
                    "weight": instance.weight,
                    "order": instance.order,
                },
            )
        super().__init__(*args, **kwargs)

    def to_input(self) -> PlanActivityInput:
        data = self.cleaned_data
        return PlanActivityInput(
            pillar=data["pillar"],
            title=data["title"],
            measure=data["measure"],
            target=data["target"],
            unit=data["unit"],
            weight=data["weight"],
            order=data["order"] or 0,
        )


class PillarWeightsForm(forms.Form):
    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for pillar in plan.pillars.all():
            self.fields[f"pillar_{pillar.pillar}"] = forms.DecimalField(
                label=Pillar(pillar.pillar).label,
                **{**_WEIGHT, "initial": pillar.weight},  # type: ignore[arg-type]
            )

    def weights(self) -> dict[int, Decimal]:
        return {
            int(name.removeprefix("pillar_")): value for name, value in self.cleaned_data.items()
        }


class PlanStatusForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=())
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(plan.status, frozenset())
        field = self.fields["to"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(value, label) for value, label in PlanStatus.choices if value in allowed]
