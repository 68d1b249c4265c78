"""Loading the default rules and checklists: idempotent, and an administrator's work survives."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.management import call_command
from django.utils import translation

import pytest

from sujarit.audit.models import AuditEvent
from sujarit.cases.models import AdmissibilityItem, RoutingRule
from sujarit.cases.rules import (
    default_item_specs,
    default_rule_specs,
    load_default_rules,
    restore_default_rules,
    save_rule,
)

pytestmark = pytest.mark.django_db


def test_loading_creates_every_default_rule_and_item() -> None:
    report = load_default_rules()
    rule_codes = {spec.code for spec in default_rule_specs()}
    assert set(report.rules.created) == rule_codes
    assert set(RoutingRule.objects.values_list("code", flat=True)) == rule_codes
    assert RoutingRule.objects.filter(is_default=True, is_active=True).count() == len(rule_codes)
    assert AdmissibilityItem.objects.filter(is_default=True).count() == len(default_item_specs())
    rule = RoutingRule.objects.get(code="nacc-large-amount")
    assert rule.min_amount == Decimal("10000000") and rule.max_amount is None
    assert "Policy choice" in rule.source and rule.unverified
    item = AdmissibilityItem.objects.get(code="pacc-time-limit")
    assert (item.target_kind, item.test, item.years) == ("pacc", "within_time_limit", 5)
    event = AuditEvent.objects.get(action="routing.defaults_loaded")
    assert event.actor is None
    assert event.data["rules"]["created"] == len(rule_codes)


def test_loading_again_changes_nothing_and_records_nothing() -> None:
    load_default_rules()
    report = load_default_rules()
    assert not report.rules.created and not report.rules.updated
    assert len(report.rules.unchanged) == len(default_rule_specs())
    assert len(report.items.unchanged) == len(default_item_specs())
    assert AuditEvent.objects.filter(action="routing.defaults_loaded").count() == 1


def test_a_default_changed_behind_the_loaders_back_is_put_right() -> None:
    load_default_rules()
    RoutingRule.objects.filter(code="pacc-official").update(target_kind="nacc", priority=1)
    report = load_default_rules()
    assert report.rules.updated == ["pacc-official"]
    rule = RoutingRule.objects.get(code="pacc-official")
    assert (rule.target_kind, rule.priority) == ("pacc_regional", 30)


def test_a_rule_an_administrator_created_is_never_touched(admin_user: object) -> None:
    RoutingRule.objects.create(
        code="pacc-official",
        priority=3,
        target_kind="ombudsman",
        reason_th="ของผู้ดูแล",
        reason_en="the administrator's",
    )
    mine = RoutingRule.objects.create(
        code="my-rule", priority=7, target_kind="nacc", reason_th="x", reason_en="x"
    )
    report = load_default_rules()
    assert report.rules.taken == ["pacc-official"]
    rule = RoutingRule.objects.get(code="pacc-official")
    assert (rule.is_default, rule.target_kind, rule.priority) == (False, "ombudsman", 3)
    mine.refresh_from_db()
    assert mine.is_active and not mine.is_default and mine.priority == 7


def test_an_administrators_deactivation_survives_a_reload(admin_user: object) -> None:
    load_default_rules()
    rule = RoutingRule.objects.get(code="nacc-large-amount")
    rule.is_active = False
    save_rule(rule=rule, by=admin_user)  # type: ignore[arg-type]
    rule.refresh_from_db()
    assert rule.customized

    report = load_default_rules()
    assert report.rules.kept == ["nacc-large-amount"]
    rule.refresh_from_db()
    assert rule.is_active is False and rule.customized


def test_an_administrators_threshold_survives_a_reload(admin_user: object) -> None:
    load_default_rules()
    rule = RoutingRule.objects.get(code="nacc-large-amount")
    rule.min_amount = Decimal("5000000")
    save_rule(rule=rule, by=admin_user)  # type: ignore[arg-type]
    load_default_rules()
    rule.refresh_from_db()
    assert rule.min_amount == Decimal("5000000")


def test_restore_puts_the_shipped_version_back(admin_user: object) -> None:
    load_default_rules()
    rule = RoutingRule.objects.get(code="nacc-large-amount")
    rule.is_active, rule.min_amount = False, Decimal("1")
    save_rule(rule=rule, by=admin_user)  # type: ignore[arg-type]

    report = load_default_rules(restore=True)
    assert report.rules.updated == ["nacc-large-amount"]
    rule.refresh_from_db()
    assert (rule.is_active, rule.min_amount, rule.customized) == (True, Decimal("10000000"), False)


def test_restoring_chosen_rules_leaves_the_others(admin_user: object) -> None:
    load_default_rules()
    for code in ("nacc-large-amount", "pacc-official"):
        rule = RoutingRule.objects.get(code=code)
        rule.priority = 99
        save_rule(rule=rule, by=admin_user)  # type: ignore[arg-type]
    counts = restore_default_rules(
        rules=RoutingRule.objects.filter(code="pacc-official"),
        by=admin_user,  # type: ignore[arg-type]
    )
    assert counts.updated == ["pacc-official"]
    assert RoutingRule.objects.get(code="pacc-official").priority == 30
    assert RoutingRule.objects.get(code="nacc-large-amount").priority == 99
    event = AuditEvent.objects.get(action="routing.rule_restored")
    assert event.actor == admin_user and event.data == {"code": "pacc-official"}


def test_a_default_no_longer_shipped_is_switched_off_not_deleted() -> None:
    load_default_rules()
    RoutingRule.objects.create(
        code="old-default",
        target_kind="nacc",
        reason_th="x",
        reason_en="x",
        is_default=True,
    )
    report = load_default_rules()
    assert report.rules.retired == ["old-default"]
    assert RoutingRule.objects.get(code="old-default").is_active is False


def test_a_customized_item_survives_and_a_changed_one_is_restored() -> None:
    load_default_rules()
    AdmissibilityItem.objects.filter(code="pacc-time-limit").update(years=7, customized=True)
    AdmissibilityItem.objects.filter(code="nacc-act").update(text_en="edited elsewhere")
    report = load_default_rules()
    assert report.items.kept == ["pacc:pacc-time-limit"]
    assert report.items.updated == ["nacc:nacc-act"]
    assert AdmissibilityItem.objects.get(code="pacc-time-limit").years == 7
    load_default_rules(restore=True)
    assert AdmissibilityItem.objects.get(code="pacc-time-limit").years == 5


def test_the_command_loads_and_reports() -> None:
    out = io.StringIO()
    with translation.override("en"):
        call_command("load-routing-rules", stdout=out)
    rules, items = len(default_rule_specs()), len(default_item_specs())
    assert f"Routing rules: {rules} created, 0 updated" in out.getvalue()
    assert f"Admissibility items: {items} created" in out.getvalue()
    RoutingRule.objects.filter(code="nacc-large-amount").update(customized=True, priority=1)
    out = io.StringIO()
    with translation.override("th"):
        call_command("load-routing-rules", stdout=out)
    assert "คงไว้ (ผู้ดูแลระบบแก้ไขแล้ว): nacc-large-amount" in out.getvalue()
    call_command("load-routing-rules", "--restore", stdout=io.StringIO())
    assert RoutingRule.objects.get(code="nacc-large-amount").priority == 40
