"""Staff pages for activities, monitoring visits and checklists."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sujarit.network import actions, queries
from sujarit.network.forms.activities import ActivityForm, ChecklistForm, VisitForm
from sujarit.network.forms.common import UploadForm, add_errors
from sujarit.network.intake import visit_report_url
from sujarit.network.models import ChecklistTemplate, PlanActivity
from sujarit.network.views.common import account, form_page, staff_page


def _activity_page(
    request: HttpRequest, form: ActivityForm, title: str, cancel_url: str
) -> HttpResponse:
    return render(
        request,
        "network/staff/activity.html",
        {"form": form, "title": title, "cancel_url": cancel_url},
        status=400 if form.errors else 200,
    )


@staff_page
def activity_create(request: HttpRequest) -> HttpResponse:
    user = account(request)
    if not queries.actable_organizations(user).exists():
        raise PermissionDenied
    initial: dict[str, object] = {"held_on": timezone.localdate()}
    planned = PlanActivity.objects.filter(pk=request.GET.get("plan_activity", "") or 0).first()
    if planned is not None:
        initial["plan_activity"] = planned
    form = ActivityForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activity = actions.record_activity(values=form.to_input(), by=user)
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied:
            form.add_error("organizers", _("You may not record activities for these organizers."))
        else:
            messages.success(request, _("The activity was recorded."))
            return redirect("network:activity", pk=activity.pk)
    return _activity_page(request, form, _("Record an activity"), reverse("network:manage"))


@staff_page
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = account(request)
    activity = queries.get_activity_for_edit(user, pk)
    form = ActivityForm(request.POST or None, user=user, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_activity(activity=activity, values=form.to_input(), by=user)
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied:
            form.add_error("organizers", _("You may not record activities for these organizers."))
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("network:activity", pk=activity.pk)
    response = _activity_page(
        request, form, _("Edit the activity"), reverse("network:activity", args=[activity.pk])
    )
    return response


@staff_page
@require_POST
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = account(request)
    activity = queries.get_activity_for_edit(user, pk)
    actions.delete_activity(activity=activity, by=user)
    messages.success(request, _("The activity was deleted."))
    return redirect("network:activities")


@staff_page
def activity_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = account(request)
    activity = queries.get_activity_for_edit(user, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_activity_photo(
                activity=activity,
                data=form.cleaned_data["file"].read(),
                caption=form.cleaned_data["caption"],
                by=user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("The photo was added (its location and camera details were removed).")
            )
            return redirect("network:activity", pk=activity.pk)
    return form_page(
        request,
        form,
        title=_("Add a photo to %(title)s") % {"title": activity.title},
        submit=_("Upload"),
        cancel_url=reverse("network:activity", args=[activity.pk]),
        intro=_("JPEG or PNG. Location, camera and time details are removed before storage."),
        multipart=True,
        status=400 if form.errors else 200,
    )


# --- Visits ---------------------------------------------------------------------------------


@staff_page
def visit_create(request: HttpRequest) -> HttpResponse:
    user = account(request)
    if not queries.actable_organizations(user).exists():
        raise PermissionDenied
    checklists = ChecklistTemplate.objects.filter(is_active=True).order_by("name")
    checklist = checklists.filter(pk=request.GET.get("checklist", "") or 0).first()
    initial: dict[str, object] = {"visited_on": timezone.localdate()}
    if request.GET.get("subdistrict"):
        initial["subdistrict"] = request.GET["subdistrict"]
    form = VisitForm(request.POST or None, user=user, checklist=checklist, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            visit = actions.record_visit(values=form.to_input(), by=user)
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied:
            form.add_error("organization", _("You may not record visits for this organization."))
        else:
            messages.success(request, _("The visit was recorded."))
            return redirect("network:visit", pk=visit.pk)
    return render(
        request,
        "network/staff/visit_form.html",
        {
            "form": form,
            "checklists": checklists,
            "checklist": checklist,
            "title": _("Record a monitoring visit"),
            "cancel_url": reverse("network:manage"),
        },
        status=400 if form.errors else 200,
    )


@staff_page
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = account(request)
    visit = queries.get_visit_for(user, pk)
    return render(
        request,
        "network/staff/visit.html",
        {
            "visit": visit,
            "answers": visit.answers.select_related("question"),
            "photos": visit.photos.all(),
            "report_url": visit_report_url(visit),
            "can_edit": queries.can_edit_visit(user, visit),
            "photo_form": UploadForm(),
        },
    )


@staff_page
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = account(request)
    visit = queries.get_visit_for(user, pk)
    if not queries.can_edit_visit(user, visit):
        raise PermissionDenied
    form = VisitForm(request.POST or None, user=user, checklist=visit.checklist, instance=visit)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_visit(visit=visit, values=form.to_input(), by=user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The visit was saved."))
            return redirect("network:visit", pk=visit.pk)
    return render(
        request,
        "network/staff/visit_form.html",
        {
            "form": form,
            "checklist": visit.checklist,
            "title": _("Edit the visit"),
            "cancel_url": reverse("network:visit", args=[visit.pk]),
        },
        status=400 if form.errors else 200,
    )


@staff_page
@require_POST
def visit_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = account(request)
    visit = queries.get_visit_for(user, pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_visit_photo(
                visit=visit,
                data=form.cleaned_data["file"].read(),
                caption=form.cleaned_data["caption"],
                by=user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The photo was added (its location and camera details were removed).")
            )
    else:
        messages.error(
            request, " ".join(str(e) for e in form.errors.get("file", [])) or _("Choose a photo.")
        )
    return redirect("network:visit", pk=visit.pk)


# --- Checklists -----------------------------------------------------------------------------


def _province_code() -> str:
    return str(settings.SUJARIT_PROVINCE)


@staff_page
def checklists(request: HttpRequest) -> HttpResponse:
    user = account(request)
    if not queries.can_manage_province_records(user, _province_code()):
        raise PermissionDenied
    form = ChecklistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_checklist(
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                questions=form.question_lines(),
                by=user,
                province_code=_province_code(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The checklist was created."))
            return redirect("network:checklists")
    return render(
        request,
        "network/staff/checklists.html",
        {
            "form": form,
            "templates": ChecklistTemplate.objects.prefetch_related("questions").order_by("name"),
        },
        status=400 if form.errors else 200,
    )


@staff_page
def checklist_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = account(request)
    if not queries.can_manage_province_records(user, _province_code()):
        raise PermissionDenied
    template = ChecklistTemplate.objects.filter(pk=pk).first()
    if template is None:
        raise Http404("No such checklist")
    form = ChecklistForm(
        request.POST or None,
        initial={
            "name": template.name,
            "description": template.description,
            "is_active": template.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        actions.update_checklist(
            template=template,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            is_active=form.cleaned_data["is_active"],
            new_questions=form.question_lines(),
            by=user,
            province_code=_province_code(),
        )
        messages.success(request, _("The checklist was saved."))
        return redirect("network:checklists")
    return form_page(
        request,
        form,
        title=_("Edit the checklist %(name)s") % {"name": template.name},
        submit=_("Save"),
        cancel_url=reverse("network:checklists"),
        intro=_("Questions already asked stay as they are, so past visits read as recorded."),
        status=400 if form.errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("manage/activities/new/", activity_create, name="activity_create"),
    path("manage/activities/<int:pk>/", activity_edit, name="activity_edit"),
    path("manage/activities/<int:pk>/delete/", activity_delete, name="activity_delete"),
    path("manage/activities/<int:pk>/photos/", activity_photo_add, name="activity_photo_add"),
    path("manage/visits/new/", visit_create, name="visit_create"),
    path("manage/visits/<int:pk>/", visit_detail, name="visit"),
    path("manage/visits/<int:pk>/edit/", visit_edit, name="visit_edit"),
    path("manage/visits/<int:pk>/photos/", visit_photo_add, name="visit_photo_add"),
    path("manage/checklists/", checklists, name="checklists"),
    path("manage/checklists/<int:pk>/", checklist_edit, name="checklist_edit"),
]
