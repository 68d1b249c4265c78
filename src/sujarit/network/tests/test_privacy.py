"""Members' personal data never reaches a public page or the public API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

import pytest

from sujarit.accounts.models import User
from sujarit.network import actions
from sujarit.network.models import Member, MemberRole, Mou
from sujarit.network.tests.conftest import PlanSetup, Tree, record

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL, LINE = (
    "นางสาวข้อมูลลับ ทดสอบ",
    "089-123-4567",
    "private@example.org",
    "line-secret",
)


@pytest.fixture
def secret_member(network: Tree, plan_setup: PlanSetup, people: dict[str, User]) -> Member:
    member = actions.add_member(
        values=actions.MemberInput(
            code="m-secret",
            organization=network.na_mueang,
            role=MemberRole.VOLUNTEER,
            full_name=NAME,
            phone=PHONE,
            email=EMAIL,
            line_id=LINE,
            trainings=[("หลักสูตรลับ", dt.date(2023, 3, 16))],
        ),
        by=None,
    )
    record(
        [network.na_mueang], plan_activity=plan_setup.trained, members=[member], title="อบรมสมาชิก"
    )
    mou = Mou.objects.create(
        title="MOU", province_id="24", signed_on="2023-03-16", starts_on="2023-03-16"
    )
    mou.organizations.add(network.na_mueang)
    return member


def public_urls(network: Tree, plan_setup: PlanSetup) -> list[str]:
    from sujarit.network.models import Activity

    activity = Activity.objects.get(title="อบรมสมาชิก")
    return [
        "/network/",
        reverse("network:organization", args=[network.na_mueang.code]),
        reverse("network:organization", args=[network.mueang.code]),
        "/network/mous/",
        f"/network/mous/{Mou.objects.get().pk}/",
        "/network/plans/?year=2569",
        f"/network/plans/{plan_setup.plan.pk}/",
        "/network/activities/?month=2025-11",
        f"/network/activities/{activity.pk}/",
        "/network/awards/",
        "/areas/s/240101/",
        "/api/v1/network/organizations",
        f"/api/v1/network/organizations/{network.na_mueang.code}",
        "/api/v1/network/plans",
        f"/api/v1/network/plans/{plan_setup.plan.pk}",
        "/api/v1/network/activities",
        f"/api/v1/network/activities/{activity.pk}",
        "/api/v1/openapi.json",
    ]


def assert_no_personal_data(text: str) -> None:
    for secret in (NAME, "ข้อมูลลับ", PHONE, EMAIL, LINE, "หลักสูตรลับ", "m-secret"):
        assert secret not in text, secret


def test_public_pages_and_api_never_show_personal_data(
    network: Tree, plan_setup: PlanSetup, secret_member: Member, client: Client
) -> None:
    for url in public_urls(network, plan_setup):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_personal_data(response.content.decode())


def test_logged_in_people_without_the_right_see_no_personal_data_either(
    network: Tree,
    plan_setup: PlanSetup,
    secret_member: Member,
    people: dict[str, User],
    verified_client: Any,
    outsider: User,
) -> None:
    for who in (people["alice"], people["tom"], outsider):
        client = verified_client(who)
        for url in public_urls(network, plan_setup):
            assert_no_personal_data(client.get(url).content.decode())
        assert client.get(f"/network/manage/o/{network.na_mueang.code}/members/").status_code == 403


def test_the_coordinators_above_see_the_members_and_the_activity_list(
    network: Tree,
    plan_setup: PlanSetup,
    secret_member: Member,
    people: dict[str, User],
    verified_client: Any,
) -> None:
    from sujarit.network.models import Activity

    activity = Activity.objects.get(title="อบรมสมาชิก")
    for who in ("dara", "malee"):
        client = verified_client(people[who])
        html = client.get(f"/network/manage/o/{network.na_mueang.code}/members/").content.decode()
        assert NAME in html and PHONE in html and "หลักสูตรลับ" in html
        assert NAME in client.get(f"/network/activities/{activity.pk}/").content.decode()


def test_member_counts_are_public(
    network: Tree, secret_member: Member, people: dict[str, User], client: Client
) -> None:
    data = client.get(f"/api/v1/network/organizations/{network.na_mueang.code}").json()
    assert data["member_count"] == 3  # malee, tom and the secret member
    assert set(data) >= {"code", "name_th", "member_count", "ancestors", "children"}
    activity = client.get("/api/v1/network/activities").json()[0]
    assert activity["member_count"] == 1 and "members" not in activity
