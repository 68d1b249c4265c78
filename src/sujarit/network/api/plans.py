"""/api/v1/network/plans: plans past their draft with their weighted progress."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from ninja import Router, Status
from ninja.errors import HttpError

from sujarit.geo.models import District, Province, Subdistrict
from sujarit.network import actions, queries
from sujarit.network.api.common import action_errors, page, verified_session, writer
from sujarit.network.api.schemas import PlanDetailOut, PlanIn, PlanOut, PlanPatch
from sujarit.network.models import ActionPlan, AreaLevel, Organization
from sujarit.network.progress import PlanProgress, plan_progress, plans_progress

router = Router(tags=["network"])


def _out(progress: PlanProgress) -> dict[str, Any]:
    plan = progress.plan
    return {
        "id": plan.pk,
        "title": plan.title,
        "organization_code": plan.organization.code,
        "area_level": plan.area_level,
        "area_code": plan.subdistrict_id or plan.district_id or plan.province_id,
        "fiscal_year": plan.fiscal_year,
        "status": plan.status,
        "weight": float(plan.weight),
        "progress": progress.ratio,
        "is_demo": plan.is_demo,
        "url": reverse("network:plan", args=[plan.pk]),
    }


def _detail(progress: PlanProgress) -> dict[str, Any]:
    return {
        **_out(progress),
        "summary": progress.plan.summary,
        "pillars": [
            {
                "pillar": pillar.code,
                "name": pillar.label,
                "weight": float(pillar.pillar.weight),
                "progress": pillar.ratio,
                "activities": [
                    {
                        "id": item.activity.pk,
                        "title": item.activity.title,
                        "measure": item.activity.measure,
                        "target": float(item.activity.target),
                        "unit": item.activity.unit,
                        "weight": float(item.activity.weight),
                        "achieved": float(item.achieved),
                        "progress": item.ratio,
                    }
                    for item in pillar.activities
                ],
            }
            for pillar in progress.pillars
        ],
    }


@router.get("/plans", response=list[PlanOut], summary="List action plans")
def list_plans(
    request: HttpRequest,
    fiscal_year: int | None = None,
    organization: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Plans past their draft, newest fiscal year first, each with its weighted progress
    (0 to 1, or null when nothing is measured yet)."""
    queryset = queries.public_plans().select_related("organization")
    if fiscal_year:
        queryset = queryset.filter(fiscal_year=fiscal_year)
    if organization:
        queryset = queryset.filter(organization__code=organization)
    plans = list(queryset.order_by("-fiscal_year", "title", "pk")[page(limit, offset)])
    progress = plans_progress(plans)
    return [_out(progress[plan.pk]) for plan in plans]


@router.get("/plans/{plan_id}", response=PlanDetailOut, summary="One action plan")
def get_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    """A plan with its four pillars and their activities: targets, achieved values (derived
    from the activities recorded) and progress."""
    plan = queries.get_plan_for(request.user, plan_id)
    return _detail(plan_progress(plan))


def _area(values: dict[str, Any]) -> dict[str, Any]:
    area: dict[str, Any] = {
        "province": Province.objects.defer("boundary")
        .filter(code=settings.SUJARIT_PROVINCE)
        .first()
    }
    for key, model, name in (
        ("district_code", District, "district"),
        ("subdistrict_code", Subdistrict, "subdistrict"),
    ):
        code = values.get(key)
        if code:
            area[name] = model.objects.defer("boundary").filter(code=code).first()
            if area[name] is None:
                raise HttpError(400, _("Unknown area code %(code)s.") % {"code": code})
    return area


@router.post(
    "/plans", response={201: PlanDetailOut}, auth=verified_session, summary="Create a plan"
)
def create_plan(request: HttpRequest, payload: PlanIn) -> Status[Any]:
    """A draft plan with the four pillars; its planned activities are added on its page."""
    user = writer(request)
    values = payload.model_dump()
    if values["area_level"] not in AreaLevel.values:
        raise HttpError(400, _("Unknown area level “%(value)s”.") % {"value": values["area_level"]})
    organization = Organization.objects.filter(code=values["organization_code"]).first()
    if organization is None:
        raise HttpError(
            400, _("Unknown organization “%(code)s”.") % {"code": values["organization_code"]}
        )
    with action_errors():
        plan = actions.create_plan(
            values=actions.PlanInput(
                title=values["title"],
                organization=organization,
                area_level=values["area_level"],
                fiscal_year=values["fiscal_year"],
                weight=Decimal(str(values["weight"])),
                summary=values["summary"],
                **_area(values),
            ),
            by=user,
        )
    return Status(201, _detail(plan_progress(plan)))


@router.patch(
    "/plans/{plan_id}", response=PlanDetailOut, auth=verified_session, summary="Change a plan"
)
def update_plan(request: HttpRequest, plan_id: int, payload: PlanPatch) -> dict[str, Any]:
    """Change the title, weight or summary, or move the status (draft → approved → active →
    completed)."""
    user = writer(request)
    plan = ActionPlan.objects.filter(pk=plan_id).select_related("organization").first()
    if plan is None or not queries.can_see_plan(user, plan):
        raise HttpError(404, _("No such plan."))
    if not queries.can_edit_plan(user, plan):
        raise HttpError(403, _("You may not change this record."))
    changes = payload.model_dump(exclude_unset=True)
    with action_errors():
        if {"title", "weight", "summary"} & set(changes):
            actions.update_plan(
                plan=plan,
                values=actions.PlanInput(
                    title=changes.get("title", plan.title),
                    organization=plan.organization,
                    area_level=plan.area_level,
                    fiscal_year=plan.fiscal_year,
                    province=plan.province,
                    district=plan.district,
                    subdistrict=plan.subdistrict,
                    weight=Decimal(str(changes.get("weight", plan.weight))),
                    summary=changes.get("summary", plan.summary),
                    is_demo=plan.is_demo,
                ),
                by=user,
            )
        if changes.get("status") and changes["status"] != plan.status:
            actions.change_plan_status(
                plan=plan, to=changes["status"], note=changes.get("status_note", ""), by=user
            )
    plan.refresh_from_db()
    return _detail(plan_progress(plan))
