"""The routing settings in the admin: administrators edit rules, service levels and
admissibility items (each edit audited); nobody browses cases or complainants there."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.test import Client

import pytest

from sujarit.accounts.models import User
from sujarit.audit.models import AuditEvent
from sujarit.cases.models import (
    AdmissibilityItem,
    Case,
    CaseEvent,
    Complainant,
    IdentityRequest,
    Message,
    Referral,
    RoutingRule,
    ServiceLevel,
)

pytestmark = pytest.mark.django_db

RULES = "/admin/cases/routingrule/"
LEVELS = "/admin/cases/servicelevel/"
ITEMS = "/admin/cases/admissibilityitem/"


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def rule_form(rule: RoutingRule, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": rule.code,
        "priority": rule.priority,
        "kinds": rule.kinds,
        "ranks": rule.ranks,
        "accused_agency_kinds": rule.accused_agency_kinds,
        "min_amount": "" if rule.min_amount is None else str(rule.min_amount),
        "max_amount": "" if rule.max_amount is None else str(rule.max_amount),
        "provinces": rule.provinces,
        "target_kind": rule.target_kind,
        "reason_th": rule.reason_th,
        "reason_en": rule.reason_en,
        "source": rule.source,
        "unverified": rule.unverified,
    }
    if rule.is_active:
        data["is_active"] = "on"
    if rule.stop:
        data["stop"] = "on"
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def admin_client(
    cases_area: str, admin_user: User, verified_client: Callable[[User], Client]
) -> Client:
    return english(verified_client(admin_user))


def test_the_admin_lists_rules_with_priority_target_and_state(admin_client: Client) -> None:
    html = admin_client.get(RULES).content.decode()
    for code in ("election-ec", "nacc-large-amount", "ombudsman-agency"):
        assert code in html
    assert "column-priority" in html and "column-target_kind" in html
    assert "column-is_active" in html
    assert "≥ 10,000,000 baht" in html


def test_the_rule_form_offers_choices_not_json(admin_client: Client) -> None:
    rule = RoutingRule.objects.get(code="nacc-large-amount")
    html = admin_client.get(f"{RULES}{rule.pk}/change/").content.decode()
    assert 'type="checkbox" name="kinds" value="corruption"' in html
    assert 'name="ranks" value="senior_executive"' in html
    assert 'name="accused_agency_kinds" value="sao"' in html
    assert '<option value="24">24 ฉะเชิงเทรา</option>' in html


def test_an_admin_edits_a_default_rule_and_the_edit_is_audited(
    admin_client: Client, admin_user: User
) -> None:
    rule = RoutingRule.objects.get(code="nacc-large-amount")
    response = admin_client.post(
        f"{RULES}{rule.pk}/change/",
        rule_form(rule, min_amount="5000000", ranks=["unknown", "official"], provinces=["24"]),
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.min_amount == Decimal("5000000")
    assert rule.ranks == ["unknown", "official"] and rule.provinces == ["24"]
    assert rule.customized is True
    event = AuditEvent.objects.get(action="routing.rule_changed")
    assert event.actor == admin_user
    assert event.target_id == str(rule.pk)
    assert event.data["changes"]["min_amount"] == {"before": "10000000.00", "after": "5000000"}
    assert event.data["changes"]["ranks"] == {"before": [], "after": ["unknown", "official"]}
    assert set(event.data["changes"]) == {"min_amount", "ranks", "provinces"}


def test_an_admin_switches_off_a_default_rule(admin_client: Client) -> None:
    rule = RoutingRule.objects.get(code="nacc-director")
    data = rule_form(rule)
    del data["is_active"]
    assert admin_client.post(f"{RULES}{rule.pk}/change/", data).status_code == 302
    rule.refresh_from_db()
    assert rule.is_active is False and rule.customized is True
    event = AuditEvent.objects.get(action="routing.rule_changed")
    assert event.data["changes"] == {"is_active": {"before": True, "after": False}}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"min_amount": "5000000", "max_amount": "5000000"},
            "The upper amount must be above the minimum amount.",
        ),
        ({"min_amount": "-1"}, "An amount cannot be negative."),
        ({"kinds": ["bribery"]}, "Select a valid choice. bribery is not one of"),
        ({"provinces": ["99"]}, "Select a valid choice. 99 is not one of"),
        ({"target_kind": "police"}, "Select a valid choice. police is not one of"),
        ({"reason_en": ""}, "This field is required."),
    ],
)
def test_a_wrong_rule_is_refused_and_nothing_is_saved(
    admin_client: Client, changes: dict[str, Any], message: str
) -> None:
    rule = RoutingRule.objects.get(code="nacc-large-amount")
    response = admin_client.post(f"{RULES}{rule.pk}/change/", rule_form(rule, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    rule.refresh_from_db()
    assert rule.min_amount == Decimal("10000000") and not rule.customized
    assert not AuditEvent.objects.filter(action__startswith="routing.rule_").exists()


def test_the_amount_error_reads_in_thai(
    cases_area: str, admin_user: User, verified_client: Callable[[User], Client]
) -> None:
    client = verified_client(admin_user)
    rule = RoutingRule.objects.get(code="nacc-large-amount")
    response = client.post(
        f"{RULES}{rule.pk}/change/", rule_form(rule, min_amount="9", max_amount="1")
    )
    assert "จำนวนเงินสูงสุดต้องมากกว่าจำนวนเงินขั้นต่ำ" in response.content.decode()


def test_an_admin_adds_and_deletes_their_own_rule(admin_client: Client, admin_user: User) -> None:
    blank = RoutingRule(code="ombudsman-pao", priority=85, target_kind="ombudsman")
    data = rule_form(
        blank,
        kinds=["grievance"],
        accused_agency_kinds=["pao"],
        reason_th="เรื่องร้องทุกข์ต่อ อบจ.",
        reason_en="A grievance about the PAO.",
        is_active="on",
    )
    assert admin_client.post(f"{RULES}add/", data).status_code == 302
    rule = RoutingRule.objects.get(code="ombudsman-pao")
    assert not rule.is_default and not rule.customized and rule.is_active
    created = AuditEvent.objects.get(action="routing.rule_created")
    assert created.actor == admin_user and created.data["code"] == "ombudsman-pao"

    response = admin_client.post(f"{RULES}{rule.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not RoutingRule.objects.filter(code="ombudsman-pao").exists()
    deleted = AuditEvent.objects.get(action="routing.rule_deleted")
    assert deleted.actor == admin_user and deleted.target_id == str(rule.pk)


def test_a_default_rule_cannot_be_deleted(admin_client: Client) -> None:
    rule = RoutingRule.objects.get(code="election-ec")
    assert admin_client.get(f"{RULES}{rule.pk}/delete/").status_code == 403
    assert admin_client.post(f"{RULES}{rule.pk}/delete/", {"post": "yes"}).status_code == 403
    assert RoutingRule.objects.filter(code="election-ec").exists()
    # The bulk delete is not offered at all.
    assert "delete_selected" not in admin_client.get(RULES).content.decode()


def test_the_code_of_a_default_rule_is_read_only(admin_client: Client) -> None:
    rule = RoutingRule.objects.get(code="election-ec")
    assert admin_client.post(
        f"{RULES}{rule.pk}/change/", rule_form(rule, code="renamed", priority=11)
    ).status_code == (302)
    rule.refresh_from_db()
    assert rule.code == "election-ec" and rule.priority == 11


def test_an_admin_restores_the_shipped_version(admin_client: Client, admin_user: User) -> None:
    rule = RoutingRule.objects.get(code="pacc-official")
    admin_client.post(f"{RULES}{rule.pk}/change/", rule_form(rule, priority=99))
    response = admin_client.post(
        RULES, {"action": "restore_shipped_version", "_selected_action": [rule.pk]}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.priority == 30 and not rule.customized
    assert AuditEvent.objects.get(action="routing.rule_restored").actor == admin_user


def test_an_admin_edits_a_service_level(admin_client: Client, admin_user: User) -> None:
    response = admin_client.post(f"{LEVELS}add/", {"status": "screening", "days": "3"})
    assert response.status_code == 302
    level = ServiceLevel.objects.get(status="screening")
    response = admin_client.post(f"{LEVELS}{level.pk}/change/", {"status": "screening", "days": 5})
    assert response.status_code == 302
    level.refresh_from_db()
    assert level.days == 5
    created = AuditEvent.objects.get(action="cases.service_level_created")
    changed = AuditEvent.objects.get(action="cases.service_level_changed")
    assert created.actor == changed.actor == admin_user
    assert changed.data == {"status": "screening", "changes": {"days": {"before": 3, "after": 5}}}
    assert "screening" in admin_client.get(LEVELS).content.decode()

    assert admin_client.post(f"{LEVELS}{level.pk}/delete/", {"post": "yes"}).status_code == 302
    assert AuditEvent.objects.filter(action="cases.service_level_deleted").exists()


def test_a_service_level_of_zero_days_is_refused(admin_client: Client) -> None:
    response = admin_client.post(f"{LEVELS}add/", {"status": "screening", "days": "0"})
    assert response.status_code == 200
    assert "Give at least one day." in response.content.decode()
    assert not ServiceLevel.objects.exists()


def item_form(item: AdmissibilityItem, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "target_kind": item.target_kind,
        "code": item.code,
        "order": item.order,
        "is_active": "on" if item.is_active else None,
        "test": item.test,
        "years": "" if item.years is None else item.years,
        "text_th": item.text_th,
        "text_en": item.text_en,
        "source": item.source,
        "unverified": item.unverified,
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_an_admin_edits_an_admissibility_item(admin_client: Client, admin_user: User) -> None:
    item = AdmissibilityItem.objects.get(code="pacc-time-limit")
    assert "pacc-time-limit" in admin_client.get(ITEMS).content.decode()
    response = admin_client.post(f"{ITEMS}{item.pk}/change/", item_form(item, years=10))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.years == 10 and item.customized
    event = AuditEvent.objects.get(action="routing.admissibility_item_changed")
    assert event.actor == admin_user
    assert event.data["changes"] == {"years": {"before": 5, "after": 10}}
    assert admin_client.get(f"{ITEMS}{item.pk}/delete/").status_code == 403


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"years": ""}, "Give the time limit in years (1 or more)."),
        ({"test": "manual", "years": "5"}, "Years are only for the time limit test"),
    ],
)
def test_a_wrong_admissibility_item_is_refused(
    admin_client: Client, changes: dict[str, Any], message: str
) -> None:
    item = AdmissibilityItem.objects.get(code="pacc-time-limit")
    response = admin_client.post(f"{ITEMS}{item.pk}/change/", item_form(item, **changes))
    assert response.status_code == 200 and message in response.content.decode()
    item.refresh_from_db()
    assert item.years == 5 and not item.customized


def test_an_admin_adds_and_deletes_their_own_item(admin_client: Client) -> None:
    blank = AdmissibilityItem(
        target_kind="ombudsman",
        code="ombudsman-not-in-court",
        order=40,
        test="manual",
        text_th="ไม่อยู่ระหว่างการพิจารณาของศาล",
        text_en="Not before a court.",
    )
    assert admin_client.post(f"{ITEMS}add/", item_form(blank, is_active="on")).status_code == 302
    item = AdmissibilityItem.objects.get(code="ombudsman-not-in-court")
    assert AuditEvent.objects.filter(action="routing.admissibility_item_created").exists()
    assert admin_client.post(f"{ITEMS}{item.pk}/delete/", {"post": "yes"}).status_code == 302
    assert AuditEvent.objects.filter(action="routing.admissibility_item_deleted").exists()


@pytest.mark.parametrize("url", [RULES, f"{RULES}add/", LEVELS, ITEMS])
def test_a_coordinator_cannot_reach_the_routing_admin(
    url: str, cases_area: str, coordinator: User, verified_client: Callable[[User], Client]
) -> None:
    response = verified_client(coordinator).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_coordinator_cannot_change_a_rule_through_the_admin(
    cases_area: str, coordinator: User, verified_client: Callable[[User], Client]
) -> None:
    rule = RoutingRule.objects.get(code="nacc-large-amount")
    client = verified_client(coordinator)
    response = client.post(f"{RULES}{rule.pk}/change/", rule_form(rule, min_amount="1"))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.min_amount == Decimal("10000000")
    assert not AuditEvent.objects.filter(action="routing.rule_changed").exists()


def test_anonymous_visitors_are_sent_to_log_in(cases_area: str, client: Client) -> None:
    response = client.get(RULES)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    "model", [Case, Complainant, CaseEvent, Message, Referral, IdentityRequest]
)
def test_cases_and_complainants_are_not_in_the_admin(model: type) -> None:
    assert not admin.site.is_registered(model)


def test_an_admin_finds_no_case_pages_in_the_admin(admin_client: Client) -> None:
    assert admin_client.get("/admin/cases/case/").status_code == 404
    assert admin_client.get("/admin/cases/complainant/").status_code == 404
    html = admin_client.get("/admin/").content.decode()
    assert "/admin/cases/routingrule/" in html and "/admin/cases/case/" not in html
