"""Forms for organizations, members and the CSV import."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sujarit.accounts.models import Role, User
from sujarit.accounts.queries import AnyUser
from sujarit.agencies.models import Agency
from sujarit.network import queries
from sujarit.network.actions import MemberInput, OrganizationInput
from sujarit.network.actions.imports import KINDS
from sujarit.network.forms.common import (
    OrganizationField,
    SubdistrictField,
    configured_province,
    date_input,
    province_districts,
    province_subdistricts,
    set_queryset,
)
from sujarit.network.importing.base import parse_date
from sujarit.network.models import Level, Member, MemberRole, Organization, OrganizationKind


class OrganizationForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("A stable key: letters, digits, - or _, e.g. council-240101."),
    )
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=255)
    name_en = forms.CharField(label=_("Name (English)"), max_length=255, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=OrganizationKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    parent = OrganizationField(
        label=_("Parent network"), queryset=Organization.objects.none(), required=False
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=province_districts(),
        required=False,
        help_text=_("For a district-level organization."),
    )
    subdistrict = SubdistrictField(
        label=_("Subdistrict"),
        queryset=province_subdistricts(),
        required=False,
        help_text=_("For a subdistrict- or village-level organization."),
    )
    village = forms.CharField(
        label=_("Village"),
        max_length=120,
        required=False,
        help_text=_("For a village-level organization, e.g. หมู่ 3 บ้านคลองใหม่."),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.filter(is_active=True).order_by("level", "name_th"),
        required=False,
        help_text=_("Only for an agency taking part as a partner."),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    phone = forms.CharField(
        label=_("Public telephone"),
        max_length=60,
        required=False,
        help_text=_("Shown on public pages: the organization's office number, not a person's."),
    )
    email = forms.EmailField(label=_("Public e-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    address = forms.CharField(label=_("Address"), widget=forms.Textarea, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self, *args: Any, user: AnyUser, instance: Organization | None = None, **kwargs: Any
    ) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    name: getattr(instance, name)
                    for name in (
                        "code",
                        "name_th",
                        "name_en",
                        "kind",
                        "level",
                        "parent",
                        "district",
                        "subdistrict",
                        "village",
                        "agency",
                        "description",
                        "phone",
                        "email",
                        "website",
                        "address",
                        "is_active",
                    )
                },
            )
        super().__init__(*args, **kwargs)
        self.instance = instance
        parents = queries.editable_organizations(user).filter(is_active=True)
        if instance is not None:
            parents = parents.exclude(path__startswith=instance.path)
        set_queryset(self, "parent", parents.order_by("path"))
        # Read the configured province now, not when the module was imported.
        set_queryset(self, "district", province_districts())
        set_queryset(self, "subdistrict", province_subdistricts())
        if not queries.can_add_organization(user, None):
            self.fields["parent"].required = True

    def to_input(self) -> OrganizationInput:
        data = self.cleaned_data
        level = data["level"]
        wide = level in (Level.NATIONAL, Level.REGION)
        return OrganizationInput(
            code=data["code"],
            name_th=data["name_th"],
            name_en=data["name_en"],
            kind=data["kind"],
            level=level,
            parent=data["parent"],
            province=None if wide else configured_province(),
            district=data["district"],
            subdistrict=data["subdistrict"],
            village=data["village"],
            agency=data["agency"],
            description=data["description"],
            phone=data["phone"],
            email=data["email"],
            website=data["website"],
            address=data["address"],
            is_active=data["is_active"],
            is_demo=self.instance.is_demo if self.instance else False,
        )


class MemberForm(forms.Form):
    code = forms.SlugField(
        label=_("Member code"),
        max_length=60,
        help_text=_("A stable key, e.g. the organization's own register number."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    phone = forms.CharField(label=_("Telephone"), max_length=60, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    line_id = forms.CharField(label=_("LINE ID"), max_length=60, required=False)
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=date_input())
    username = forms.CharField(
        label=_("Account (username)"),
        max_length=150,
        required=False,
        help_text=_("Optional: the member's own account, with the network member role."),
    )
    trainings = forms.CharField(
        label=_("Trainings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: skill=date, e.g. “STRONG=2566-03-16”. The date may be left out."
        ),
    )
    is_active = forms.BooleanField(label=_("Active member"), required=False, initial=True)

    def __init__(self, *args: Any, instance: Member | None = None, **kwargs: Any) -> None:
        if instance is not None:
            lines = [
                f"{t.skill}={t.trained_on.isoformat()}" if t.trained_on else t.skill
                for t in instance.trainings.all()
            ]
            kwargs.setdefault(
                "initial",
                {
                    "code": instance.code,
                    "full_name": instance.full_name,
                    "role": instance.role,
                    "phone": instance.phone,
                    "email": instance.email,
                    "line_id": instance.line_id,
                    "joined_on": instance.joined_on,
                    "username": instance.user.username if instance.user else "",
                    "trainings": "\n".join(lines),
                    "is_active": instance.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        self.instance = instance

    def clean_username(self) -> User | None:
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None or user.role != Role.NETWORK_MEMBER:
            raise forms.ValidationError(
                _("No active account with the network member role has this username.")
            )
        return user

    def clean_trainings(self) -> list[tuple[str, dt.date | None]]:
        trainings: list[tuple[str, dt.date | None]] = []
        for line in self.cleaned_data["trainings"].splitlines():
            if not line.strip():
                continue
            skill, _sep, day = line.partition("=")
            try:
                trainings.append((skill.strip()[:120], parse_date(day) if day.strip() else None))
            except ValueError:
                raise forms.ValidationError(
                    _("“%(line)s”: write skill=date, e.g. STRONG=2566-03-16.") % {"line": line}
                ) from None
        return trainings

    def to_input(self, organization: Organization) -> MemberInput:
        data = self.cleaned_data
        return MemberInput(
            code=data["code"],
            organization=organization,
            role=data["role"],
            full_name=data["full_name"],
            phone=data["phone"],
            email=data["email"],
            line_id=data["line_id"],
            joined_on=data["joined_on"],
            user=data["username"],
            is_active=data["is_active"],
            is_demo=self.instance.is_demo if self.instance else False,
            trainings=data["trainings"],
        )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[(KINDS[0], _("Organizations")), (KINDS[1], _("Members"))],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 CSV with a header line; the columns are described in docs/network.md."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check and report, write nothing"), required=False, initial=True
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than %(size)s MB.") % {"size": 5})
        return upload
