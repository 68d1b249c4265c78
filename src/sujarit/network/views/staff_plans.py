"""Staff pages for action plans: the plan, its pillar weights, its activities, its status."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sujarit.network import actions, queries
from sujarit.network.forms.common import add_errors
from sujarit.network.forms.plans import (
    PillarWeightsForm,
    PlanActivityForm,
    PlanForm,
    PlanStatusForm,
)
from sujarit.network.models import ActionPlan, PlanActivity, PlanStatusChange
from sujarit.network.progress import plan_progress
from sujarit.network.views.common import account, form_page, staff_page


@staff_page
def plan_create(request: HttpRequest) -> HttpResponse:
    user = account(request)
    if not queries.editable_organizations(user).exists():
        raise PermissionDenied
    form = PlanForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = actions.create_plan(values=form.to_input(), by=user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The plan was created as a draft."))
            return redirect("network:plan_edit", pk=plan.pk)
    return form_page(
        request,
        form,
        title=_("New action plan"),
        submit=_("Create the plan"),
        cancel_url=reverse("network:manage"),
        intro=_("A plan has the four pillars; add the planned activities after creating it."),
        status=400 if form.errors else 200,
    )


def _edit_context(plan: ActionPlan, form: PlanForm) -> dict[str, object]:
    return {
        "plan": plan,
        "form": form,
        "progress": plan_progress(plan),
        "weights_form": PillarWeightsForm(plan=plan),
        "status_form": PlanStatusForm(plan=plan),
        "changes": PlanStatusChange.objects.filter(plan=plan).select_related("by").order_by("at"),
    }


@staff_page
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = account(request)
    plan = queries.get_plan_for_edit(user, pk)
    form = PlanForm(request.POST or None, user=user, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_plan(plan=plan, values=form.to_input(), by=user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("network:plan_edit", pk=plan.pk)
    return render(
        request,
        "network/staff/plan.html",
        _edit_context(plan, form),
        status=400 if form.errors else 200,
    )


@staff_page
@require_POST
def plan_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = account(request)
    plan = queries.get_plan_for_edit(user, pk)
    form = PlanStatusForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            actions.change_plan_status(
                plan=plan, to=form.cleaned_data["to"], note=form.cleaned_data["note"], by=user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The plan's status was changed."))
    else:
        messages.error(request, _("Choose a status this plan can move to."))
    return redirect("network:plan_edit", pk=plan.pk)


@staff_page
@require_POST
def plan_weights(request: HttpRequest, pk: int) -> HttpResponse:
    user = account(request)
    plan = queries.get_plan_for_edit(user, pk)
    form = PillarWeightsForm(request.POST, plan=plan)
    if form.is_valid():
        actions.set_pillar_weights(plan=plan, weights=form.weights(), by=user)
        messages.success(request, _("The pillar weights were saved."))
    else:
        messages.error(request, _("Each weight is a number, 0 or more."))
    return redirect("network:plan_edit", pk=plan.pk)


@staff_page
def plan_activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = account(request)
    plan = queries.get_plan_for_edit(user, pk)
    initial = {}
    if request.GET.get("pillar", "").isdigit():
        initial["pillar"] = int(request.GET["pillar"])
    form = PlanActivityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_plan_activity(plan=plan, values=form.to_input(), by=user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The planned activity was added."))
            return redirect("network:plan_edit", pk=plan.pk)
    return form_page(
        request,
        form,
        title=_("Add a planned activity to %(plan)s") % {"plan": plan.title},
        submit=_("Add"),
        cancel_url=reverse("network:plan_edit", args=[plan.pk]),
        status=400 if form.errors else 200,
    )


def _plan_activity_for_edit(request: HttpRequest, pk: int) -> PlanActivity:
    activity = PlanActivity.objects.filter(pk=pk).select_related("pillar__plan").first()
    if activity is None:
        raise Http404("No such planned activity")
    if not queries.can_edit_plan(account(request), activity.pillar.plan):
        raise PermissionDenied
    return activity


@staff_page
def plan_activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = account(request)
    activity = _plan_activity_for_edit(request, pk)
    plan = activity.pillar.plan
    form = PlanActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_plan_activity(activity=activity, values=form.to_input(), by=user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The planned activity was saved."))
            return redirect("network:plan_edit", pk=plan.pk)
    return form_page(
        request,
        form,
        title=_("Edit a planned activity of %(plan)s") % {"plan": plan.title},
        submit=_("Save"),
        cancel_url=reverse("network:plan_edit", args=[plan.pk]),
        status=400 if form.errors else 200,
    )


@staff_page
@require_POST
def plan_activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = account(request)
    activity = _plan_activity_for_edit(request, pk)
    plan = activity.pillar.plan
    actions.delete_plan_activity(activity=activity, by=user)
    messages.success(request, _("The planned activity was removed."))
    return redirect("network:plan_edit", pk=plan.pk)


urlpatterns: list[URLPattern] = [
    path("manage/plans/new/", plan_create, name="plan_create"),
    path("manage/plans/<int:pk>/", plan_edit, name="plan_edit"),
    path("manage/plans/<int:pk>/status/", plan_status, name="plan_status"),
    path("manage/plans/<int:pk>/weights/", plan_weights, name="plan_weights"),
    path(
        "manage/plans/<int:pk>/activities/new/",
        plan_activity_create,
        name="plan_activity_create",
    ),
    path("manage/plan-activities/<int:pk>/", plan_activity_edit, name="plan_activity_edit"),
    path(
        "manage/plan-activities/<int:pk>/delete/",
        plan_activity_delete,
        name="plan_activity_delete",
    ),
]
