"""Writes to action plans: the plan, its pillars' weights, its activities, its status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sujarit.accounts.queries import AnyUser
from sujarit.audit.actions import record
from sujarit.geo.models import District, Province, Subdistrict
from sujarit.network import queries
from sujarit.network.actions.common import actor, apply_values, ensure
from sujarit.network.models import (
    ActionPlan,
    AreaLevel,
    Organization,
    Pillar,
    PlanActivity,
    PlanPillar,
    PlanStatus,
    PlanStatusChange,
    ProgressSnapshot,
)
from sujarit.network.progress import plan_progress

#: The moves a plan's status may make.
TRANSITIONS: dict[str, frozenset[str]] = {
    PlanStatus.DRAFT: frozenset({PlanStatus.APPROVED}),
    PlanStatus.APPROVED: frozenset({PlanStatus.ACTIVE, PlanStatus.DRAFT}),
    PlanStatus.ACTIVE: frozenset({PlanStatus.COMPLETED}),
    PlanStatus.COMPLETED: frozenset({PlanStatus.ACTIVE}),
}


@dataclass
class PlanInput:
    title: str
    organization: Organization
    area_level: str
    fiscal_year: int
    province: Province | None = None
    district: District | None = None
    subdistrict: Subdistrict | None = None
    weight: Decimal = Decimal("1")
    summary: str = ""
    is_demo: bool = False

    def values(self) -> dict[str, object]:
        subdistrict, district, province = self.subdistrict, self.district, self.province
        if self.area_level == AreaLevel.SUBDISTRICT:
            if subdistrict is None:
                raise ValidationError({"subdistrict": _("Choose the subdistrict.")})
            district, province = subdistrict.district, subdistrict.province
        elif self.area_level == AreaLevel.DISTRICT:
            if district is None:
                raise ValidationError({"district": _("Choose the district.")})
            subdistrict, province = None, district.province
        else:
            if province is None:
                raise ValidationError({"province": _("Choose the province.")})
            subdistrict, district = None, None
        return {
            "title": self.title.strip(),
            "organization": self.organization,
            "area_level": self.area_level,
            "province": province,
            "district": district,
            "subdistrict": subdistrict,
            "fiscal_year": self.fiscal_year,
            "weight": self.weight,
            "summary": self.summary.strip(),
            "is_demo": self.is_demo,
        }


def take_snapshot(plan: ActionPlan, *, day: dt.date | None = None) -> ProgressSnapshot | None:
    """Record the plan's progress for the day (one row per plan and day, the latest wins).

    A plan with nothing to measure yet has no progress, and no snapshot.
    """
    ratio = plan_progress(plan).ratio
    if ratio is None:
        return None
    snapshot, _created = ProgressSnapshot.objects.update_or_create(
        plan=plan, taken_on=day or timezone.localdate(), defaults={"progress": ratio}
    )
    return snapshot


@transaction.atomic
def create_plan(*, values: PlanInput, by: AnyUser | None) -> ActionPlan:
    """A draft plan with its four pillars (weight 1 each)."""
    if by is not None:
        ensure(queries.can_add_plan(by, values.organization))
    plan = ActionPlan()
    apply_values(plan, values.values())
    plan.full_clean()
    plan.save()
    PlanPillar.objects.bulk_create(PlanPillar(plan=plan, pillar=p) for p in Pillar.values)
    PlanStatusChange.objects.create(
        plan=plan, from_status="", to_status=plan.status, by=actor(by), at=timezone.now()
    )
    record(
        actor=actor(by),
        action="network.plan_created",
        target=plan,
        data={
            "organization": plan.organization.code,
            "area_level": plan.area_level,
            "fiscal_year": plan.fiscal_year,
        },
    )
    return plan


@transaction.atomic
def update_plan(*, plan: ActionPlan, values: PlanInput, by: AnyUser | None) -> list[str]:
    if by is not None:
        ensure(queries.can_edit_plan(by, plan))
        if values.organization.pk != plan.organization_id:
            ensure(queries.can_add_plan(by, values.organization))
    changed = apply_values(plan, values.values())
    if not changed:
        return []
    plan.full_clean()
    plan.save()
    record(actor=actor(by), action="network.plan_updated", target=plan, data={"fields": changed})
    return changed


@transaction.atomic
def change_plan_status(
    *, plan: ActionPlan, to: str, by: AnyUser | None, note: str = ""
) -> PlanStatusChange:
    if by is not None:
        ensure(queries.can_edit_plan(by, plan))
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if to not in TRANSITIONS.get(plan.status, frozenset()):
        raise ValidationError(
            _("A plan cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": PlanStatus(plan.status).label,
                "to": PlanStatus(to).label if to in PlanStatus.values else to,
            }
        )
    change = PlanStatusChange.objects.create(
        plan=plan,
        from_status=plan.status,
        to_status=to,
        by=actor(by),
        at=timezone.now(),
        note=note.strip()[:255],
    )
    record(
        actor=actor(by),
        action="network.plan_status_changed",
        target=plan,
        data={"from": plan.status, "to": to},
    )
    plan.status = to
    plan.save(update_fields=["status", "updated_at"])
    return change


@transaction.atomic
def set_pillar_weights(
    *, plan: ActionPlan, weights: dict[int, Decimal], by: AnyUser | None
) -> list[int]:
    """Change the weights of the pillars named in ``weights``; returns the pillars changed."""
    if by is not None:
        ensure(queries.can_edit_plan(by, plan))
    changed: list[int] = []
    for pillar in PlanPillar.objects.filter(plan=plan, pillar__in=list(weights)):
        weight = weights[pillar.pillar]
        if weight < 0:
            raise ValidationError(_("A weight cannot be negative."))
        if pillar.weight != weight:
            pillar.weight = weight
            pillar.save(update_fields=["weight"])
            changed.append(pillar.pillar)
    if changed:
        record(
            actor=actor(by),
            action="network.plan_weights_changed",
            target=plan,
            data={"pillars": changed, "weights": {str(k): str(weights[k]) for k in changed}},
        )
        take_snapshot(plan)
    return changed


@dataclass
class PlanActivityInput:
    pillar: int
    title: str
    target: Decimal
    unit: str
    measure: str
    weight: Decimal = Decimal("1")
    order: int = 0


def _plan_activity_values(plan: ActionPlan, values: PlanActivityInput) -> dict[str, object]:
    pillar = PlanPillar.objects.filter(plan=plan, pillar=values.pillar).first()
    if pillar is None:
        raise ValidationError({"pillar": _("Choose one of the four pillars.")})
    return {
        "pillar": pillar,
        "title": values.title.strip(),
        "target": values.target,
        "unit": values.unit.strip(),
        "measure": values.measure,
        "weight": values.weight,
        "order": values.order,
    }


@transaction.atomic
def add_plan_activity(
    *, plan: ActionPlan, values: PlanActivityInput, by: AnyUser | None
) -> PlanActivity:
    if by is not None:
        ensure(queries.can_edit_plan(by, plan))
    activity = PlanActivity()
    apply_values(activity, _plan_activity_values(plan, values))
    activity.full_clean()
    activity.save()
    record(
        actor=actor(by),
        action="network.plan_activity_added",
        target=activity,
        data={"plan": plan.pk, "pillar": values.pillar, "target": str(values.target)},
    )
    take_snapshot(plan)
    return activity


@transaction.atomic
def update_plan_activity(
    *, activity: PlanActivity, values: PlanActivityInput, by: AnyUser | None
) -> list[str]:
    plan = activity.pillar.plan
    if by is not None:
        ensure(queries.can_edit_plan(by, plan))
    changed = apply_values(activity, _plan_activity_values(plan, values))
    if not changed:
        return []
    activity.full_clean()
    activity.save()
    record(
        actor=actor(by),
        action="network.plan_activity_updated",
        target=activity,
        data={"plan": plan.pk, "fields": changed},
    )
    take_snapshot(plan)
    return changed


@transaction.atomic
def delete_plan_activity(*, activity: PlanActivity, by: AnyUser | None) -> None:
    """Remove a planned activity; activities recorded against it stay, unlinked."""
    plan = activity.pillar.plan
    if by is not None:
        ensure(queries.can_edit_plan(by, plan))
    record(
        actor=actor(by),
        action="network.plan_activity_deleted",
        target=activity,
        data={"plan": plan.pk, "pillar": activity.pillar.pillar},
    )
    activity.delete()
    take_snapshot(plan)
