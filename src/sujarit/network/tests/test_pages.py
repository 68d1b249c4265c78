"""Every network page: public pages in Thai and English with bounded queries, staff pages
for those allowed, refused for the others."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.test import Client

import pytest
from pytest_django import DjangoAssertNumQueries

from sujarit.accounts.models import User
from sujarit.accounts.testing import in_english
from sujarit.geo.models import Province
from sujarit.network import actions
from sujarit.network.models import Activity, AttendanceGroup, AwardContest, Mou
from sujarit.network.tests.conftest import PlanSetup, Tree, area, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(network: Tree, plan_setup: PlanSetup, people: dict[str, User]) -> dict[str, Any]:
    activity = record(
        [network.mueang],
        plan_activity=plan_setup.trained,
        attendance={AttendanceGroup.RESIDENTS: 40},
        held_on=dt.date(2025, 11, 5),
        ends_on=dt.date(2025, 11, 6),
        title="เวทีสานพลังชุมชน",
    )
    actions.take_snapshot(plan_setup.plan, day=dt.date(2025, 11, 30))
    mou = actions.create_mou(
        values=actions.MouInput(
            title="บันทึกความร่วมมือ 23 ตำบล",
            province=Province.objects.get(code="24"),
            signed_on=dt.date(2023, 3, 16),
            starts_on=dt.date(2023, 3, 16),
            organizations=[network.province],
            subdistricts=[area(network)],
        ),
        by=None,
    )
    contest = actions.save_contest(
        values=actions.ContestInput(name_th="รางวัลสีขาว", year=2565, total_awards=23),
        by=None,
        province_code="24",
    )
    for org in (network.mueang, network.na_mueang):
        actions.add_award(
            contest=contest, organization=org, category="ภาคประชาชน", by=None, province_code="24"
        )
    return {"activity": activity, "mou": mou, "contest": contest}


def test_network_home_shows_the_tree_and_the_figures(
    client: Client,
    content: dict[str, Any],
    network: Tree,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_max_num_queries(14):
        response = client.get("/network/")
    html = response.content.decode()
    assert response.status_code == 200
    for code in ("net-24", "net-2401", "council-240101", "village-240101-3"):
        assert f'href="/network/o/{code}/"' in html
    assert "2 จาก 23" in html  # network winners of the White Award
    assert "1 จาก" in html  # one subdistrict covered


def test_network_home_in_english(content: dict[str, Any]) -> None:
    html = in_english(Client()).get("/network/").content.decode()
    assert "2 of 23" in html and "Anti-corruption networks of Chachoengsao Province" in html


def test_organization_page_goes_up_and_down_the_tree(
    client: Client,
    content: dict[str, Any],
    network: Tree,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_max_num_queries(16):
        html = client.get("/network/o/council-240101/").content.decode()
    breadcrumbs = html.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert breadcrumbs.index("net-24") < breadcrumbs.index("net-2401")
    assert 'href="/network/o/village-240101-3/"' in html
    assert "รางวัลสีขาว" in html
    assert client.get("/network/o/nobody/").status_code == 404


def test_public_list_pages_keep_their_query_count(
    client: Client,
    content: dict[str, Any],
    plan_setup: PlanSetup,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    activity = content["activity"]
    mou = content["mou"]
    for url, most in (
        ("/network/mous/", 12),
        ("/network/mous/coverage.geojson", 8),
        (f"/network/mous/{mou.pk}/", 10),
        ("/network/plans/?year=2569", 12),
        (f"/network/plans/{plan_setup.plan.pk}/", 14),
        ("/network/activities/?month=2025-11", 10),
        (f"/network/activities/{activity.pk}/", 14),
        ("/network/awards/", 10),
    ):
        with django_assert_max_num_queries(most):
            response = client.get(url)
        assert response.status_code == 200, url


def test_plan_page_shows_weighted_progress_and_the_chart(
    client: Client, content: dict[str, Any], plan_setup: PlanSetup
) -> None:
    html = client.get(f"/network/plans/{plan_setup.plan.pk}/").content.decode()
    # Pillar 1: (3 × 40 % + 1 × 0 %) / 4 = 30 %; pillar 4: 0 %; the plan: 15 %.
    assert bar_value(html, "plan") == 15
    assert bar_value(html, plan_setup.trained.pk) == 40
    assert "<svg" in html and "<polyline" in html and 'role="img"' in html
    assert "style=" not in html.split("<main")[1]


def test_a_draft_plan_is_not_public(
    client: Client, network: Tree, people: dict[str, User], verified_client: Any
) -> None:
    from sujarit.network.tests.conftest import make_plan

    draft = make_plan(network.mueang, status="draft")
    assert client.get(f"/network/plans/{draft.pk}/").status_code == 404
    assert verified_client(people["dara"]).get(f"/network/plans/{draft.pk}/").status_code == 200


def test_activities_calendar_shows_the_month_and_a_list(
    client: Client, content: dict[str, Any]
) -> None:
    html = client.get("/network/activities/?month=2025-11").content.decode()
    assert "พฤศจิกายน 2568" in html
    assert html.count("เวทีสานพลังชุมชน") == 3  # two days in the grid, one in the list
    assert "ตุลาคม" not in html.split("<h1>")[1].split("</h1>")[0]
    empty = client.get("/network/activities/?month=2025-12").content.decode()
    assert "เวทีสานพลังชุมชน" not in empty
    assert client.get("/network/activities/?month=nonsense").status_code == 200


def test_mou_page_and_coverage_map(client: Client, content: dict[str, Any]) -> None:
    html = client.get("/network/mous/").content.decode()
    assert "data-coverage-map" in html and "บันทึกความร่วมมือ 23 ตำบล" in html
    geojson = client.get("/network/mous/coverage.geojson").json()
    covered = [f for f in geojson["features"] if f["properties"]["covered"]]
    assert [f["properties"]["code"] for f in covered] == ["240101"]
    assert client.get("/network/mous/999999/").status_code == 404


def test_awards_page(client: Client, content: dict[str, Any]) -> None:
    html = in_english(Client()).get("/network/awards/").content.decode()
    assert "The province's networks won 2 of 23 awards." in html


# --- Private files -------------------------------------------------------------------------


def test_the_signed_document_is_served_only_with_permission(
    content: dict[str, Any],
    people: dict[str, User],
    verified_client: Any,
    client: Client,
    private_storage: object,
) -> None:
    mou = content["mou"]
    assert isinstance(mou, Mou)
    actions.attach_mou_document(mou=mou, data=b"%PDF-1.7 signed", by=people["alice"])
    url = f"/network/mous/{mou.pk}/document/"
    assert client.get(url).status_code == 403
    assert verified_client(people["tom"]).get(url).status_code == 403
    response = verified_client(people["alice"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.7 signed"
    assert client.get("/network/mous/999/document/").status_code == 404


def test_activity_photos_are_public_without_metadata(
    content: dict[str, Any], people: dict[str, User], client: Client, private_storage: object
) -> None:
    from sujarit.network.tests.conftest import jpeg_with_gps

    activity = content["activity"]
    assert isinstance(activity, Activity)
    photo = actions.add_activity_photo(
        activity=activity, data=jpeg_with_gps(), caption="เวที", by=people["dara"]
    )
    html = client.get(f"/network/activities/{activity.pk}/").content.decode()
    assert f'src="/network/activities/photos/{photo.pk}/"' in html
    response = client.get(f"/network/activities/photos/{photo.pk}/")
    assert response.status_code == 200
    assert b"PhoneMaker" not in b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert client.get("/network/activities/photos/9999/").status_code == 404


def bar_value(html: str, test_id: object) -> int:
    match = re.search(rf'<progress [^>]*value="(\d+)"[^>]*data-progress="{test_id}"', html)
    assert match, test_id
    return int(match.group(1))


# --- Staff pages ---------------------------------------------------------------------------


def staff_urls(network: Tree, plan_setup: PlanSetup, content: dict[str, Any]) -> list[str]:
    from sujarit.network.models import Member

    activity = content["activity"]
    contest = content["contest"]
    mou = content["mou"]
    member = Member.objects.get(user__username="tom")
    return [
        "/network/manage/",
        "/network/manage/organizations/new/",
        "/network/manage/o/council-240101/",
        "/network/manage/o/council-240101/members/",
        "/network/manage/o/council-240101/members/new/",
        f"/network/manage/members/{member.pk}/",
        "/network/manage/import/",
        "/network/manage/plans/new/",
        f"/network/manage/plans/{plan_setup.plan.pk}/",
        f"/network/manage/plans/{plan_setup.plan.pk}/activities/new/",
        f"/network/manage/plan-activities/{plan_setup.trained.pk}/",
        "/network/manage/activities/new/",
        f"/network/manage/activities/{activity.pk}/",
        f"/network/manage/activities/{activity.pk}/photos/",
        "/network/manage/visits/new/",
        "/network/manage/checklists/",
        "/network/manage/mous/new/",
        f"/network/manage/mous/{mou.pk}/",
        "/network/manage/awards/",
        f"/network/manage/awards/{contest.pk}/",
    ]


def test_staff_pages_open_for_an_administrator(
    network: Tree,
    plan_setup: PlanSetup,
    content: dict[str, Any],
    admin_user: User,
    verified_client: Any,
) -> None:
    client = verified_client(admin_user)
    for url in staff_urls(network, plan_setup, content):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "style=" not in response.content.decode().split("<main")[1], url


def test_staff_pages_send_anonymous_visitors_to_log_in(
    network: Tree, plan_setup: PlanSetup, content: dict[str, Any], client: Client
) -> None:
    for url in staff_urls(network, plan_setup, content):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_staff_pages_refuse_an_outsider(
    network: Tree,
    plan_setup: PlanSetup,
    content: dict[str, Any],
    outsider: User,
    verified_client: Any,
) -> None:
    client = verified_client(outsider)
    for url in staff_urls(network, plan_setup, content):
        assert client.get(url).status_code == 403, url


def test_a_volunteer_records_an_activity_but_cannot_edit_the_organization(
    network: Tree, people: dict[str, User], verified_client: Any
) -> None:
    client = verified_client(people["tom"])
    assert client.get("/network/manage/").status_code == 200
    assert client.get("/network/manage/activities/new/").status_code == 200
    assert client.get("/network/manage/o/council-240101/").status_code == 403
    assert client.get("/network/manage/checklists/").status_code == 403


def test_recording_an_activity_through_the_page_moves_the_plan(
    network: Tree, plan_setup: PlanSetup, people: dict[str, User], verified_client: Any
) -> None:
    client = verified_client(people["malee"])
    data = {
        "title": "อบรมเยาวชน",
        "kind": "training",
        "held_on": "2025-12-01",
        "subdistrict": "240101",
        "organizers": [str(network.na_mueang.pk)],
        "plan_activity": str(plan_setup.trained.pk),
        "attendance_residents": "30",
        "attendance_youth": "20",
    }
    bad = client.post("/network/manage/activities/new/", {**data, "held_on": "not a day"})
    assert bad.status_code == 400
    assert "อบรมเยาวชน" in bad.content.decode()  # the form keeps what was typed
    assert 'aria-invalid="true"' in bad.content.decode()
    response = client.post("/network/manage/activities/new/", data)
    assert response.status_code == 302
    activity = Activity.objects.get(title="อบรมเยาวชน")
    html = client.get(f"/network/plans/{plan_setup.plan.pk}/").content.decode()
    assert bar_value(html, plan_setup.trained.pk) == 50  # 50 of 100 people
    edit = client.post(
        f"/network/manage/activities/{activity.pk}/", {**data, "attendance_youth": "0"}
    )
    assert edit.status_code == 302
    from sujarit.network.progress import achieved_value

    assert achieved_value(plan_setup.trained) == Decimal(30)
    assert client.post(f"/network/manage/activities/{activity.pk}/delete/").status_code == 302
    assert achieved_value(plan_setup.trained) == 0


def test_organization_member_and_plan_forms(
    network: Tree, people: dict[str, User], verified_client: Any
) -> None:
    client = verified_client(people["malee"])
    response = client.post(
        "/network/manage/organizations/new/",
        {
            "code": "savings-5",
            "name_th": "กลุ่มออมทรัพย์หมู่ 5",
            "kind": "community_organization",
            "level": "village",
            "parent": str(network.na_mueang.pk),
            "subdistrict": "240101",
            "village": "หมู่ 5",
            "is_active": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/network/o/savings-5/"
    refused = client.post(
        "/network/manage/organizations/new/",
        {
            "code": "x",
            "name_th": "x",
            "kind": "network",
            "level": "district",
            "parent": str(network.bang_khla.pk),
            "district": "2402",
        },
    )
    assert refused.status_code == 400  # Bang Khla is not offered to her as a parent
    response = client.post(
        "/network/manage/o/savings-5/members/new/",
        {
            "code": "s5-1",
            "full_name": "นายออม",
            "role": "member",
            "trainings": "STRONG=2566-03-16",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    from sujarit.network.models import Member

    saver = Member.objects.get(code="s5-1")
    assert saver.trainings.get().trained_on == dt.date(2023, 3, 16)
    assert client.post(f"/network/manage/members/{saver.pk}/remove/").status_code == 302
    assert not Member.objects.get(pk=saver.pk).is_active

    response = client.post(
        "/network/manage/plans/new/",
        {
            "title": "แผนตำบล",
            "organization": str(network.na_mueang.pk),
            "fiscal_year": "2569",
            "area_level": "subdistrict",
            "subdistrict": "240101",
            "weight": "1",
        },
    )
    assert response.status_code == 302
    plan_url = response["Location"]
    pk = int(plan_url.rstrip("/").rsplit("/", 1)[1])
    assert (
        client.post(
            f"/network/manage/plans/{pk}/activities/new/",
            {
                "pillar": "2",
                "title": "เวทีเปิดข้อมูล",
                "measure": "activities",
                "target": "2",
                "unit": "เวที",
                "weight": "1",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/network/manage/plans/{pk}/weights/",
            {
                "pillar_1": "1",
                "pillar_2": "2",
                "pillar_3": "1",
                "pillar_4": "1",
            },
        ).status_code
        == 302
    )
    assert client.post(f"/network/manage/plans/{pk}/status/", {"to": "approved"}).status_code == 302
    from sujarit.network.models import ActionPlan

    plan = ActionPlan.objects.get(pk=pk)
    assert plan.status == "approved" and plan.pillars.get(pillar=2).weight == 2


def test_province_records_forms(
    network: Tree, people: dict[str, User], verified_client: Any
) -> None:
    client = verified_client(people["alice"])
    response = client.post(
        "/network/manage/mous/new/",
        {
            "title": "MOU ใหม่",
            "signed_on": "2025-01-10",
            "starts_on": "2025-01-10",
            "organizations": [str(network.province.pk)],
            "subdistricts": ["240101", "240102"],
        },
    )
    assert response.status_code == 302
    assert Mou.objects.get(title="MOU ใหม่").subdistricts.count() == 2
    response = client.post(
        "/network/manage/awards/",
        {
            "name_th": "รางวัลสีขาว",
            "year": "2565",
            "total_awards": "23",
        },
    )
    assert response.status_code == 302
    contest = AwardContest.objects.get()
    response = client.post(
        f"/network/manage/awards/{contest.pk}/",
        {
            "award-organization": str(network.mueang.pk),
            "award-category": "ภาคประชาชน",
        },
    )
    assert response.status_code == 302 and contest.awards.count() == 1
    response = client.post(
        "/network/manage/checklists/",
        {
            "name": "ตรวจงานก่อสร้าง",
            "new_questions": "มีป้ายหรือไม่\nตรงแบบหรือไม่",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert (
        verified_client(people["dara"])
        .post("/network/manage/mous/new/", {"title": "x"})
        .status_code
        == 403
    )


def test_visit_form_with_a_checklist(
    network: Tree, people: dict[str, User], verified_client: Any
) -> None:
    template = actions.create_checklist(
        name="ตรวจงาน", questions=["มีป้ายหรือไม่"], by=None, province_code="24"
    )
    question = template.questions.get()
    client = verified_client(people["tom"])
    page = client.get(f"/network/manage/visits/new/?checklist={template.pk}").content.decode()
    assert "มีป้ายหรือไม่" in page and "<fieldset>" in page
    response = client.post(
        f"/network/manage/visits/new/?checklist={template.pk}",
        {
            "visited_on": "2026-01-10",
            "organization": str(network.na_mueang.pk),
            "subdistrict": "240101",
            "project_title": "ถนน",
            f"answer_{question.pk}": "no",
            f"note_{question.pk}": "ไม่มีป้าย",
        },
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "ไม่มีป้าย" in detail and "/report/?kind=state_funds" in detail
