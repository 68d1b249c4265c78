"""Every default routing rule, table-driven: a report's facts → the agencies proposed and the
rules named in each proposal's reason. Province 24 (Chachoengsao) with its reference agencies
and demo local bodies; subdistrict 240101 has a demo town municipality, 240102 a demo SAO."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from sujarit.agencies.models import Agency
from sujarit.cases.models import Case, Rank, ReportKind, RoutingRule
from sujarit.cases.rules import default_rule_specs

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Row:
    name: str
    kind: str
    rank: str = Rank.UNKNOWN
    amount: str | None = None
    accused: str | None = None  # code of the agency named as involved
    subdistrict: str = "240101"
    #: (agency code, rule codes in the proposal's reason), in proposal order.
    expected: list[tuple[str, list[str]]] = field(default_factory=list)


CORRUPTION, FUNDS, PROCUREMENT = (
    ReportKind.CORRUPTION,
    ReportKind.STATE_FUNDS,
    ReportKind.PROCUREMENT,
)
GRIEVANCE, ELECTION = ReportKind.GRIEVANCE, ReportKind.ELECTION_FRAUD

ROWS = [
    Row(
        "election-ec: election fraud goes to the provincial EC and stops the rest",
        ELECTION,
        Rank.POLITICAL,
        amount="20000000",
        expected=[("election-commission-24", ["election-ec"])],
    ),
    Row(
        "nacc-political: a political office holder goes to NACC",
        CORRUPTION,
        Rank.POLITICAL,
        expected=[("nacc-24", ["nacc-political"])],
    ),
    Row(
        "nacc-senior: a high-level executive goes to NACC",
        CORRUPTION,
        Rank.SENIOR_EXECUTIVE,
        expected=[("nacc-24", ["nacc-senior"])],
    ),
    Row(
        "nacc-director with audit-state-funds: a director's procurement",
        PROCUREMENT,
        Rank.DIRECTOR,
        expected=[("nacc-24", ["nacc-director"]), ("audit-office-region-2", ["audit-state-funds"])],
    ),
    Row(
        "pacc-official: an official below director level goes to the PACC regional office",
        CORRUPTION,
        Rank.OFFICIAL,
        expected=[("pacc-region-2", ["pacc-official"])],
    ),
    Row(
        "pacc-local-staff and local-discipline: local staff go to PACC and their local body",
        CORRUPTION,
        Rank.LOCAL_STAFF,
        expected=[
            ("pacc-region-2", ["pacc-local-staff"]),
            ("demo-municipality-240101", ["local-discipline"]),
        ],
    ),
    Row(
        "local-discipline: the local body named as involved takes the discipline",
        FUNDS,
        Rank.LOCAL_STAFF,
        accused="demo-sao-240102",
        expected=[
            ("pacc-region-2", ["pacc-local-staff"]),
            ("demo-sao-240102", ["local-discipline"]),
            ("audit-office-region-2", ["audit-state-funds"]),
        ],
    ),
    Row(
        "nacc-large-amount: 10 million baht with no known rank goes to NACC",
        CORRUPTION,
        amount="10000000",
        expected=[("nacc-24", ["nacc-large-amount"])],
    ),
    Row(
        "nacc-large-amount beside pacc-official",
        CORRUPTION,
        Rank.OFFICIAL,
        amount="12500000.50",
        expected=[("pacc-region-2", ["pacc-official"]), ("nacc-24", ["nacc-large-amount"])],
    ),
    Row(
        "nacc-political and nacc-large-amount make one NACC proposal naming both",
        FUNDS,
        Rank.POLITICAL,
        amount="15000000",
        expected=[
            ("nacc-24", ["nacc-political", "nacc-large-amount"]),
            ("audit-office-region-2", ["audit-state-funds"]),
        ],
    ),
    Row(
        "audit-state-funds: misuse of state money with no named official",
        FUNDS,
        expected=[("audit-office-region-2", ["audit-state-funds"])],
    ),
    Row(
        "audit-state-funds: a procurement irregularity below the NACC amount",
        PROCUREMENT,
        amount="9999999.99",
        expected=[("audit-office-region-2", ["audit-state-funds"])],
    ),
    Row(
        "grievance-local: a grievance about the subdistrict's own local body, stops the rest",
        GRIEVANCE,
        accused="demo-municipality-240101",
        expected=[("demo-municipality-240101", ["grievance-local"])],
    ),
    Row(
        "grievance-local: the Provincial Administrative Organization named as involved",
        GRIEVANCE,
        accused="pao-24",
        expected=[("pao-24", ["grievance-local"])],
    ),
    Row(
        "grievance-local-staff: a grievance about local staff, no agency named",
        GRIEVANCE,
        Rank.LOCAL_STAFF,
        subdistrict="240102",
        expected=[("demo-sao-240102", ["grievance-local-staff"])],
    ),
    Row(
        "grievance-damrongtham: a grievance about an official",
        GRIEVANCE,
        Rank.OFFICIAL,
        expected=[("damrongtham-24", ["grievance-damrongtham"])],
    ),
    Row(
        "grievance-damrongtham: a grievance naming no agency and no person",
        GRIEVANCE,
        expected=[("damrongtham-24", ["grievance-damrongtham"])],
    ),
    Row(
        "ombudsman-agency: a grievance about a state agency's own conduct",
        GRIEVANCE,
        accused="provincial-office-24",
        expected=[
            ("damrongtham-24", ["grievance-damrongtham"]),
            ("ombudsman", ["ombudsman-agency"]),
        ],
    ),
]


def _submit(case_factory: Callable[..., Case], row: Row) -> Case:
    fields: dict[str, Any] = {
        "kind": row.kind,
        "accused_rank": row.rank,
        "subdistrict": row.subdistrict,
    }
    if row.amount is not None:
        fields["amount"] = Decimal(row.amount)
    if row.accused is not None:
        fields["accused_agency"] = Agency.objects.get(code=row.accused)
    return case_factory(**fields)


def proposals_of(case: Case) -> list[tuple[str, list[str]]]:
    return [
        (proposal.agency.code if proposal.agency else "", [m["rule"] for m in proposal.matches])
        for proposal in case.proposals.select_related("agency").order_by("id")
    ]


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_default_rule(row: Row, case_factory: Callable[..., Case]) -> None:
    case = _submit(case_factory, row)
    assert proposals_of(case) == row.expected
    assert case.unrouted is False
    first = case.proposals.order_by("id").first()
    assert first is not None and first.rule_code == row.expected[0][1][0]
    assert first.rule is not None and first.rule.code == first.rule_code


def test_every_default_rule_has_a_row() -> None:
    shipped = {spec.code for spec in default_rule_specs()}
    covered = {code for row in ROWS for _agency, codes in row.expected for code in codes}
    assert shipped == covered


def test_a_report_no_rule_matches_waits_for_a_coordinator(
    case_factory: Callable[..., Case],
) -> None:
    # Corruption with no known rank and no amount: NACC or PACC depends on facts the
    # coordinator establishes while screening.
    case = _submit(case_factory, Row("unknown rank", CORRUPTION))
    assert case.unrouted is True
    assert not case.proposals.exists()
    assert Case.objects.filter(unrouted=True).get() == case


def test_a_small_amount_with_no_rank_is_not_routed_by_amount(
    case_factory: Callable[..., Case],
) -> None:
    case = _submit(case_factory, Row("small", CORRUPTION, amount="9999999.99"))
    assert case.unrouted is True and not case.proposals.exists()


def test_election_fraud_stops_general_rules(case_factory: Callable[..., Case]) -> None:
    # The default corruption rules name their kinds; a general rule an administrator adds
    # (any report about a political office holder → NACC) is what the stop keeps out.
    RoutingRule.objects.create(
        code="nacc-any-political",
        priority=90,
        ranks=[Rank.POLITICAL],
        target_kind="nacc_provincial",
        reason_th="ผู้ดำรงตำแหน่งทางการเมือง",
        reason_en="political office holder",
    )
    case = _submit(case_factory, ROWS[0])
    assert proposals_of(case) == [("election-commission-24", ["election-ec"])]
    rule = RoutingRule.objects.get(code="election-ec")
    rule.stop = False
    rule.save()
    case = _submit(case_factory, ROWS[0])
    assert proposals_of(case) == [
        ("election-commission-24", ["election-ec"]),
        ("nacc-24", ["nacc-any-political"]),
    ]


def test_the_local_grievance_rule_stops_damrongtham_and_the_ombudsman(
    case_factory: Callable[..., Case],
) -> None:
    row = Row("local", GRIEVANCE, accused="demo-sao-240102", subdistrict="240102")
    assert proposals_of(_submit(case_factory, row)) == [("demo-sao-240102", ["grievance-local"])]
    rule = RoutingRule.objects.get(code="grievance-local")
    rule.stop = False
    rule.save()
    assert proposals_of(_submit(case_factory, row)) == [
        ("demo-sao-240102", ["grievance-local"]),
        ("damrongtham-24", ["grievance-damrongtham"]),
    ]


def test_a_switched_off_default_rule_is_not_read(case_factory: Callable[..., Case]) -> None:
    RoutingRule.objects.filter(code="nacc-large-amount").update(is_active=False)
    case = _submit(case_factory, Row("big", CORRUPTION, amount="50000000"))
    assert case.unrouted is True and not case.proposals.exists()


def test_an_admin_rule_with_a_lower_priority_number_comes_first(
    case_factory: Callable[..., Case],
) -> None:
    RoutingRule.objects.create(
        code="ombudsman-first",
        priority=5,
        kinds=[ReportKind.CORRUPTION],
        ranks=[Rank.OFFICIAL],
        target_kind="ombudsman",
        stop=True,
        reason_th="ทดสอบ",
        reason_en="test",
    )
    case = _submit(case_factory, Row("first", CORRUPTION, Rank.OFFICIAL))
    assert proposals_of(case) == [("ombudsman", ["ombudsman-first"])]


def test_a_rule_whose_agency_is_missing_leaves_the_case_unrouted(
    case_factory: Callable[..., Case],
) -> None:
    # No Damrongtham centre and no provincial office in the directory: the proposal names the
    # kind, and the case waits for a coordinator.
    Agency.objects.filter(code__in=["damrongtham-24", "provincial-office-24"]).update(
        is_active=False
    )
    case = _submit(case_factory, Row("missing", GRIEVANCE, Rank.OFFICIAL))
    proposal = case.proposals.get()
    assert proposal.agency is None and proposal.target_kind == "damrongtham"
    assert case.unrouted is True


def test_routing_again_replaces_the_proposals(case_factory: Callable[..., Case]) -> None:
    from sujarit.cases.routing import route_case

    case = _submit(case_factory, Row("unknown", CORRUPTION))
    assert case.unrouted
    case.accused_rank = Rank.OFFICIAL
    case.save(update_fields=["accused_rank"])
    rows = route_case(case=case)
    case.refresh_from_db()
    assert [row.rule_code for row in rows] == ["pacc-official"]
    assert case.unrouted is False and case.proposals.count() == 1
