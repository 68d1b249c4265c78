"""Writes to activities: record, change, delete, add photos.

A plan activity's achieved value is an aggregate over the activities recorded against it,
never a counter: these functions only write the activity, then snapshot the progress of the
plans it touched (the old and the new plan when its link changes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sujarit.accounts.queries import AnyUser
from sujarit.audit.actions import record
from sujarit.geo.models import Province, Subdistrict
from sujarit.network import queries
from sujarit.network.actions.common import actor, apply_values, clean_photo, ensure
from sujarit.network.actions.plans import take_snapshot
from sujarit.network.models import (
    ActionPlan,
    Activity,
    ActivityPhoto,
    Attendance,
    AttendanceGroup,
    Member,
    Organization,
    PlanActivity,
)
from sujarit.network.tree import is_within


@dataclass
class ActivityInput:
    title: str
    kind: str
    held_on: dt.date
    organizers: list[Organization]
    ends_on: dt.date | None = None
    place: str = ""
    subdistrict: Subdistrict | None = None
    plan_activity: PlanActivity | None = None
    quantity: Decimal | None = None
    report: str = ""
    #: People by attendance group; groups left out count zero.
    attendance: dict[str, int] = field(default_factory=dict)
    members: list[Member] = field(default_factory=list)
    is_demo: bool = False

    def province(self) -> Province:
        if self.subdistrict is not None:
            return self.subdistrict.province
        for organization in self.organizers:
            if organization.province is not None:
                return organization.province
        return Province.objects.defer("boundary").get(code=settings.SUJARIT_PROVINCE)

    def values(self) -> dict[str, object]:
        return {
            "title": self.title.strip(),
            "kind": self.kind,
            "held_on": self.held_on,
            "ends_on": self.ends_on,
            "place": self.place.strip(),
            "subdistrict": self.subdistrict,
            "province": self.province(),
            "plan_activity": self.plan_activity,
            "quantity": self.quantity,
            "report": self.report.strip(),
            "is_demo": self.is_demo,
        }


def _check(values: ActivityInput, by: AnyUser | None, current: Activity | None) -> None:
    if not values.organizers:
        raise ValidationError({"organizers": _("Choose at least one organizer.")})
    unknown_groups = set(values.attendance) - set(AttendanceGroup.values)
    if unknown_groups or any(count < 0 for count in values.attendance.values()):
        raise ValidationError({"attendance": _("Attendance counts are whole numbers, 0 or more.")})
    organizer_paths = [org.path for org in values.organizers]
    for member in values.members:
        if not is_within(member.organization, organizer_paths):
            raise ValidationError(
                {"members": _("Only members of the organizers can be listed as taking part.")}
            )
    if by is None:
        return
    ensure(queries.can_record_activity(by, values.organizers))
    # Listing a person is a use of their personal data: only those who may read it add them.
    already = set(current.members.values_list("pk", flat=True)) if current is not None else set()
    added = [member for member in values.members if member.pk not in already]
    ensure(all(queries.can_manage_members(by, member.organization) for member in added))
    link = values.plan_activity
    unchanged_link = (
        current is not None and link is not None and current.plan_activity_id == link.pk
    )
    if (
        link is not None
        and not unchanged_link
        and not queries.linkable_plan_activities(by).filter(pk=link.pk).exists()
    ):
        raise ValidationError(
            {"plan_activity": _("This activity cannot count towards that plan activity.")}
        )


def _plan_of(plan_activity_id: int | None) -> ActionPlan | None:
    if plan_activity_id is None:
        return None
    return ActionPlan.objects.filter(pillars__activities__pk=plan_activity_id).first()


def _set_attendance(activity: Activity, attendance: dict[str, int]) -> bool:
    wanted = {group: count for group, count in attendance.items() if count > 0}
    current = {row.group: row for row in activity.attendance.all()}
    if {group: row.count for group, row in current.items()} == wanted:
        return False
    for group, row in current.items():
        if group not in wanted:
            row.delete()
        elif row.count != wanted[group]:
            row.count = wanted[group]
            row.save(update_fields=["count"])
    for group, count in wanted.items():
        if group not in current:
            Attendance.objects.create(activity=activity, group=group, count=count)
    return True


def _snapshot(*plans: ActionPlan | None) -> None:
    seen: set[int] = set()
    for plan in plans:
        if plan is not None and plan.pk not in seen:
            seen.add(plan.pk)
            take_snapshot(plan)


def _audit(action: str, activity: Activity, by: AnyUser | None, extra: dict[str, object]) -> None:
    record(
        actor=actor(by),
        action=action,
        target=activity,
        data={
            "plan_activity": activity.plan_activity_id,
            "held_on": activity.held_on.isoformat(),
            **extra,
        },
    )


@transaction.atomic
def record_activity(*, values: ActivityInput, by: AnyUser | None) -> Activity:
    _check(values, by, None)
    activity = Activity(created_by=actor(by))
    apply_values(activity, values.values())
    activity.full_clean()
    activity.save()
    activity.organizers.set(values.organizers)
    activity.members.set(values.members)
    _set_attendance(activity, values.attendance)
    _audit(
        "network.activity_recorded",
        activity,
        by,
        {
            "organizers": [org.code for org in values.organizers],
            "attendance": sum(values.attendance.values()),
        },
    )
    _snapshot(_plan_of(activity.plan_activity_id))
    return activity


@transaction.atomic
def update_activity(*, activity: Activity, values: ActivityInput, by: AnyUser | None) -> list[str]:
    if by is not None:
        ensure(queries.can_edit_activity(by, activity))
    _check(values, by, activity)
    previous_plan = _plan_of(activity.plan_activity_id)
    changed = apply_values(activity, values.values())
    if changed:
        activity.full_clean()
        activity.save()
    if {o.pk for o in activity.organizers.all()} != {o.pk for o in values.organizers}:
        activity.organizers.set(values.organizers)
        changed.append("organizers")
    if {m.pk for m in activity.members.all()} != {m.pk for m in values.members}:
        activity.members.set(values.members)
        changed.append("members")
    if _set_attendance(activity, values.attendance):
        changed.append("attendance")
    if changed:
        _audit("network.activity_updated", activity, by, {"fields": sorted(changed)})
        _snapshot(previous_plan, _plan_of(activity.plan_activity_id))
    return changed


@transaction.atomic
def delete_activity(*, activity: Activity, by: AnyUser | None) -> None:
    if by is not None:
        ensure(queries.can_edit_activity(by, activity))
    plan = _plan_of(activity.plan_activity_id)
    _audit("network.activity_deleted", activity, by, {})
    photos = [photo.image.name for photo in activity.photos.all() if photo.image.name]
    activity.delete()
    _delete_files_after_commit(photos)
    _snapshot(plan)


def _delete_files_after_commit(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    def delete() -> None:
        for name in names:
            if name:
                default_storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def add_activity_photo(
    *, activity: Activity, data: bytes, caption: str, by: AnyUser | None
) -> ActivityPhoto:
    if by is not None:
        ensure(queries.can_edit_activity(by, activity))
    content, content_type = clean_photo(data)
    photo = ActivityPhoto(
        activity=activity, caption=caption.strip()[:255], content_type=content_type
    )
    photo.image.save(content.name or "photo", content, save=False)
    photo.save()
    record(
        actor=actor(by),
        action="network.activity_photo_added",
        target=activity,
        data={"photo": photo.pk, "bytes": content.size},
    )
    return photo
