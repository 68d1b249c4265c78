"""The routing engine: which agency is competent for a case, and why.

Rules are rows (``RoutingRule``) that admins edit; the engine reads the active ones in
priority order, keeps every rule whose conditions hold, and stops after a matching rule marked
``stop``. Each kept rule names an agency *kind*; the engine resolves it to the agency of that
kind serving the case's area (the local administrative organization of the subdistrict for the
``local`` target; a national body when the province has no office of the kind). Each proposal
carries its rule and the facts it matched on. A case no rule matches is marked ``unrouted``
and waits in the coordinators' queue: never nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from sujarit.agencies.models import Agency, AgencyKind
from sujarit.agencies.queries import agencies_serving_subdistrict
from sujarit.cases.models import LOCAL_TARGET, Case, RoutingProposal, RoutingRule

#: Where a province has no office of a kind, the national body of the same family acts.
NATIONAL_FALLBACK: dict[str, str] = {
    AgencyKind.NACC_PROVINCIAL: AgencyKind.NACC,
    AgencyKind.PACC_REGIONAL: AgencyKind.PACC,
    AgencyKind.AUDIT_OFFICE_REGIONAL: AgencyKind.AUDIT_OFFICE,
    AgencyKind.ELECTION_COMMISSION_PROVINCIAL: AgencyKind.ELECTION_COMMISSION,
    AgencyKind.PROVINCIAL_OFFICE: AgencyKind.DAMRONGTHAM,
}

#: Local kinds that serve a single subdistrict (the PAO serves the whole province).
SUBDISTRICT_LOCAL_KINDS = (AgencyKind.SAO, AgencyKind.MUNICIPALITY, AgencyKind.BMA)


@dataclass(frozen=True)
class Facts:
    """What the rules look at, taken from a case (or from a form before it is saved)."""

    kind: str
    rank: str
    amount: Decimal | None
    accused_agency_kind: str
    province: str
    subdistrict: str
    accused_agency_id: int | None = None

    @classmethod
    def of(cls, case: Case) -> Facts:
        accused = case.accused_agency
        return cls(
            kind=case.kind,
            rank=case.accused_rank,
            amount=case.amount,
            accused_agency_kind=accused.kind if accused is not None else "",
            province=case.subdistrict.province_id,
            subdistrict=case.subdistrict_id,
            accused_agency_id=accused.pk if accused is not None else None,
        )


@dataclass
class Proposal:
    rule: RoutingRule
    target_kind: str
    agency: Agency | None
    facts: dict[str, Any] = field(default_factory=dict)


def rule_matches(rule: RoutingRule, facts: Facts) -> dict[str, Any] | None:
    """The facts that satisfied each condition the rule sets, or ``None`` when one fails."""
    matched: dict[str, Any] = {}
    if rule.kinds:
        if facts.kind not in rule.kinds:
            return None
        matched["kind"] = facts.kind
    if rule.ranks:
        if facts.rank not in rule.ranks:
            return None
        matched["rank"] = facts.rank
    if rule.accused_agency_kinds:
        if facts.accused_agency_kind not in rule.accused_agency_kinds:
            return None
        matched["accused_agency_kind"] = facts.accused_agency_kind
    if rule.min_amount is not None or rule.max_amount is not None:
        if facts.amount is None:
            return None
        if rule.min_amount is not None and facts.amount < rule.min_amount:
            return None
        if rule.max_amount is not None and facts.amount >= rule.max_amount:
            return None
        matched["amount"] = str(facts.amount)
    if rule.provinces:
        if facts.province not in rule.provinces:
            return None
        matched["province"] = facts.province
    return matched


def matching_rules(
    facts: Facts, rules: Iterable[RoutingRule] | None = None
) -> list[tuple[RoutingRule, dict[str, Any]]]:
    """The rules that apply, in priority order, up to and including the first ``stop`` rule."""
    if rules is None:
        rules = RoutingRule.objects.filter(is_active=True).order_by("priority", "code")
    kept = []
    for rule in rules:
        matched = rule_matches(rule, facts)
        if matched is None:
            continue
        kept.append((rule, matched))
        if rule.stop:
            break
    return kept


def resolve_target(target_kind: str, facts: Facts) -> Agency | None:
    """The agency of ``target_kind`` that serves the case's subdistrict, if the directory
    has one."""
    serving: QuerySet[Agency] = agencies_serving_subdistrict(facts.subdistrict)
    if target_kind == LOCAL_TARGET:
        local = serving.filter(kind__in=SUBDISTRICT_LOCAL_KINDS)
        # The agency the complainant named, when it is one of the subdistrict's own.
        if facts.accused_agency_id is not None:
            named = local.filter(pk=facts.accused_agency_id).first()
            if named is not None:
                return named
        return local.first()
    agency = serving.filter(kind=target_kind).first()
    if agency is None and target_kind in NATIONAL_FALLBACK:
        agency = serving.filter(kind=NATIONAL_FALLBACK[target_kind]).first()
    return agency


def propose(facts: Facts, rules: Iterable[RoutingRule] | None = None) -> list[Proposal]:
    """The competent agencies for these facts; one proposal per target, first rule wins."""
    proposals: list[Proposal] = []
    seen: set[tuple[str, int | None]] = set()
    for rule, matched in matching_rules(facts, rules):
        agency = resolve_target(rule.target_kind, facts)
        key = (rule.target_kind, agency.pk if agency is not None else None)
        if key in seen:
            continue
        seen.add(key)
        proposals.append(
            Proposal(rule=rule, target_kind=rule.target_kind, agency=agency, facts=matched)
        )
    return proposals


def route_case(*, case: Case, now: datetime | None = None) -> list[RoutingProposal]:
    """Store the engine's proposals for ``case`` (replacing earlier ones) and mark it
    ``unrouted`` when there are none. Call inside the transaction that saves the case."""
    now = now or timezone.now()
    RoutingProposal.objects.filter(case=case).delete()
    rows = [
        RoutingProposal(
            case=case,
            agency=proposal.agency,
            target_kind=proposal.target_kind,
            rule=proposal.rule,
            rule_code=proposal.rule.code,
            facts=proposal.facts,
            created_at=now,
        )
        for proposal in propose(Facts.of(case))
    ]
    RoutingProposal.objects.bulk_create(rows)
    unrouted = not rows
    if case.unrouted != unrouted:
        case.unrouted = unrouted
        case.save(update_fields=["unrouted", "updated_at"])
    return rows
