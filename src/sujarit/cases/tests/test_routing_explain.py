"""Each proposal explains itself: which rules, which facts, in the active language."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.utils import translation

import pytest

from sujarit.cases.models import Case, Rank, ReportKind, RoutingProposal, RoutingRule
from sujarit.cases.routing import explain, explain_lines

pytestmark = pytest.mark.django_db


def nacc_proposal(case: Case) -> RoutingProposal:
    return case.proposals.get(agency__code="nacc-24")


def test_a_proposal_explains_its_rule_and_facts_in_thai(
    case_factory: Callable[..., Case],
) -> None:
    case = case_factory(kind=ReportKind.CORRUPTION, accused_rank=Rank.SENIOR_EXECUTIVE)
    with translation.override("th"):
        text = explain(nacc_proposal(case))
    assert text.startswith("กฎ nacc-senior: ผู้ถูกร้องเป็นผู้บริหารระดับสูง")
    assert "ตำแหน่งของผู้ที่เกี่ยวข้อง: " in text and "ประเภทเรื่อง: " in text


def test_a_proposal_explains_its_rule_and_facts_in_english(
    case_factory: Callable[..., Case],
) -> None:
    case = case_factory(kind=ReportKind.CORRUPTION, accused_rank=Rank.SENIOR_EXECUTIVE)
    with translation.override("en"):
        text = explain(nacc_proposal(case))
    assert text == (
        "Rule nacc-senior: The person involved is a high-level executive, which is for the "
        "NACC to investigate. (kind of report: Corruption or misconduct by an official; rank "
        "of the person involved: High-level executive (e.g. permanent secretary, "
        "director-general, governor))"
    )


def test_a_proposal_several_rules_made_explains_each(
    case_factory: Callable[..., Case],
) -> None:
    case = case_factory(
        kind=ReportKind.STATE_FUNDS, accused_rank=Rank.POLITICAL, amount=Decimal("15000000")
    )
    with translation.override("en"):
        lines = explain_lines(nacc_proposal(case))
    assert len(lines) == 2
    assert lines[0].startswith("Rule nacc-political: The person involved holds a political")
    assert lines[1].startswith("Rule nacc-large-amount: The amount involved is 10 million")
    assert "amount involved: 15,000,000.00 baht" in lines[1]
    with translation.override("th"):
        assert "15,000,000.00 บาท" in explain(nacc_proposal(case))


def test_the_explanation_survives_the_rule_being_edited_or_deleted(
    case_factory: Callable[..., Case],
) -> None:
    case = case_factory(kind=ReportKind.CORRUPTION, accused_rank=Rank.OFFICIAL)
    proposal = case.proposals.get()
    with translation.override("en"):
        before = explain(proposal)
    RoutingRule.objects.filter(code="pacc-official").update(reason_en="changed later")
    RoutingRule.objects.filter(code="pacc-official").delete()
    proposal.refresh_from_db()
    assert proposal.rule is None
    with translation.override("en"):
        assert explain(proposal) == before


def test_a_proposal_stored_without_reasons_reads_its_rule(
    case_factory: Callable[..., Case],
) -> None:
    case = case_factory(kind=ReportKind.CORRUPTION, accused_rank=Rank.OFFICIAL)
    proposal = case.proposals.get()
    proposal.matches = []
    with translation.override("th"):
        assert explain(proposal).startswith("กฎ pacc-official: ผู้ถูกร้องเป็นเจ้าหน้าที่ของรัฐ")


def test_a_province_condition_is_explained_with_the_province_name(
    case_factory: Callable[..., Case],
) -> None:
    RoutingRule.objects.create(
        code="only-here",
        priority=1,
        provinces=["24"],
        kinds=[ReportKind.CORRUPTION],
        target_kind="ombudsman",
        reason_th="เฉพาะจังหวัดนี้",
        reason_en="only in this province",
    )
    case = case_factory(kind=ReportKind.CORRUPTION)
    with translation.override("th"):
        text = explain(case.proposals.get(rule_code="only-here"))
    assert text.endswith("จังหวัด: ฉะเชิงเทรา)")
