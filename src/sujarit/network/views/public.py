"""Public pages of the networks: the tree, organizations, MOU coverage, plans, activities,
awards. Members appear only as counts."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sujarit.geo.models import Province
from sujarit.network import queries
from sujarit.network.charts import progress_chart
from sujarit.network.coverage import coverage_geojson, mou_coverage
from sujarit.network.fiscal import current_fiscal_year, fiscal_year_bounds, fiscal_year_months
from sujarit.network.models import (
    COUNTED_STATUSES,
    ActionPlan,
    Activity,
    Member,
    MemberRole,
    Mou,
    Organization,
    PlanStatusChange,
)
from sujarit.network.progress import area_rollup, plan_history, plan_progress, province_history
from sujarit.network.public import (
    active_member_total,
    activities_of,
    award_statistics,
    contests_with_awards,
    covered_subdistrict_count,
    month_calendar,
    trained_member_count,
)
from sujarit.network.tree import ancestors, member_counts, province_tree

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _province() -> Province:
    province = Province.objects.defer("boundary").filter(code=settings.SUJARIT_PROVINCE).first()
    if province is None:
        raise Http404("The geography has not been loaded.")
    return province


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return current_fiscal_year()
    return year if 2400 <= year <= 2700 else current_fiscal_year()


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    province = _province()
    today = timezone.localdate()
    year = current_fiscal_year()
    roots = province_tree(province.code)
    rollup = area_rollup(province.code, year)
    context = {
        "province": province,
        "roots": roots,
        "organization_count": sum(node.subtree_size for node in roots),
        "member_total": active_member_total(province.code),
        "covered_count": covered_subdistrict_count(province.code, today),
        "subdistrict_count": province.subdistricts.count(),
        "award_stats": award_statistics(province.code),
        "fiscal_year": year,
        "province_progress": rollup.province,
        "can_manage": queries.is_network_staff(request.user),
    }
    return render(request, "network/home.html", context)


@require_GET
def organization(request: HttpRequest, code: str) -> HttpResponse:
    org = queries.get_public_organization(code)
    children = (
        Organization.objects.filter(parent=org, is_active=True)
        .annotate(active_members=Count("members", filter=Q(members__is_active=True)))
        .order_by("name_th")
    )
    counts = member_counts(org)
    context = {
        "organization": org,
        "ancestors": ancestors(org),
        "children": children,
        "member_counts": [
            (MemberRole(role).label, counts[role]) for role in MemberRole.values if role in counts
        ],
        "member_total": sum(counts.values()),
        "trained_count": trained_member_count(org),
        "plans": queries.public_plans().filter(organization=org).order_by("-fiscal_year"),
        "activities": activities_of(Activity.objects.filter(organizers=org)).order_by("-held_on")[
            :10
        ],
        "awards": org.awards.select_related("contest").order_by("-contest__year"),
        "mous": org.mous.order_by("-signed_on"),
        "can_edit": queries.can_edit_organization(request.user, org),
        "can_manage_members": queries.can_manage_members(request.user, org),
    }
    return render(request, "network/organization.html", context)


@require_GET
def mous(request: HttpRequest) -> HttpResponse:
    province = _province()
    coverage = mou_coverage(province.code)
    all_mous = (
        Mou.objects.filter(province=province)
        .annotate(
            subdistrict_total=Count("subdistricts", distinct=True),
            party_total=Count("organizations", distinct=True) + Count("agencies", distinct=True),
        )
        .order_by("-signed_on")
    )
    has_map = province.subdistricts.filter(boundary__isnull=False).exists()
    context = {
        "province": province,
        "coverage": coverage,
        "mous": all_mous,
        "has_map": has_map,
        "can_manage": queries.can_manage_province_records(request.user, province.code),
    }
    return render(request, "network/mous.html", context)


@require_GET
def coverage_map(request: HttpRequest) -> JsonResponse:
    province = _province()
    return JsonResponse(coverage_geojson(province.code), content_type="application/geo+json")


@require_GET
def mou(request: HttpRequest, pk: int) -> HttpResponse:
    item = Mou.objects.filter(pk=pk).select_related("province").first()
    if item is None:
        raise Http404("No such MOU")
    context = {
        "mou": item,
        "organizations": item.organizations.filter(is_active=True).order_by("path"),
        "agencies": item.agencies.order_by("level", "name_th"),
        "subdistricts": item.subdistricts.select_related("district")
        .defer("boundary", "district__boundary")
        .order_by("code"),
        "in_force": item.in_force_on(timezone.localdate()),
        "can_see_document": bool(item.document)
        and queries.can_see_mou_document(request.user, item),
        "can_manage": queries.can_manage_province_records(request.user, item.province_id),
    }
    return render(request, "network/mou.html", context)


@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    province = _province()
    year = _year(request)
    rollup = area_rollup(province.code, year)
    start, end = fiscal_year_bounds(year)
    districts = {d.code: d for d in province.districts.defer("boundary").order_by("code")}
    district_rows = [
        (districts[code], progress)
        for code, progress in sorted(rollup.districts.items())
        if code in districts
    ]
    history = province_history(province.code, year)
    chart = progress_chart(
        history,
        start=start,
        end=end,
        months=fiscal_year_months(year),
        title=_("Progress of the province's plans, fiscal year %(year)s") % {"year": year},
        description=_("Weighted progress of all plans past their draft, by day recorded."),
    )
    context = {
        "province": province,
        "year": year,
        "years": [year - 1, year, year + 1],
        "rollup": rollup,
        "district_rows": district_rows,
        "history": history,
        "chart": chart,
        "can_manage": queries.is_network_staff(request.user),
    }
    return render(request, "network/plans.html", context)


@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.get_plan_for(request.user, pk)
    progress = plan_progress(item)
    start, end = fiscal_year_bounds(item.fiscal_year)
    history = plan_history(item)
    chart = progress_chart(
        history,
        start=start,
        end=end,
        months=fiscal_year_months(item.fiscal_year),
        title=_("Progress of %(plan)s over time") % {"plan": item.title},
        description=_("Weighted progress of the plan on each day it changed."),
    )
    context = {
        "plan": item,
        "progress": progress,
        "history": history,
        "chart": chart,
        "changes": PlanStatusChange.objects.filter(plan=item).select_related("by").order_by("at"),
        "activities": activities_of(
            Activity.objects.filter(plan_activity__pillar__plan=item)
        ).order_by("-held_on")[:20],
        "is_counted": item.status in COUNTED_STATUSES,
        "can_edit": queries.can_edit_plan(request.user, item),
    }
    return render(request, "network/plan.html", context)


@require_GET
def activities(request: HttpRequest) -> HttpResponse:
    province = _province()
    today = timezone.localdate()
    first = today.replace(day=1)
    match = _MONTH.match(request.GET.get("month", ""))
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and 1900 <= year <= 2200:
            first = dt.date(year, month, 1)
    context = {
        "province": province,
        "month": month_calendar(province.code, first),
        "today": today,
        "can_record": queries.is_network_staff(request.user),
    }
    return render(request, "network/activities.html", context)


@require_GET
def activity(request: HttpRequest, pk: int) -> HttpResponse:
    item = (
        activities_of(Activity.objects.filter(pk=pk))
        .select_related("subdistrict__district")
        .first()
    )
    if item is None:
        raise Http404("No such activity")
    plan_item = None
    if item.plan_activity_id:
        plan_item = ActionPlan.objects.filter(pillars__activities=item.plan_activity_id).first()
        if plan_item is not None and not queries.can_see_plan(request.user, plan_item):
            plan_item = None
    listed = item.members.select_related("organization").order_by("full_name")
    member_count = listed.count()
    members = Member.objects.none()
    if member_count and request.user.is_authenticated:
        # Names are personal data: only those who may read them see them; others see a count.
        members = listed.filter(pk__in=queries.members_visible_to(request.user).values("pk"))
    context = {
        "activity": item,
        "plan": plan_item,
        "attendance": item.attendance.order_by("group"),
        "photos": item.photos.all(),
        "member_count": member_count,
        "members": members,
        "can_edit": queries.can_edit_activity(request.user, item),
    }
    return render(request, "network/activity.html", context)


@require_GET
def awards(request: HttpRequest) -> HttpResponse:
    province = _province()
    context = {
        "province": province,
        "contests": contests_with_awards(province.code),
        "can_manage": queries.can_manage_province_records(request.user, province.code),
    }
    return render(request, "network/awards.html", context)


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("o/<slug:code>/", organization, name="organization"),
    path("mous/", mous, name="mous"),
    path("mous/coverage.geojson", coverage_map, name="coverage_map"),
    path("mous/<int:pk>/", mou, name="mou"),
    path("plans/", plans, name="plans"),
    path("plans/<int:pk>/", plan, name="plan"),
    path("activities/", activities, name="activities"),
    path("activities/<int:pk>/", activity, name="activity"),
    path("awards/", awards, name="awards"),
]
