"""Progress rolls up with weights, from activities that are counted, never incremented."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pytest_django import DjangoAssertNumQueries

from sujarit.audit.models import AuditEvent
from sujarit.network import actions
from sujarit.network.models import (
    AreaLevel,
    AttendanceGroup,
    Measure,
    PlanStatus,
    ProgressSnapshot,
)
from sujarit.network.progress import (
    achieved_value,
    area_rollup,
    plan_progress,
    plans_progress,
    province_history,
    weighted_mean,
)
from sujarit.network.tests.conftest import PlanSetup, Tree, make_plan, planned, record

pytestmark = pytest.mark.django_db

R, Y = AttendanceGroup.RESIDENTS.value, AttendanceGroup.YOUTH.value


def test_weighted_mean_skips_unknown_values_and_zero_weights() -> None:
    assert weighted_mean([(3, 0.5), (1, 1.0)]) == pytest.approx(0.625)
    assert weighted_mean([(1, None), (0, 1.0), (2, 0.25)]) == pytest.approx(0.25)
    assert weighted_mean([]) is None


def test_plan_progress_is_weighted_from_activity_to_pillar_to_plan(
    network: Tree, plan_setup: PlanSetup
) -> None:
    s = plan_setup
    # 50 of 100 people trained (weight 3), 2 of 4 campaigns (weight 1), 5 of 10 projects.
    record([network.mueang], plan_activity=s.trained, attendance={R: 30, Y: 20})
    record([network.mueang], plan_activity=s.campaigns)
    record([network.mueang], plan_activity=s.campaigns)
    record([network.mueang], plan_activity=s.monitored, quantity=Decimal("5"))
    progress = plan_progress(s.plan)
    pillar1, pillar2, pillar3, pillar4 = progress.pillars
    assert [a.achieved for a in pillar1.activities] == [Decimal(50), Decimal(2)]
    assert pillar1.ratio == pytest.approx((3 * 0.5 + 1 * 0.5) / 4)
    assert pillar2.ratio is None and pillar3.ratio is None
    assert pillar4.ratio == pytest.approx(0.5)
    assert progress.ratio == pytest.approx(0.5)

    # Pillar 4 weighs 3 times pillar 1; 100 % there moves the plan to (0.5 + 3) / 4.
    actions.set_pillar_weights(plan=s.plan, weights={4: Decimal("3")}, by=None)
    record([network.mueang], plan_activity=s.monitored, quantity=Decimal("9"))
    progress = plan_progress(s.plan)
    assert progress.pillars[3].ratio == 1.0  # 14 of 10 is capped at 100 %
    assert progress.ratio == pytest.approx((1 * 0.5 + 3 * 1.0) / 4)
    assert progress.percent == 88


def test_activity_weights_change_the_pillar(network: Tree, plan_setup: PlanSetup) -> None:
    s = plan_setup
    record([network.mueang], plan_activity=s.trained, attendance={R: 100})
    assert plan_progress(s.plan).pillars[0].ratio == pytest.approx(3 / 4)
    actions.update_plan_activity(
        activity=s.trained,
        values=actions.PlanActivityInput(
            pillar=1,
            title=s.trained.title,
            target=Decimal(100),
            unit="คน",
            measure=Measure.ATTENDANCE,
            weight=Decimal("1"),
        ),
        by=None,
    )
    assert plan_progress(s.plan).pillars[0].ratio == pytest.approx(1 / 2)


def test_editing_an_activity_replaces_its_numbers_instead_of_adding_them(
    network: Tree, plan_setup: PlanSetup
) -> None:
    s = plan_setup
    activity = record([network.mueang], plan_activity=s.trained, attendance={R: 40})
    assert achieved_value(s.trained) == 40
    for attendance in ({R: 40, Y: 15}, {R: 25}, {R: 25}):
        actions.update_activity(
            activity=activity,
            values=actions.ActivityInput(
                title=activity.title,
                kind=activity.kind,
                held_on=activity.held_on,
                organizers=[network.mueang],
                plan_activity=s.trained,
                attendance=attendance,
            ),
            by=None,
        )
        assert achieved_value(s.trained) == sum(attendance.values())
    assert activity.attendance.count() == 1


def test_moving_an_activity_to_another_plan_activity_counts_it_only_there(
    network: Tree, plan_setup: PlanSetup
) -> None:
    s = plan_setup
    activity = record([network.mueang], plan_activity=s.campaigns, attendance={R: 10})
    assert (achieved_value(s.campaigns), achieved_value(s.trained)) == (Decimal(1), Decimal(0))
    actions.update_activity(
        activity=activity,
        values=actions.ActivityInput(
            title=activity.title,
            kind=activity.kind,
            held_on=activity.held_on,
            organizers=[network.mueang],
            plan_activity=s.trained,
            attendance={R: 10},
        ),
        by=None,
    )
    assert (achieved_value(s.campaigns), achieved_value(s.trained)) == (Decimal(0), Decimal(10))


def test_deleting_an_activity_takes_it_out_of_the_progress(
    network: Tree, plan_setup: PlanSetup
) -> None:
    s = plan_setup
    kept = record([network.mueang], plan_activity=s.trained, attendance={R: 30})
    gone = record([network.mueang], plan_activity=s.trained, attendance={R: 20, Y: 20})
    assert achieved_value(s.trained) == 70
    gone_id = gone.pk
    actions.delete_activity(activity=gone, by=None)
    assert achieved_value(s.trained) == 30
    assert kept.attendance.count() == 1
    assert AuditEvent.objects.filter(
        action="network.activity_deleted", target_id=str(gone_id)
    ).exists()
    # The snapshot of the day follows: the latest one wins, no second row.
    snapshot = ProgressSnapshot.objects.get(plan=s.plan)
    assert snapshot.progress == pytest.approx(plan_progress(s.plan).ratio)


def test_progress_as_of_a_day_counts_only_activities_held_by_then(
    network: Tree, plan_setup: PlanSetup
) -> None:
    s = plan_setup
    record(
        [network.mueang], plan_activity=s.trained, attendance={R: 20}, held_on=dt.date(2025, 10, 10)
    )
    record(
        [network.mueang], plan_activity=s.trained, attendance={R: 60}, held_on=dt.date(2026, 2, 1)
    )
    early = plans_progress([s.plan], as_of=dt.date(2025, 12, 31))[s.plan.pk]
    assert early.pillars[0].activities[0].achieved == 20


def test_plans_progress_takes_two_queries_for_any_number_of_plans(
    network: Tree, plan_setup: PlanSetup, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    other = make_plan(network.bang_khla)
    planned(other, 2, Measure.ACTIVITIES, 3)
    with django_assert_num_queries(2):
        progress = plans_progress([plan_setup.plan, other])
    assert set(progress) == {plan_setup.plan.pk, other.pk}


def test_area_rollup_weights_plans_and_leaves_drafts_out(network: Tree) -> None:
    # Mueang district plan: 100 %; Na Mueang subdistrict plan (in Mueang): 0 %, weight 3;
    # Bang Khla district plan: 50 %; a draft at 100 % that must not count.
    mueang = make_plan(network.mueang)
    full = planned(mueang, 1, Measure.ACTIVITIES, 1)
    record([network.mueang], plan_activity=full)
    na_mueang = make_plan(
        network.na_mueang,
        area_level=AreaLevel.SUBDISTRICT,
        subdistrict=network.na_mueang.subdistrict,
        weight=Decimal("3"),
    )
    planned(na_mueang, 1, Measure.ACTIVITIES, 2)
    bang_khla = make_plan(network.bang_khla)
    half = planned(bang_khla, 2, Measure.ACTIVITIES, 2)
    record([network.bang_khla], plan_activity=half)
    draft = make_plan(network.bang_khla, status=PlanStatus.DRAFT)
    planned(draft, 1, Measure.ACTIVITIES, 1)
    other_year = make_plan(network.bang_khla, fiscal_year=2570)
    planned(other_year, 1, Measure.ACTIVITIES, 1)

    rollup = area_rollup("24", 2569)
    assert rollup.subdistricts["240101"].ratio == 0.0
    assert rollup.districts["2401"].ratio == pytest.approx((1 * 1.0 + 3 * 0.0) / 4)
    assert rollup.districts["2402"].ratio == pytest.approx(0.5)
    assert rollup.province.ratio == pytest.approx((1.0 + 0.0 + 0.5) / 5)
    assert {item.plan.pk for item in rollup.plans} == {mueang.pk, na_mueang.pk, bang_khla.pk}


def test_snapshots_record_the_history_and_the_province_carries_values_forward(
    network: Tree, plan_setup: PlanSetup
) -> None:
    s = plan_setup
    actions.take_snapshot(s.plan, day=dt.date(2025, 10, 31))
    record([network.mueang], plan_activity=s.campaigns)
    actions.take_snapshot(s.plan, day=dt.date(2025, 11, 30))
    other = make_plan(network.bang_khla, weight=Decimal("3"))
    target = planned(other, 1, Measure.ACTIVITIES, 1)
    record([network.bang_khla], plan_activity=target)
    actions.take_snapshot(other, day=dt.date(2025, 12, 31))
    history = province_history("24", 2569)
    days = [day for day, _value in history]
    assert days[:3] == [dt.date(2025, 10, 31), dt.date(2025, 11, 30), dt.date(2025, 12, 31)]
    plan_value = dict(history)[dt.date(2025, 11, 30)]
    assert dict(history)[dt.date(2025, 12, 31)] == pytest.approx((plan_value + 3 * 1.0) / 4)


def test_a_plan_with_nothing_to_measure_has_no_progress_and_no_snapshot(network: Tree) -> None:
    plan = make_plan(network.mueang)
    assert plan_progress(plan).ratio is None
    assert actions.take_snapshot(plan) is None
    assert not ProgressSnapshot.objects.filter(plan=plan).exists()
