"""The network's writes: each records its audit event, refuses what it must, keeps no
personal data in the log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from sujarit.accounts.models import User
from sujarit.audit.models import AuditEvent
from sujarit.network import actions
from sujarit.network.models import (
    AttendanceGroup,
    Member,
    MemberRole,
    PlanStatus,
    PlanStatusChange,
)
from sujarit.network.tests.conftest import PlanSetup, Tree, join, make_plan, record

pytestmark = pytest.mark.django_db


def last(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("id").last()
    assert event is not None, action
    return event


def test_creating_an_organization_is_audited_with_its_actor(
    network: Tree, people: dict[str, User]
) -> None:
    created = actions.create_organization(
        values=actions.OrganizationInput(
            code="Group-1",
            name_th="กลุ่มหนึ่ง",
            kind="community_organization",
            level="village",
            parent=network.na_mueang,
            subdistrict=network.na_mueang.subdistrict,
            village="หมู่ 5",
        ),
        by=people["malee"],
    )
    assert created.code == "group-1"
    event = last("network.organization_created")
    assert (event.actor, event.target_id, event.data["parent"]) == (
        people["malee"],
        str(created.pk),
        network.na_mueang.pk,
    )


def test_a_coordinator_cannot_add_outside_the_subtree(
    network: Tree, people: dict[str, User]
) -> None:
    with pytest.raises(PermissionDenied):
        actions.create_organization(
            values=actions.OrganizationInput(
                code="g",
                name_th="g",
                kind="network",
                level="district",
                parent=network.bang_khla,
                district=network.bang_khla.district,
            ),
            by=people["malee"],
        )
    with pytest.raises(PermissionDenied):
        actions.update_organization(
            organization=network.mueang,
            values=actions.OrganizationInput(
                code="net-2401",
                name_th="ใหม่",
                kind="network",
                level="district",
                parent=network.province,
                district=network.mueang.district,
            ),
            by=people["malee"],
        )


def test_moving_needs_the_right_on_the_new_parent(network: Tree, people: dict[str, User]) -> None:
    with pytest.raises(PermissionDenied):
        actions.update_organization(
            organization=network.village,
            values=actions.OrganizationInput(
                code=network.village.code,
                name_th="x",
                kind=network.village.kind,
                level="village",
                parent=network.bang_khla_council,
                subdistrict=network.village.subdistrict,
                village="หมู่ 3",
            ),
            by=people["malee"],
        )


def test_members_are_audited_without_their_personal_data(
    network: Tree, people: dict[str, User]
) -> None:
    member = actions.add_member(
        values=actions.MemberInput(
            code="m-x",
            organization=network.na_mueang,
            role=MemberRole.VOLUNTEER,
            full_name="นางสาวลับเฉพาะ",
            phone="089-999-9999",
            email="secret@example.org",
            trainings=[("STRONG", dt.date(2023, 3, 16))],
        ),
        by=people["malee"],
    )
    actions.update_member(
        member=member,
        values=actions.MemberInput(
            code="m-x",
            organization=network.na_mueang,
            role=MemberRole.TRAINER,
            full_name="นางสาวลับเฉพาะ",
            phone="089-111-1111",
        ),
        by=people["dara"],
    )
    actions.remove_member(member=member, by=people["malee"])
    events = AuditEvent.objects.filter(action__startswith="network.member_")
    assert [e.action for e in events.order_by("id")] == [
        "network.member_added",
        "network.member_added",
        "network.member_added",
        "network.member_added",
        "network.member_updated",
        "network.member_removed",
    ]
    assert last("network.member_updated").data["fields"] == ["email", "phone", "role"]
    for event in events:
        assert "ลับเฉพาะ" not in str(event.data) and "089" not in str(event.data)
        assert "secret@" not in str(event.data)
    assert not Member.objects.get(pk=member.pk).is_active


def test_platform_coordinators_do_not_manage_members(
    network: Tree, people: dict[str, User]
) -> None:
    with pytest.raises(PermissionDenied):
        actions.add_member(
            values=actions.MemberInput(
                code="m-y",
                organization=network.na_mueang,
                role=MemberRole.VOLUNTEER,
                full_name="ใครก็ได้",
            ),
            by=people["alice"],
        )


def test_only_network_member_accounts_are_linked(network: Tree, coordinator: User) -> None:
    with pytest.raises(ValidationError) as error:
        join(coordinator, network.mueang)
    assert "user" in error.value.message_dict


def test_plan_status_moves_in_order_with_history(network: Tree, people: dict[str, User]) -> None:
    plan = make_plan(network.mueang, status=PlanStatus.DRAFT)
    with pytest.raises(ValidationError):
        actions.change_plan_status(plan=plan, to=PlanStatus.COMPLETED, by=people["dara"])
    for step in (PlanStatus.APPROVED, PlanStatus.ACTIVE, PlanStatus.COMPLETED):
        actions.change_plan_status(plan=plan, to=step, by=people["dara"], note="ที่ประชุมเห็นชอบ")
    history = list(PlanStatusChange.objects.filter(plan=plan).order_by("at", "id"))
    assert [(h.from_status, h.to_status) for h in history] == [
        ("", "draft"),
        ("draft", "approved"),
        ("approved", "active"),
        ("active", "completed"),
    ]
    assert history[-1].by == people["dara"] and history[-1].note == "ที่ประชุมเห็นชอบ"
    assert last("network.plan_status_changed").data == {"from": "active", "to": "completed"}
    with pytest.raises(PermissionDenied):
        actions.change_plan_status(plan=plan, to=PlanStatus.ACTIVE, by=people["tom"])


def test_plan_area_must_match_its_level(network: Tree) -> None:
    with pytest.raises(ValidationError) as error:
        actions.create_plan(
            values=actions.PlanInput(
                title="x",
                organization=network.mueang,
                area_level="subdistrict",
                fiscal_year=2569,
            ),
            by=None,
        )
    assert "subdistrict" in error.value.message_dict
    with pytest.raises(ValidationError):
        actions.create_plan(
            values=actions.PlanInput(
                title="x",
                organization=network.mueang,
                area_level="district",
                district=network.mueang.district,
                fiscal_year=2025,
            ),
            by=None,
        )


def test_plan_creation_makes_four_pillars_and_is_audited(
    network: Tree, people: dict[str, User]
) -> None:
    plan = actions.create_plan(
        values=actions.PlanInput(
            title="แผนอำเภอ",
            organization=network.mueang,
            area_level="district",
            district=network.mueang.district,
            fiscal_year=2569,
        ),
        by=people["dara"],
    )
    assert [p.pillar for p in plan.pillars.all()] == [1, 2, 3, 4]
    assert plan.status == PlanStatus.DRAFT
    assert last("network.plan_created").actor == people["dara"]
    with pytest.raises(PermissionDenied):
        actions.create_plan(
            values=actions.PlanInput(
                title="x",
                organization=network.bang_khla,
                area_level="district",
                district=network.bang_khla.district,
                fiscal_year=2569,
            ),
            by=people["dara"],
        )


def test_plan_activities_are_audited_and_checked(network: Tree, plan_setup: PlanSetup) -> None:
    assert last("network.plan_activity_added").data["plan"] == plan_setup.plan.pk
    with pytest.raises(ValidationError):
        actions.add_plan_activity(
            plan=plan_setup.plan,
            values=actions.PlanActivityInput(
                pillar=5, title="x", target=Decimal(1), unit="x", measure="activities"
            ),
            by=None,
        )
    with pytest.raises(ValidationError):
        actions.add_plan_activity(
            plan=plan_setup.plan,
            values=actions.PlanActivityInput(
                pillar=1, title="x", target=Decimal(0), unit="x", measure="activities"
            ),
            by=None,
        )
    actions.delete_plan_activity(activity=plan_setup.campaigns, by=None)
    assert last("network.plan_activity_deleted").data["pillar"] == 1


def test_recording_an_activity_checks_rights_and_links(
    network: Tree, plan_setup: PlanSetup, people: dict[str, User]
) -> None:
    activity = record(
        [network.na_mueang],
        plan_activity=plan_setup.trained,
        attendance={AttendanceGroup.RESIDENTS: 12},
        by=people["tom"],
    )
    event = last("network.activity_recorded")
    assert event.actor == people["tom"] and event.data["attendance"] == 12
    assert activity.province_id == "24"
    with pytest.raises(PermissionDenied):
        record([network.bang_khla], by=people["tom"])
    unrelated = make_plan(network.bang_khla)
    from sujarit.network.tests.conftest import planned

    target = planned(unrelated, 1, "activities", 1)
    with pytest.raises(ValidationError) as error:
        record([network.na_mueang], plan_activity=target, by=people["tom"])
    assert "plan_activity" in error.value.message_dict
    with pytest.raises(ValidationError):
        record([], by=None)


def test_listing_members_needs_the_right_to_read_them(
    network: Tree, people: dict[str, User]
) -> None:
    volunteer = Member.objects.get(user=people["tom"])
    record([network.na_mueang], members=[volunteer], by=people["malee"])
    with pytest.raises(PermissionDenied):
        record([network.na_mueang], members=[volunteer], by=people["tom"])
    with pytest.raises(ValidationError):
        record([network.bang_khla], members=[volunteer], by=None)


def test_awards_count_against_the_contest_total(
    network: Tree, coordinator: User, outsider: User
) -> None:
    contest = actions.save_contest(
        values=actions.ContestInput(name_th="รางวัลสีขาว", year=2565, total_awards=1),
        by=coordinator,
        province_code="24",
    )
    actions.add_award(
        contest=contest,
        organization=network.mueang,
        category="ภาคประชาชน",
        by=coordinator,
        province_code="24",
    )
    with pytest.raises(ValidationError):
        actions.add_award(
            contest=contest,
            organization=network.bang_khla,
            category="",
            by=coordinator,
            province_code="24",
        )
    assert last("network.award_added").data["organization"] == "net-2401"
    with pytest.raises(ValidationError):
        actions.save_contest(
            values=actions.ContestInput(name_th="x", year=2022, total_awards=1),
            by=coordinator,
            province_code="24",
        )
    with pytest.raises(PermissionDenied):
        actions.save_contest(
            values=actions.ContestInput(name_th="y", year=2566, total_awards=1),
            by=outsider,
            province_code="24",
        )
