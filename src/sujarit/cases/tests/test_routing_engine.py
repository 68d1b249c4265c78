"""The engine's matching, priority and stop, on rules built in memory (no database needed
for matching)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sujarit.cases.models import Rank, ReportKind, RoutingRule
from sujarit.cases.routing import Facts, matching_rules, rule_matches


def rule(code: str, priority: int = 100, **fields: Any) -> RoutingRule:
    values: dict[str, Any] = {
        "kinds": [],
        "ranks": [],
        "accused_agency_kinds": [],
        "provinces": [],
        "target_kind": "nacc",
        "reason_th": code,
        "reason_en": code,
    }
    values.update(fields)
    return RoutingRule(code=code, priority=priority, **values)


FACTS = Facts(
    kind=ReportKind.CORRUPTION,
    rank=Rank.OFFICIAL,
    amount=Decimal("500000"),
    accused_agency_kind="sao",
    province="24",
    subdistrict="240101",
)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, {}),
        ({"kinds": ["corruption", "procurement"]}, {"kind": "corruption"}),
        ({"kinds": ["grievance"]}, None),
        ({"ranks": ["official"]}, {"rank": "official"}),
        ({"ranks": ["political"]}, None),
        ({"accused_agency_kinds": ["sao"]}, {"accused_agency_kind": "sao"}),
        ({"accused_agency_kinds": ["municipality"]}, None),
        ({"min_amount": Decimal("500000")}, {"amount": "500000"}),
        ({"min_amount": Decimal("500000.01")}, None),
        ({"max_amount": Decimal("500000.01")}, {"amount": "500000"}),
        # The upper bound is exclusive, so that two rules can split at one figure.
        ({"max_amount": Decimal("500000")}, None),
        ({"provinces": ["24"]}, {"province": "24"}),
        ({"provinces": ["10"]}, None),
        (
            {"kinds": ["corruption"], "ranks": ["official"], "provinces": ["24"]},
            {"kind": "corruption", "rank": "official", "province": "24"},
        ),
        ({"kinds": ["corruption"], "ranks": ["director"]}, None),
    ],
)
def test_a_rule_matches_when_every_condition_it_sets_holds(
    fields: dict[str, Any], expected: dict[str, Any] | None
) -> None:
    assert rule_matches(rule("r", **fields), FACTS) == expected


def test_an_amount_condition_fails_when_the_report_gives_no_amount() -> None:
    facts = Facts(
        kind="corruption",
        rank="official",
        amount=None,
        accused_agency_kind="",
        province="24",
        subdistrict="240101",
    )
    assert rule_matches(rule("r", min_amount=Decimal("1")), facts) is None
    assert rule_matches(rule("r", accused_agency_kinds=["sao"]), facts) is None


def test_rules_after_a_matching_stop_rule_are_not_read() -> None:
    rules = [
        rule("a", 10),
        rule("b-stop", 20, stop=True),
        rule("c", 30),
    ]
    assert [r.code for r, _facts in matching_rules(FACTS, rules)] == ["a", "b-stop"]


def test_a_stop_rule_that_does_not_match_stops_nothing() -> None:
    rules = [
        rule("a", 10, stop=True, kinds=["election_fraud"]),
        rule("b", 20),
        rule("c", 30, ranks=["official"]),
    ]
    assert [r.code for r, _facts in matching_rules(FACTS, rules)] == ["b", "c"]


def test_matched_facts_are_kept_per_rule() -> None:
    rules = [rule("a", kinds=["corruption"]), rule("b", ranks=["official"])]
    assert matching_rules(FACTS, rules) == [
        (rules[0], {"kind": "corruption"}),
        (rules[1], {"rank": "official"}),
    ]


@pytest.mark.django_db
def test_stored_rules_are_read_active_only_in_priority_order() -> None:
    RoutingRule.objects.create(code="late", priority=50, target_kind="nacc", reason_th="x")
    RoutingRule.objects.create(code="early", priority=5, target_kind="nacc", reason_th="x")
    RoutingRule.objects.create(
        code="off", priority=1, target_kind="nacc", reason_th="x", is_active=False
    )
    assert [r.code for r, _facts in matching_rules(FACTS)] == ["early", "late"]
