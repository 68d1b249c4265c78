"""/api/v1/network/activities: the networks' activities, with attendance as counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from ninja import Router, Status
from ninja.errors import HttpError

from sujarit.geo.models import Subdistrict
from sujarit.network import actions, queries
from sujarit.network.actions import ActivityInput
from sujarit.network.api.common import action_errors, page, verified_session, writer
from sujarit.network.api.schemas import ActivityDetailOut, ActivityIn, ActivityOut, ActivityPatch
from sujarit.network.models import Activity, ActivityKind, Member, Organization, PlanActivity

router = Router(tags=["network"])


def _queryset() -> Any:
    return Activity.objects.prefetch_related(
        Prefetch("organizers", queryset=Organization.objects.only("code")),
        "attendance",
        Prefetch("members", queryset=Member.objects.only("pk")),
    )


def _out(activity: Activity) -> dict[str, Any]:
    attendance = {row.group: row.count for row in activity.attendance.all()}
    return {
        "id": activity.pk,
        "title": activity.title,
        "kind": activity.kind,
        "held_on": activity.held_on,
        "ends_on": activity.ends_on,
        "place": activity.place,
        "subdistrict_code": activity.subdistrict_id,
        "organizer_codes": [org.code for org in activity.organizers.all()],
        "plan_activity_id": activity.plan_activity_id,
        "quantity": float(activity.quantity) if activity.quantity is not None else None,
        "attendance": attendance,
        "total_attendance": sum(attendance.values()),
        # A count only: who took part is personal data.
        "member_count": len(activity.members.all()),
        "is_demo": activity.is_demo,
        "url": reverse("network:activity", args=[activity.pk]),
    }


@router.get("/activities", response=list[ActivityOut], summary="List activities")
def list_activities(
    request: HttpRequest,
    start: dt.date | None = None,
    end: dt.date | None = None,
    organization: str | None = None,
    plan_activity: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Activities, newest first; ``start`` and ``end`` bound the date (inclusive)."""
    queryset = _queryset()
    if start:
        queryset = queryset.filter(held_on__gte=start)
    if end:
        queryset = queryset.filter(held_on__lte=end)
    if organization:
        queryset = queryset.filter(organizers__code=organization)
    if plan_activity:
        queryset = queryset.filter(plan_activity_id=plan_activity)
    rows = queryset.order_by("-held_on", "-pk")[page(limit, offset)]
    return [_out(activity) for activity in rows]


@router.get("/activities/{activity_id}", response=ActivityDetailOut, summary="One activity")
def get_activity(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    activity = _queryset().filter(pk=activity_id).first()
    if activity is None:
        raise HttpError(404, _("No such activity."))
    return {**_out(activity), "report": activity.report}


def _input(values: dict[str, Any], *, is_demo: bool = False) -> ActivityInput:
    if values["kind"] not in ActivityKind.values:
        raise HttpError(400, _("Unknown type “%(value)s”.") % {"value": values["kind"]})
    codes = values.get("organizer_codes") or []
    organizers = list(Organization.objects.filter(code__in=codes).select_related("province"))
    if len(organizers) != len(set(codes)):
        raise HttpError(400, _("An organizer code is unknown."))
    subdistrict = None
    if values.get("subdistrict_code"):
        subdistrict = (
            Subdistrict.objects.select_related("province")
            .defer("boundary", "province__boundary")
            .filter(code=values["subdistrict_code"])
            .first()
        )
        if subdistrict is None:
            raise HttpError(
                400, _("Unknown area code %(code)s.") % {"code": values["subdistrict_code"]}
            )
    planned = None
    if values.get("plan_activity_id"):
        planned = PlanActivity.objects.filter(pk=values["plan_activity_id"]).first()
        if planned is None:
            raise HttpError(400, _("Unknown plan activity."))
    quantity = values.get("quantity")
    return ActivityInput(
        title=values["title"],
        kind=values["kind"],
        held_on=values["held_on"],
        ends_on=values.get("ends_on"),
        place=values.get("place", ""),
        subdistrict=subdistrict,
        organizers=organizers,
        plan_activity=planned,
        quantity=Decimal(str(quantity)) if quantity is not None else None,
        report=values.get("report", ""),
        attendance=dict(values.get("attendance") or {}),
        is_demo=is_demo,
    )


@router.post(
    "/activities",
    response={201: ActivityDetailOut},
    auth=verified_session,
    summary="Record an activity",
)
def create_activity(request: HttpRequest, payload: ActivityIn) -> Status[Any]:
    """Record an activity; the plan activity it counts towards moves by the aggregate of its
    records, never by an increment."""
    user = writer(request)
    with action_errors():
        activity = actions.record_activity(values=_input(payload.model_dump()), by=user)
    return Status(201, get_activity(request, activity.pk))


@router.patch(
    "/activities/{activity_id}",
    response=ActivityDetailOut,
    auth=verified_session,
    summary="Change an activity",
)
def update_activity(
    request: HttpRequest, activity_id: int, payload: ActivityPatch
) -> dict[str, Any]:
    user = writer(request)
    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None:
        raise HttpError(404, _("No such activity."))
    if not queries.can_edit_activity(user, activity):
        raise HttpError(403, _("You may not change this record."))
    values: dict[str, Any] = {
        "title": activity.title,
        "kind": activity.kind,
        "held_on": activity.held_on,
        "ends_on": activity.ends_on,
        "place": activity.place,
        "subdistrict_code": activity.subdistrict_id,
        "organizer_codes": [org.code for org in activity.organizers.all()],
        "plan_activity_id": activity.plan_activity_id,
        "quantity": activity.quantity,
        "attendance": {row.group: row.count for row in activity.attendance.all()},
        "report": activity.report,
    }
    values.update(payload.model_dump(exclude_unset=True))
    activity_input = _input(values, is_demo=activity.is_demo)
    # The member list is kept as it is: the API never reads or writes who took part.
    activity_input.members = list(activity.members.all())
    with action_errors():
        actions.update_activity(activity=activity, values=activity_input, by=user)
    return get_activity(request, activity.pk)
