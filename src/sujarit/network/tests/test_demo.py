"""The demo network: realistic, complete, clearly labelled, and safe to create twice."""

from __future__ import annotations

from typing import Any

from django.test import Client

import pytest

from sujarit.accounts.demo import create_demo_users
from sujarit.agencies.models import Agency
from sujarit.network.coverage import mou_coverage
from sujarit.network.demo import COVERED_SUBDISTRICTS, create_demo_network
from sujarit.network.fiscal import current_fiscal_year
from sujarit.network.models import (
    ActionPlan,
    Activity,
    Award,
    Member,
    Mou,
    Organization,
    OrganizationKind,
    ProgressSnapshot,
    Visit,
)
from sujarit.network.progress import area_rollup
from sujarit.network.public import award_statistics

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(cases_area: str) -> Any:
    officer_agency = Agency.objects.filter(is_demo=True).order_by("code").first()
    assert officer_agency is not None
    create_demo_users(province_code="24", agency_for_officer=officer_agency)
    return create_demo_network(province_code="24")


def test_demo_network_follows_the_seed_workshop(demo: Any) -> None:
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert {
        OrganizationKind.NETWORK,
        OrganizationKind.STRONG_CLUB,
        OrganizationKind.YOUTH_COUNCIL,
        OrganizationKind.COMMUNITY_COUNCIL,
        OrganizationKind.CIVIL_SOCIETY,
        OrganizationKind.COORDINATION_CENTRE,
        OrganizationKind.COMMUNITY_ORGANIZATION,
    } <= kinds
    levels = set(Organization.objects.values_list("level", flat=True))
    assert levels == {"province", "district", "subdistrict", "village"}
    coverage = mou_coverage("24")
    assert len(coverage.covered) == COVERED_SUBDISTRICTS == 23
    assert Mou.objects.count() == 2  # one in force, one expired
    (white,) = award_statistics("24")
    assert (vars(white)["network_wins"], white.total_awards, white.year) == (11, 23, 2565)
    year = current_fiscal_year()
    assert ActionPlan.objects.filter(fiscal_year=year, status="active").count() == 6
    assert ActionPlan.objects.filter(fiscal_year=year - 1, status="completed").count() == 6
    assert area_rollup("24", year - 1).province.ratio is not None
    assert Activity.objects.exists() and Visit.objects.count() == 10
    assert ProgressSnapshot.objects.filter(plan__fiscal_year=year - 1).count() >= 6 * 12
    assert Member.objects.filter(user__username="demo-member", role="coordinator").exists()

    # Everything is marked and labelled demo.
    for model in (Organization, Member, Mou, ActionPlan, Activity, Visit, Award):
        assert not model.objects.filter(is_demo=False).exists(), model
    assert not Organization.objects.exclude(name_th__endswith="(ตัวอย่าง)").exists()
    assert not Member.objects.exclude(full_name__endswith="(ตัวอย่าง)").exists()
    assert not Activity.objects.exclude(title__endswith="(ตัวอย่าง)").exists()
    assert all(phone[3:8] == "-000-" for phone in Member.objects.values_list("phone", flat=True))


def test_demo_is_created_once_and_shown(demo: Any, client: Client) -> None:
    counts = (Organization.objects.count(), Member.objects.count(), Activity.objects.count())
    again = create_demo_network(province_code="24")
    assert not again.created
    assert (
        Organization.objects.count(),
        Member.objects.count(),
        Activity.objects.count(),
    ) == counts
    html = client.get("/network/").content.decode()
    assert "11 จาก 23" in html and "23 จาก" in html
    assert "ชมรม STRONG จิตพอเพียงต้านทุจริตจังหวัดฉะเชิงเทรา (ตัวอย่าง)" in html
    assert client.get("/network/plans/").status_code == 200
