"""Forms for activities and monitoring visits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sujarit.accounts.queries import AnyUser
from sujarit.network import queries
from sujarit.network.actions import ActivityInput, VisitInput
from sujarit.network.forms.common import (
    OrganizationField,
    OrganizationsField,
    SubdistrictField,
    date_input,
    province_subdistricts,
    set_queryset,
)
from sujarit.network.models import (
    Activity,
    ActivityKind,
    Answer,
    AttendanceGroup,
    ChecklistTemplate,
    Member,
    Organization,
    Pillar,
    PlanActivity,
    Visit,
)


class PlanActivityField(forms.ModelChoiceField[PlanActivity]):
    def label_from_instance(self, obj: PlanActivity) -> str:
        plan = obj.pillar.plan
        return f"{plan.title} · {Pillar(obj.pillar.pillar).label} · {obj.title}"


class MembersField(forms.ModelMultipleChoiceField[Member]):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.full_name} ({obj.organization.name})"


def _attendance_name(group: str) -> str:
    return f"attendance_{group}"


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    kind = forms.ChoiceField(label=_("Type"), choices=ActivityKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=date_input())
    ends_on = forms.DateField(
        label=_("Last day"),
        widget=date_input(),
        required=False,
        help_text=_("Only for an activity over several days."),
    )
    place = forms.CharField(label=_("Venue"), max_length=255, required=False)
    subdistrict = SubdistrictField(label=_("Subdistrict"), queryset=None, required=False)
    organizers = OrganizationsField(
        label=_("Organizers"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    plan_activity = PlanActivityField(
        label=_("Counts towards the plan activity"),
        queryset=None,
        required=False,
        help_text=_("The plan's progress is computed from the activities recorded against it."),
    )
    quantity = forms.DecimalField(
        label=_("Quantity achieved"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        help_text=_(
            "For plan activities counted by quantity (villages covered, projects monitored…)."
        ),
    )
    members = MembersField(
        label=_("Members taking part"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    report = forms.CharField(label=_("Report"), widget=forms.Textarea, required=False)

    def __init__(
        self, *args: Any, user: AnyUser, instance: Activity | None = None, **kwargs: Any
    ) -> None:
        initial: dict[str, Any] = {}
        if instance is not None:
            initial = {
                name: getattr(instance, name)
                for name in (
                    "title",
                    "kind",
                    "held_on",
                    "ends_on",
                    "place",
                    "subdistrict",
                    "plan_activity",
                    "quantity",
                    "report",
                )
            }
            initial["organizers"] = list(instance.organizers.all())
            initial["members"] = list(instance.members.all())
            for row in instance.attendance.all():
                initial[_attendance_name(row.group)] = row.count
        initial.update(kwargs.pop("initial", {}))
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.instance = instance
        organizers = queries.actable_organizations(user)
        if instance is not None:
            organizers = organizers | instance.organizers.all()
        set_queryset(self, "organizers", organizers.distinct().order_by("path"))
        set_queryset(self, "subdistrict", province_subdistricts())
        linkable = queries.linkable_plan_activities(user)
        if instance is not None and instance.plan_activity_id:
            linkable = linkable | PlanActivity.objects.filter(pk=instance.plan_activity_id)
        set_queryset(
            self,
            "plan_activity",
            (
                linkable.select_related("pillar__plan")
                .distinct()
                .order_by("pillar__plan__title", "pillar__pillar", "order")
            ),
        )
        set_queryset(
            self,
            "members",
            (
                queries.members_visible_to(user)
                .filter(is_active=True)
                .select_related("organization")
                .order_by("organization__path", "full_name")
            ),
        )
        for group, label in AttendanceGroup.choices:
            self.fields[_attendance_name(group)] = forms.IntegerField(
                label=label, min_value=0, required=False, initial=0
            )

    @property
    def attendance_fields(self) -> list[forms.BoundField]:
        return [self[_attendance_name(group)] for group in AttendanceGroup.values]

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in self.fields
            if not name.startswith("attendance_") and name not in ("members", "report")
        ]

    def to_input(self) -> ActivityInput:
        data = self.cleaned_data
        return ActivityInput(
            title=data["title"],
            kind=data["kind"],
            held_on=data["held_on"],
            ends_on=data["ends_on"],
            place=data["place"],
            subdistrict=data["subdistrict"],
            organizers=list(data["organizers"]),
            plan_activity=data["plan_activity"],
            quantity=data["quantity"],
            report=data["report"],
            attendance={
                group: data.get(_attendance_name(group)) or 0 for group in AttendanceGroup.values
            },
            members=list(data["members"]),
            is_demo=self.instance.is_demo if self.instance else False,
        )


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Date of the visit"), widget=date_input())
    organization = OrganizationField(label=_("Visiting organization"), queryset=None)
    subdistrict = SubdistrictField(label=_("Subdistrict"), queryset=None)
    village = forms.CharField(label=_("Village or place"), max_length=120, required=False)
    project_title = forms.CharField(label=_("Project or site"), max_length=255)
    project_reference = forms.CharField(
        label=_("Project reference"),
        max_length=120,
        required=False,
        help_text=_("e.g. the e-GP project number or the number on the project sign."),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)

    def __init__(
        self,
        *args: Any,
        user: AnyUser,
        checklist: ChecklistTemplate | None,
        instance: Visit | None = None,
        **kwargs: Any,
    ) -> None:
        initial: dict[str, Any] = {}
        if instance is not None:
            initial = {
                name: getattr(instance, name)
                for name in (
                    "visited_on",
                    "organization",
                    "subdistrict",
                    "village",
                    "project_title",
                    "project_reference",
                    "notes",
                )
            }
            for row in instance.answers.all():
                initial[f"answer_{row.question_id}"] = row.answer
                initial[f"note_{row.question_id}"] = row.note
        initial.update(kwargs.pop("initial", {}))
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.checklist = checklist
        organizations = queries.actable_organizations(user)
        if instance is not None:
            organizations = organizations | Organization.objects.filter(pk=instance.organization_id)
        set_queryset(self, "organization", organizations.distinct().order_by("path"))
        set_queryset(self, "subdistrict", province_subdistricts())
        self.questions = list(checklist.questions.all()) if checklist else []
        for question in self.questions:
            self.fields[f"answer_{question.pk}"] = forms.ChoiceField(
                label=question.text,
                choices=Answer.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"note_{question.pk}"] = forms.CharField(
                label=_("Note"), max_length=500, required=False
            )

    @property
    def answer_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"answer_{q.pk}"], self[f"note_{q.pk}"]) for q in self.questions]

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith(("answer_", "note_"))]

    def to_input(self) -> VisitInput:
        data = self.cleaned_data
        answers = {
            q.pk: (data[f"answer_{q.pk}"], data[f"note_{q.pk}"])
            for q in self.questions
            if data.get(f"answer_{q.pk}")
        }
        return VisitInput(
            visited_on=data["visited_on"],
            subdistrict=data["subdistrict"],
            organization=data["organization"],
            project_title=data["project_title"],
            project_reference=data["project_reference"],
            village=data["village"],
            checklist=self.checklist,
            answers=answers,
            notes=data["notes"],
            is_demo=self.instance.is_demo if self.instance else False,
        )


class ChecklistForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    is_active = forms.BooleanField(label=_("Offered for new visits"), required=False, initial=True)
    new_questions = forms.CharField(
        label=_("Questions to add"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One question per line."),
    )

    def question_lines(self) -> list[str]:
        return [line for line in self.cleaned_data["new_questions"].splitlines() if line.strip()]
