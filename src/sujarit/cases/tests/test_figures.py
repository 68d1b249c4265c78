"""Agency response figures, computed by hand for a small set of referrals.

Agency A, three referrals sent from T0:
  a1 sent T0,    acknowledged +2 d,  resolved +10 d, then disputed     (on time)
  a2 sent T0+1d, acknowledged +19 d, resolved +39 d                    (acknowledged late)
  a3 sent T0+2d, never acknowledged, due at +15 d, "now" is T0+30 d    (late)
  → medians 10.5 d to acknowledge, 24.5 d to resolve; overdue 2/3; disputed 1/2.
Agency B, two referrals:
  b1 sent T0,    declined at +20 d (late)
  b2 sent T0+3d, acknowledged +1 d, resolved +3 d; disputed *before* it was resolved
  → medians 1 d, 3 d; overdue 1/2; disputed 0/1.
Province: acknowledge [2, 19, 1] → 2; resolve [10, 39, 3] → 10; overdue 3/5; disputed 1/3.
One more referral to agency A, sent 40 days before T0, is outside the range.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.cases.figures import agency_response_figures
from sujarit.cases.models import Case, Dispute, Referral, ReferralStatus

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 3, 16, 9, 0, tzinfo=UTC)  # 16:00 in Bangkok
NOW = T0 + timedelta(days=30)
SINCE, UNTIL = date(2025, 3, 16), date(2025, 4, 30)
DAY = timedelta(days=1)


def make_referral(
    case: Case,
    agency: Agency,
    by: User,
    *,
    sent: datetime,
    acknowledged: int | None = None,
    resolved: int | None = None,
    declined: int | None = None,
) -> Referral:
    status = ReferralStatus.SENT
    if acknowledged is not None:
        status = ReferralStatus.ACKNOWLEDGED
    if resolved is not None:
        status = ReferralStatus.RESOLVED
    if declined is not None:
        status = ReferralStatus.DECLINED
    return Referral.objects.create(
        case=case,
        agency=agency,
        referred_by=by,
        referred_at=sent,
        due_at=sent + 15 * DAY,
        status=status,
        acknowledged_at=sent + acknowledged * DAY if acknowledged is not None else None,
        resolved_at=sent + resolved * DAY if resolved is not None else None,
        outcome="ผลการดำเนินการ" if resolved is not None else "",
        declined_at=sent + declined * DAY if declined is not None else None,
        decline_reason="ไม่อยู่ในอำนาจ" if declined is not None else "",
    )


@pytest.fixture
def referrals(case_factory, coordinator, agency_a, agency_b):
    def case() -> Case:
        made: Case = case_factory()
        return made

    a1 = make_referral(case(), agency_a, coordinator, sent=T0, acknowledged=2, resolved=10)
    Dispute.objects.create(case=a1.case, at=T0 + 12 * DAY, text="ยังไม่ได้แก้ไขจริง")
    a2 = make_referral(case(), agency_a, coordinator, sent=T0 + DAY, acknowledged=19, resolved=39)
    a3 = make_referral(case(), agency_a, coordinator, sent=T0 + 2 * DAY)
    b1 = make_referral(case(), agency_b, coordinator, sent=T0, declined=20)
    b2 = make_referral(case(), agency_b, coordinator, sent=T0 + 3 * DAY, acknowledged=1, resolved=3)
    Dispute.objects.create(case=b2.case, at=T0 + 4 * DAY, text="ก่อนมีผล")
    old = make_referral(case(), agency_a, coordinator, sent=T0 - 40 * DAY, acknowledged=30)
    return {"a1": a1, "a2": a2, "a3": a3, "b1": b1, "b2": b2, "old": old}


def test_figures_per_agency_match_the_hand_computed_ones(referrals, agency_a, agency_b):
    report = agency_response_figures(since=SINCE, until=UNTIL, now=NOW)
    assert [row.agency for row in report.agencies] == [agency_a, agency_b]
    a, b = report.agencies
    assert (a.referrals, a.acknowledged, a.resolved, a.overdue, a.disputed) == (3, 2, 2, 2, 1)
    assert a.median_days_to_acknowledge == pytest.approx(10.5)
    assert a.median_days_to_resolve == pytest.approx(24.5)
    assert a.share_overdue == pytest.approx(2 / 3)
    assert a.share_disputed == pytest.approx(0.5)
    assert (b.referrals, b.acknowledged, b.resolved, b.overdue, b.disputed) == (2, 1, 1, 1, 0)
    assert b.median_days_to_acknowledge == pytest.approx(1)
    assert b.median_days_to_resolve == pytest.approx(3)
    assert b.share_overdue == pytest.approx(0.5)
    assert b.share_disputed == 0


def test_province_totals_take_the_median_over_every_referral(referrals):
    province = agency_response_figures(since=SINCE, until=UNTIL, now=NOW).province
    assert province.agency is None
    assert (province.referrals, province.overdue, province.resolved, province.disputed) == (
        5,
        3,
        3,
        1,
    )
    assert province.median_days_to_acknowledge == pytest.approx(2)
    assert province.median_days_to_resolve == pytest.approx(10)
    assert province.percent_overdue == 60.0
    assert province.percent_disputed == pytest.approx(33.3)


def test_a_referral_still_within_its_time_is_not_overdue(referrals):
    # Ten days after T0 the third referral of agency A is not due yet.
    report = agency_response_figures(since=SINCE, until=UNTIL, now=T0 + 10 * DAY)
    a = report.agencies[0]
    assert a.overdue == 1  # a2, acknowledged late, stays late whatever "now" is


def test_the_range_is_by_local_day_sent(referrals, agency_a, coordinator, case_factory):
    # 01:00 in Bangkok on 16 March is still 15 March in UTC: it belongs to the 16th.
    early = make_referral(
        case_factory(), agency_a, coordinator, sent=datetime(2025, 3, 15, 18, 0, tzinfo=UTC)
    )
    report = agency_response_figures(since=SINCE, until=SINCE, now=NOW)
    counts = {row.agency: row.referrals for row in report.agencies}
    assert counts[agency_a] == 2  # a1 and the early one; a2 was sent on the 17th
    assert early.pk
    before = agency_response_figures(since=date(2025, 1, 1), until=date(2025, 3, 15), now=NOW)
    assert before.province.referrals == 1  # only the old one


def test_an_officer_sees_their_own_agency_and_the_province(referrals, agency_a):
    report = agency_response_figures(since=SINCE, until=UNTIL, agency_id=agency_a.pk, now=NOW)
    assert [row.agency for row in report.agencies] == [agency_a]
    assert report.province.referrals == 5


def test_an_agency_without_referrals_shows_empty_figures(agency_a):
    report = agency_response_figures(since=SINCE, until=UNTIL, agency_id=agency_a.pk, now=NOW)
    (row,) = report.agencies
    assert row.referrals == 0
    assert row.median_days_to_acknowledge is None
    assert row.share_overdue is None and row.share_disputed is None
    assert report.province.referrals == 0


# --- the page -------------------------------------------------------------------------------


def page(client: Client, **params: str) -> Any:
    return client.get(reverse("cases:agency-figures"), params)


def test_the_page_shows_every_agency_to_coordinators(
    referrals, verified_client, coordinator, agency_a, agency_b, django_assert_max_num_queries
):
    client = verified_client(coordinator)
    with django_assert_max_num_queries(12):
        response = page(client, since="2025-03-16", until="2025-04-30")
    assert response.status_code == 200
    html = response.content.decode()
    assert agency_a.name_th in html and agency_b.name_th in html
    assert "ทั้งจังหวัด" in html
    assert "10.5" in html and "24.5" in html
    assert "66.7%" in html


def test_an_officer_sees_only_their_row_and_the_province(
    referrals, verified_client, officer_a, agency_a, agency_b
):
    html = page(verified_client(officer_a), since="2025-03-16", until="2025-04-30")
    text = html.content.decode()
    assert agency_a.name_th in text
    assert agency_b.name_th not in text
    assert "ทั้งจังหวัด" in text


def test_a_reversed_range_is_explained(verified_client, coordinator):
    response = page(verified_client(coordinator), since="2025-05-01", until="2025-04-01")
    assert response.status_code == 400
    text = response.content.decode()
    assert "วันเริ่มต้นต้องไม่อยู่หลังวันสิ้นสุด" in text
    assert 'value="2025-05-01"' in text


def test_the_default_range_is_the_last_year(verified_client, auditor):
    response = page(verified_client(auditor))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.until == timezone.localdate()
    assert report.until - report.since == timedelta(days=364)
    # The form shows the range the figures cover.
    assert f'value="{report.since.isoformat()}"' in response.content.decode()


# --- the API --------------------------------------------------------------------------------

API = "/api/v1/figures/agencies"


def test_the_api_returns_the_documented_figures(referrals, verified_client, admin_user, agency_a):
    response = verified_client(admin_user).get(API, {"since": "2025-03-16", "until": "2025-04-30"})
    assert response.status_code == 200
    body = response.json()
    assert body["since"] == "2025-03-16" and body["until"] == "2025-04-30"
    first = body["agencies"][0]
    assert first["agency"] == {
        "code": agency_a.code,
        "name_th": agency_a.name_th,
        "name_en": agency_a.name_en,
    }
    assert first["referrals"] == 3
    assert first["median_days_to_acknowledge"] == pytest.approx(10.5)
    assert first["median_days_to_resolve"] == pytest.approx(24.5)
    assert first["share_disputed"] == pytest.approx(0.5)
    assert body["province"]["agency"] is None
    assert body["province"]["referrals"] == 5
    assert body["province"]["median_days_to_resolve"] == pytest.approx(10)


def test_the_api_gives_an_officer_their_own_row(referrals, verified_client, officer_b, agency_b):
    body = (
        verified_client(officer_b).get(API, {"since": "2025-03-16", "until": "2025-04-30"}).json()
    )
    assert [row["agency"]["code"] for row in body["agencies"]] == [agency_b.code]
    assert body["province"]["referrals"] == 5


def test_the_api_refuses_without_a_verified_staff_session(client, member, coordinator):
    assert client.get(API).status_code == 401
    client.force_login(member)
    assert client.get(API).status_code == 403
    unverified = Client()
    unverified.force_login(coordinator)
    response = unverified.get(API)
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"


def test_the_api_rejects_a_reversed_range(verified_client, coordinator):
    response = verified_client(coordinator).get(API, {"since": "2025-05-01", "until": "2025-04-01"})
    assert response.status_code == 422
    response = verified_client(coordinator).get(API, {"since": "not-a-date"})
    assert response.status_code == 422


def test_the_api_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"][API]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"since", "until"}
    assert "200" in operation["responses"]
