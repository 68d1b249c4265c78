"""Progress of action plans, derived from the activities recorded against them.

Nothing here is stored: achieved values are aggregates over the activities, so editing or
deleting an activity can never count it twice. The roll-up, weighted at every step:

* a plan activity's progress is ``min(achieved / target, 1)``;
* a pillar's is the weighted mean of its activities' progress (weights per activity);
* a plan's is the weighted mean of its pillars' progress (weights per pillar), over the
  pillars that hold at least one activity;
* an area's (subdistrict, district, province) is the weighted mean of the progress of the
  plans in it (weights per plan), over the plans past their draft.

A step with nothing to average (no activity, or every weight zero) has no progress (``None``)
and is left out of the step above, rather than counted as zero.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from sujarit.network.models import (
    COUNTED_STATUSES,
    ActionPlan,
    Activity,
    Attendance,
    Measure,
    Pillar,
    PlanActivity,
    PlanPillar,
    ProgressSnapshot,
)

ZERO = Decimal("0")


def weighted_mean(pairs: Iterable[tuple[Decimal | float, float | None]]) -> float | None:
    """Σ weight × value / Σ weight over the pairs whose value is known and weight positive."""
    total_weight = 0.0
    total = 0.0
    for weight, value in pairs:
        if value is None or float(weight) <= 0:
            continue
        total_weight += float(weight)
        total += float(weight) * value
    if total_weight == 0:
        return None
    return total / total_weight


@dataclass
class ActivityProgress:
    activity: PlanActivity
    achieved: Decimal
    records: int

    @property
    def ratio(self) -> float:
        if self.activity.target <= 0:
            return 0.0
        return min(float(self.achieved / self.activity.target), 1.0)

    @property
    def percent(self) -> int:
        return round(self.ratio * 100)


@dataclass
class PillarProgress:
    pillar: PlanPillar
    activities: list[ActivityProgress] = field(default_factory=list)

    @property
    def code(self) -> int:
        return self.pillar.pillar

    @property
    def label(self) -> str:
        return str(Pillar(self.pillar.pillar).label)

    @property
    def ratio(self) -> float | None:
        return weighted_mean((a.activity.weight, a.ratio) for a in self.activities)

    @property
    def percent(self) -> int | None:
        ratio = self.ratio
        return None if ratio is None else round(ratio * 100)


@dataclass
class PlanProgress:
    plan: ActionPlan
    pillars: list[PillarProgress] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        return weighted_mean((p.pillar.weight, p.ratio) for p in self.pillars)

    @property
    def percent(self) -> int | None:
        ratio = self.ratio
        return None if ratio is None else round(ratio * 100)


def _achieved_queryset(as_of: dt.date | None) -> QuerySet[PlanActivity]:
    """Plan activities annotated with the three aggregates a measure can use.

    Each aggregate is its own subquery: joining attendance and records in one query would
    multiply the rows and count people once per attendance group.
    """
    records = Activity.objects.filter(plan_activity=OuterRef("pk"))
    attendance = Attendance.objects.filter(activity__plan_activity=OuterRef("pk"))
    if as_of is not None:
        records = records.filter(held_on__lte=as_of)
        attendance = attendance.filter(activity__held_on__lte=as_of)
    decimal = DecimalField(max_digits=14, decimal_places=2)
    return PlanActivity.objects.annotate(
        record_count=Coalesce(
            Subquery(
                records.values("plan_activity").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            0,
        ),
        quantity_sum=Coalesce(
            Subquery(
                records.values("plan_activity").annotate(s=Sum("quantity")).values("s"),
                output_field=decimal,
            ),
            ZERO,
            output_field=decimal,
        ),
        attendance_sum=Coalesce(
            Subquery(
                attendance.values("activity__plan_activity").annotate(s=Sum("count")).values("s"),
                output_field=IntegerField(),
            ),
            0,
        ),
    )


def _achieved(activity: PlanActivity) -> Decimal:
    if activity.measure == Measure.ACTIVITIES:
        return Decimal(getattr(activity, "record_count", 0))
    if activity.measure == Measure.QUANTITY:
        return Decimal(getattr(activity, "quantity_sum", ZERO) or ZERO)
    return Decimal(getattr(activity, "attendance_sum", 0) or 0)


def plans_progress(
    plans: Iterable[ActionPlan], *, as_of: dt.date | None = None
) -> dict[int, PlanProgress]:
    """The progress of each plan, by plan id, in two queries whatever the number of plans.

    ``as_of`` counts only the activities held on or before that day.
    """
    by_id = {plan.pk: PlanProgress(plan) for plan in plans}
    if not by_id:
        return {}
    pillars: dict[int, PillarProgress] = {}
    for pillar in PlanPillar.objects.filter(plan_id__in=by_id).order_by("plan_id", "pillar"):
        pillar_progress = PillarProgress(pillar)
        pillars[pillar.pk] = pillar_progress
        by_id[pillar.plan_id].pillars.append(pillar_progress)
    activities = (
        _achieved_queryset(as_of).filter(pillar_id__in=pillars).order_by("pillar_id", "order", "pk")
    )
    for activity in activities:
        pillars[activity.pillar_id].activities.append(
            ActivityProgress(
                activity=activity,
                achieved=_achieved(activity),
                records=int(getattr(activity, "record_count", 0)),
            )
        )
    return by_id


def plan_progress(plan: ActionPlan, *, as_of: dt.date | None = None) -> PlanProgress:
    return plans_progress([plan], as_of=as_of)[plan.pk]


def achieved_value(plan_activity: PlanActivity) -> Decimal:
    """The achieved value of one plan activity, as derived from its records."""
    return _achieved(_achieved_queryset(None).get(pk=plan_activity.pk))


# --- Areas -----------------------------------------------------------------------------------


@dataclass
class AreaProgress:
    code: str
    plans: list[PlanProgress] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        return weighted_mean((p.plan.weight, p.ratio) for p in self.plans)

    @property
    def percent(self) -> int | None:
        ratio = self.ratio
        return None if ratio is None else round(ratio * 100)


@dataclass
class AreaRollup:
    """Progress of one fiscal year of a province, and of each district and subdistrict."""

    province: AreaProgress
    districts: dict[str, AreaProgress]
    subdistricts: dict[str, AreaProgress]
    plans: list[PlanProgress]


def counted_plans(province_code: str, fiscal_year: int) -> QuerySet[ActionPlan]:
    return (
        ActionPlan.objects.filter(
            province_id=province_code, fiscal_year=fiscal_year, status__in=COUNTED_STATUSES
        )
        .select_related("organization", "district", "subdistrict")
        .defer("organization__description", "district__boundary", "subdistrict__boundary")
    )


def area_rollup(province_code: str, fiscal_year: int) -> AreaRollup:
    """Roll the plans of a province up to subdistricts, districts and the province.

    A district's figure combines its district plans and the plans of its subdistricts; the
    province's combines every plan. Three queries.
    """
    plans = list(counted_plans(province_code, fiscal_year))
    progress = plans_progress(plans)
    province = AreaProgress(province_code)
    districts: dict[str, AreaProgress] = defaultdict(lambda: AreaProgress(""))
    subdistricts: dict[str, AreaProgress] = defaultdict(lambda: AreaProgress(""))
    for plan in plans:
        item = progress[plan.pk]
        province.plans.append(item)
        if plan.district_id:
            districts[plan.district_id].code = plan.district_id
            districts[plan.district_id].plans.append(item)
        if plan.subdistrict_id:
            subdistricts[plan.subdistrict_id].code = plan.subdistrict_id
            subdistricts[plan.subdistrict_id].plans.append(item)
    return AreaRollup(
        province=province,
        districts=dict(districts),
        subdistricts=dict(subdistricts),
        plans=[progress[plan.pk] for plan in plans],
    )


# --- History ---------------------------------------------------------------------------------


def plan_history(plan: ActionPlan) -> list[tuple[dt.date, float]]:
    return [
        (snapshot.taken_on, snapshot.progress)
        for snapshot in ProgressSnapshot.objects.filter(plan=plan).order_by("taken_on")
    ]


def province_history(province_code: str, fiscal_year: int) -> list[tuple[dt.date, float]]:
    """The province's weighted progress on each day any of its counted plans was snapshot.

    Between two snapshots a plan keeps its last value (carried forward), and a plan counts
    from its first snapshot on.
    """
    weights = dict(counted_plans(province_code, fiscal_year).values_list("pk", "weight"))
    snapshots = ProgressSnapshot.objects.filter(plan_id__in=weights).order_by("taken_on", "plan")
    latest: dict[int, float] = {}
    by_day: dict[dt.date, float | None] = {}
    for snapshot in snapshots:
        latest[snapshot.plan_id] = snapshot.progress
        by_day[snapshot.taken_on] = weighted_mean(
            (weights[plan_id], value) for plan_id, value in latest.items()
        )
    return [(day, value) for day, value in by_day.items() if value is not None]
