"""/api/v1/network/: public reads; writes for the right staff with a verified session."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.test import Client

import pytest
from pytest_django import DjangoAssertNumQueries

from sujarit.accounts.models import User
from sujarit.audit.models import AuditEvent
from sujarit.network.models import ActionPlan, Activity, AttendanceGroup, Organization
from sujarit.network.progress import achieved_value
from sujarit.network.tests.conftest import PlanSetup, Tree, make_plan, record

pytestmark = pytest.mark.django_db

API = "/api/v1/network"


def send(client: Client, method: str, url: str, body: Mapping[str, object]) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_organizations_list_and_detail(
    client: Client,
    network: Tree,
    people: dict[str, User],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_max_num_queries(2):
        rows = client.get(f"{API}/organizations").json()
    assert [row["code"] for row in rows][:2] == ["net-24", "net-2401"]
    na_mueang = next(row for row in rows if row["code"] == "council-240101")
    assert na_mueang["parent_code"] == "net-2401" and na_mueang["member_count"] == 2
    children = client.get(f"{API}/organizations", {"parent": "net-24"}).json()
    assert [row["code"] for row in children] == ["net-2401", "net-2402"]
    assert len(client.get(f"{API}/organizations", {"limit": 2}).json()) == 2
    detail = client.get(f"{API}/organizations/village-240101-3").json()
    assert detail["ancestors"] == ["net-24", "net-2401", "council-240101"]
    assert client.get(f"{API}/organizations/nobody").status_code == 404


def test_plans_list_and_detail_with_progress(
    client: Client,
    network: Tree,
    plan_setup: PlanSetup,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    record(
        [network.mueang],
        plan_activity=plan_setup.trained,
        attendance={AttendanceGroup.RESIDENTS: 50},
    )
    draft = make_plan(network.bang_khla, status="draft")
    with django_assert_max_num_queries(4):
        rows = client.get(f"{API}/plans", {"fiscal_year": 2569}).json()
    assert [row["id"] for row in rows] == [plan_setup.plan.pk]
    assert rows[0]["progress"] == pytest.approx((3 * 0.5 / 4) / 2)
    detail = client.get(f"{API}/plans/{plan_setup.plan.pk}").json()
    assert [p["pillar"] for p in detail["pillars"]] == [1, 2, 3, 4]
    trained = detail["pillars"][0]["activities"][0]
    assert (trained["achieved"], trained["target"], trained["progress"]) == (50, 100, 0.5)
    assert client.get(f"{API}/plans/{draft.pk}").status_code == 404


def test_activities_list_filters_and_detail(
    client: Client,
    network: Tree,
    plan_setup: PlanSetup,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for day in (dt.date(2025, 10, 10), dt.date(2025, 11, 10), dt.date(2025, 12, 10)):
        record(
            [network.mueang],
            plan_activity=plan_setup.trained,
            held_on=day,
            attendance={AttendanceGroup.RESIDENTS: 10, AttendanceGroup.YOUTH: 5},
        )
    with django_assert_max_num_queries(5):
        rows = client.get(f"{API}/activities", {"start": "2025-11-01"}).json()
    assert [row["held_on"] for row in rows] == ["2025-12-10", "2025-11-10"]
    assert rows[0]["attendance"] == {"residents": 10, "youth": 5}
    assert rows[0]["total_attendance"] == 15 and rows[0]["organizer_codes"] == ["net-2401"]
    assert len(client.get(f"{API}/activities", {"organization": "net-2402"}).json()) == 0
    detail = client.get(f"{API}/activities/{rows[0]['id']}").json()
    assert "report" in detail
    assert client.get(f"{API}/activities/99999").status_code == 404


def test_writes_need_a_login_then_a_second_factor_then_the_right(
    network: Tree, people: dict[str, User], coordinator: User, verified_client: Any
) -> None:
    body = {
        "code": "new-1",
        "name_th": "กลุ่มใหม่",
        "kind": "community_organization",
        "level": "subdistrict",
        "parent_code": "council-240101",
        "subdistrict_code": "240101",
    }
    assert send(Client(), "post", f"{API}/organizations", body).status_code == 401
    unverified = Client()
    unverified.force_login(people["malee"])
    assert send(unverified, "post", f"{API}/organizations", body).status_code == 403
    tom = verified_client(people["tom"])
    assert send(tom, "post", f"{API}/organizations", body).status_code == 403
    malee = verified_client(people["malee"])
    response = send(malee, "post", f"{API}/organizations", body)
    assert response.status_code == 201, response.content
    created = Organization.objects.get(code="new-1")
    assert created.parent == network.na_mueang and created.district_id == "2401"
    assert (
        AuditEvent.objects.get(
            action="network.organization_created", target_id=str(created.pk)
        ).actor
        == people["malee"]
    )
    bad = send(malee, "post", f"{API}/organizations", {**body, "code": "new-2", "level": "x"})
    assert bad.status_code == 400


def test_patch_an_organization(
    network: Tree, people: dict[str, User], verified_client: Any
) -> None:
    dara = verified_client(people["dara"])
    response = send(
        dara,
        "patch",
        f"{API}/organizations/council-240101",
        {"name_th": "สภาองค์กรชุมชนตำบลหน้าเมือง", "phone": "038-000-000"},
    )
    assert response.status_code == 200
    assert response.json()["name_th"] == "สภาองค์กรชุมชนตำบลหน้าเมือง"
    assert send(dara, "patch", f"{API}/organizations/net-2402", {"name_th": "x"}).status_code == 403
    moved = send(dara, "patch", f"{API}/organizations/council-240101", {"parent_code": "net-2402"})
    assert moved.status_code == 403
    assert send(dara, "patch", f"{API}/organizations/nobody", {}).status_code == 404


def test_plans_are_written_and_moved_through_their_statuses(
    network: Tree, people: dict[str, User], verified_client: Any
) -> None:
    dara = verified_client(people["dara"])
    response = send(
        dara,
        "post",
        f"{API}/plans",
        {
            "title": "แผนอำเภอเมือง",
            "organization_code": "net-2401",
            "area_level": "district",
            "district_code": "2401",
            "fiscal_year": 2569,
        },
    )
    assert response.status_code == 201
    plan_id = response.json()["id"]
    assert response.json()["status"] == "draft"
    moved = send(dara, "patch", f"{API}/plans/{plan_id}", {"status": "approved", "weight": 2})
    assert moved.status_code == 200
    plan = ActionPlan.objects.get(pk=plan_id)
    assert (plan.status, plan.weight) == ("approved", Decimal(2))
    assert send(dara, "patch", f"{API}/plans/{plan_id}", {"status": "completed"}).status_code == 400
    other = send(
        dara,
        "post",
        f"{API}/plans",
        {
            "title": "x",
            "organization_code": "net-2402",
            "area_level": "district",
            "district_code": "2402",
            "fiscal_year": 2569,
        },
    )
    assert other.status_code == 403
    tom = verified_client(people["tom"])
    assert send(tom, "patch", f"{API}/plans/{plan_id}", {"title": "x"}).status_code == 403


def test_activities_written_through_the_api_never_double_count(
    network: Tree, plan_setup: PlanSetup, people: dict[str, User], verified_client: Any
) -> None:
    tom = verified_client(people["tom"])
    body = {
        "title": "อบรม",
        "kind": "training",
        "held_on": "2025-11-20",
        "organizer_codes": ["council-240101"],
        "plan_activity_id": plan_setup.trained.pk,
        "attendance": {"residents": 20},
    }
    response = send(tom, "post", f"{API}/activities", body)
    assert response.status_code == 201, response.content
    activity_id = response.json()["id"]
    for _ in range(2):
        patched = send(
            tom,
            "patch",
            f"{API}/activities/{activity_id}",
            {"attendance": {"residents": 20, "youth": 10}},
        )
        assert patched.status_code == 200
    assert achieved_value(plan_setup.trained) == 30
    assert Activity.objects.get(pk=activity_id).created_by == people["tom"]
    assert (
        send(
            tom, "post", f"{API}/activities", {**body, "organizer_codes": ["net-2402"]}
        ).status_code
        == 403
    )
    assert send(tom, "post", f"{API}/activities", {**body, "kind": "party"}).status_code == 400
    outsider_activity = record([network.bang_khla])
    assert (
        send(tom, "patch", f"{API}/activities/{outsider_activity.pk}", {"title": "x"}).status_code
        == 403
    )


def test_the_openapi_document_lists_the_network_endpoints(client: Client, db: None) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/network/organizations",
        "/api/v1/network/plans",
        "/api/v1/network/activities",
        "/api/v1/network/plans/{plan_id}",
    ):
        assert path in paths
