"""The shipped data files: every default has its source, and a wrong file is refused whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sujarit.cases.rules import (
    DefaultDataError,
    default_item_specs,
    default_rule_specs,
    parse_items,
    parse_rules,
    rule_problems,
)


def good_rule(**fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": "r",
        "kinds": ["corruption"],
        "target_kind": "nacc_provincial",
        "reason_th": "เหตุผล",
        "reason_en": "reason",
        "source": "a source",
    }
    row.update(fields)
    return row


def good_item(**fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "target_kind": "pacc",
        "code": "i",
        "test": "manual",
        "text_th": "ข้อ",
        "text_en": "item",
        "source": "a source",
    }
    row.update(fields)
    return row


def test_every_shipped_rule_has_its_source_and_both_reasons() -> None:
    specs = default_rule_specs()
    assert len(specs) >= 13
    for spec in specs:
        assert spec.values["source"] and spec.values["reason_th"] and spec.values["reason_en"]


def test_policy_choices_and_unsettled_facts_are_marked() -> None:
    unverified = {spec.code for spec in default_rule_specs() if spec.values["unverified"]}
    # Rank thresholds, the SAO channel and the amount threshold are what the research left open.
    assert {"nacc-senior", "nacc-director", "audit-state-funds", "nacc-large-amount"} <= unverified
    assert "election-ec" not in unverified
    items = {spec.code for spec in default_item_specs() if spec.values["unverified"]}
    assert {"nacc-evidence", "audit-channel"} <= items


def test_the_pacc_time_limit_is_five_years() -> None:
    (spec,) = [s for s in default_item_specs() if s.code == "pacc-time-limit"]
    assert spec.values["test"] == "within_time_limit" and spec.values["years"] == 5


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kinds": ["bribery"]}, "kinds: unknown value"),
        ({"ranks": ["general"]}, "ranks: unknown value"),
        ({"accused_agency_kinds": ["local"]}, "accused_agency_kinds: unknown value"),
        ({"target_kind": "police"}, "target_kind: unknown"),
        ({"min_amount": "100", "max_amount": "100"}, "min_amount must be below max_amount"),
        ({"min_amount": "lots"}, "min_amount is not a number"),
        ({"min_amount": "-5"}, "min_amount is negative"),
        ({"reason_en": " "}, "reason_en is required"),
        ({"source": ""}, "needs its source"),
        ({"code": ""}, "code missing"),
    ],
)
def test_a_wrong_rule_is_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(DefaultDataError, match=message):
        parse_rules({"rules": [good_rule(**fields)]})


def test_a_repeated_rule_code_is_refused() -> None:
    with pytest.raises(DefaultDataError, match="repeated"):
        parse_rules({"rules": [good_rule(), good_rule()]})


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"target_kind": "police"}, "target_kind: unknown"),
        ({"test": "guess"}, "test: unknown"),
        ({"test": "within_time_limit"}, "needs years"),
        ({"test": "manual", "years": 5}, "years is only for within_time_limit"),
        ({"text_th": ""}, "text_th is required"),
        ({"source": ""}, "needs its source"),
    ],
)
def test_a_wrong_item_is_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(DefaultDataError, match=message):
        parse_items({"items": [good_item(**fields)]})


def test_provinces_are_checked_against_the_known_codes() -> None:
    values = parse_rules({"rules": [good_rule(provinces=["24"])]})[0].values
    assert rule_problems(values, province_codes={"24"}) == []
    assert rule_problems(values, province_codes={"10"}) == ["provinces: unknown province in ['24']"]


def test_the_documentation_lists_every_default_rule() -> None:
    docs = Path(__file__).resolve().parents[4] / "docs" / "cases-routing.md"
    text = docs.read_text(encoding="utf-8")
    for spec in default_rule_specs():
        assert f"| `{spec.code}` |" in text, spec.code
