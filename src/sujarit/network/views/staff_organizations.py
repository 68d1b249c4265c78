"""Staff pages: the network dashboard, organizations, members and the CSV import."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from sujarit.agencies.importing import CsvFileError, ImportReport, decode_csv
from sujarit.network import actions, queries
from sujarit.network.actions.imports import import_network
from sujarit.network.forms.common import add_errors
from sujarit.network.forms.organizations import ImportForm, MemberForm, OrganizationForm
from sujarit.network.importing import members as member_columns
from sujarit.network.importing import organizations as organization_columns
from sujarit.network.models import ActionPlan, Activity, ChecklistTemplate, Organization, Visit
from sujarit.network.views.common import account, form_page, staff_page


@staff_page
def dashboard(request: HttpRequest) -> HttpResponse:
    user = account(request)
    if not queries.is_network_staff(user):
        raise PermissionDenied
    editable = queries.editable_organizations(user).filter(is_active=True)
    actable = queries.actable_organizations(user)
    province = str(queries.platform_province(user) or "")
    context = {
        "organizations": actable.order_by("path")[:200],
        "editable_ids": set(editable.values_list("pk", flat=True)),
        "can_add_root": queries.can_add_organization(user, None),
        "plans": ActionPlan.objects.filter(organization__in=editable)
        .select_related("organization")
        .order_by("-fiscal_year", "title")[:50],
        "activities": Activity.objects.filter(organizers__in=actable)
        .distinct()
        .order_by("-held_on")[:20],
        "visits": Visit.objects.filter(organization__in=actable)
        .select_related("organization", "subdistrict")
        .defer("subdistrict__boundary")
        .order_by("-visited_on")[:20],
        "can_manage_province": queries.is_admin(user) or bool(province),
        "can_import": queries.can_import(user),
        "checklists": ChecklistTemplate.objects.filter(is_active=True).exists(),
    }
    return render(request, "network/staff/dashboard.html", context)


@staff_page
def organization_create(request: HttpRequest) -> HttpResponse:
    user = account(request)
    parent = Organization.objects.filter(code=request.GET.get("parent", "")).first()
    if not (
        queries.can_add_organization(user, parent) or queries.editable_organizations(user).exists()
    ):
        raise PermissionDenied
    form = OrganizationForm(
        request.POST or None, user=user, initial={"parent": parent} if parent else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            organization = actions.create_organization(values=form.to_input(), by=user)
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied:
            form.add_error("parent", _("You may not add an organization there."))
        else:
            messages.success(request, _("The organization was added."))
            return redirect("network:organization", code=organization.code)
    return form_page(
        request,
        form,
        title=_("Add an organization"),
        submit=_("Add the organization"),
        cancel_url=reverse("network:manage"),
        status=400 if form.errors else 200,
    )


@staff_page
def organization_edit(request: HttpRequest, code: str) -> HttpResponse:
    user = account(request)
    organization = queries.get_organization_for_edit(user, code)
    form = OrganizationForm(request.POST or None, user=user, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_organization(organization=organization, values=form.to_input(), by=user)
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied:
            form.add_error("parent", _("You may not move the organization there."))
        else:
            messages.success(request, _("The organization was saved."))
            organization.refresh_from_db()
            return redirect("network:organization", code=organization.code)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": organization.name},
        submit=_("Save"),
        cancel_url=reverse("network:organization", args=[organization.code]),
        status=400 if form.errors else 200,
    )


@staff_page
def members(request: HttpRequest, code: str) -> HttpResponse:
    user = account(request)
    organization = Organization.objects.filter(code=code).first()
    if organization is None or not queries.can_manage_members(user, organization):
        raise PermissionDenied
    rows = (
        organization.members.select_related("user")
        .prefetch_related("trainings")
        .order_by("-is_active", "role", "full_name")
    )
    return render(
        request,
        "network/staff/members.html",
        {"organization": organization, "members": rows},
    )


@staff_page
def member_create(request: HttpRequest, code: str) -> HttpResponse:
    user = account(request)
    organization = Organization.objects.filter(code=code).first()
    if organization is None or not queries.can_manage_members(user, organization):
        raise PermissionDenied
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_member(values=form.to_input(organization), by=user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The member was added."))
            return redirect("network:members", code=organization.code)
    return form_page(
        request,
        form,
        title=_("Add a member to %(name)s") % {"name": organization.name},
        submit=_("Add the member"),
        cancel_url=reverse("network:members", args=[organization.code]),
        status=400 if form.errors else 200,
    )


@staff_page
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = account(request)
    member = queries.get_member_for(user, pk)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_member(member=member, values=form.to_input(member.organization), by=user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The member was saved."))
            return redirect("network:members", code=member.organization.code)
    return form_page(
        request,
        form,
        title=_("Edit a member of %(name)s") % {"name": member.organization.name},
        submit=_("Save"),
        cancel_url=reverse("network:members", args=[member.organization.code]),
        status=400 if form.errors else 200,
        remove_url=reverse("network:member_remove", args=[member.pk]) if member.is_active else "",
        remove_label=_("End this membership"),
    )


@staff_page
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = account(request)
    member = queries.get_member_for(user, pk)
    if request.method != "POST":
        return redirect("network:member_edit", pk=member.pk)
    actions.remove_member(member=member, by=user)
    messages.success(request, _("The membership was ended."))
    return redirect("network:members", code=member.organization.code)


@staff_page
def import_csv(request: HttpRequest) -> HttpResponse:
    """Upload a CSV of organizations or members; the same action as the command."""
    user = account(request)
    if not queries.can_import(user):
        raise PermissionDenied
    report: ImportReport | None = None
    file_error = ""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            text = decode_csv(form.cleaned_data["file"].read())
        except CsvFileError as error:
            file_error = error.message
        else:
            report = import_network(
                kind=form.cleaned_data["kind"],
                rows=io.StringIO(text, newline=""),
                by=user,
                dry_run=form.cleaned_data["dry_run"],
            )
    return render(
        request,
        "network/staff/import.html",
        {
            "form": form,
            "report": report,
            "file_error": file_error,
            "organization_columns": organization_columns.COLUMNS,
            "member_columns": member_columns.COLUMNS,
        },
        status=400 if (form.errors or file_error) else 200,
    )


urlpatterns: list[URLPattern] = [
    path("manage/", dashboard, name="manage"),
    path("manage/organizations/new/", organization_create, name="organization_create"),
    path("manage/o/<slug:code>/", organization_edit, name="organization_edit"),
    path("manage/o/<slug:code>/members/", members, name="members"),
    path("manage/o/<slug:code>/members/new/", member_create, name="member_create"),
    path("manage/members/<int:pk>/", member_edit, name="member_edit"),
    path("manage/members/<int:pk>/remove/", member_remove, name="member_remove"),
    path("manage/import/", import_csv, name="import"),
]
