"""The routing engine: which agency is competent for a case, and why.

Rules are rows (``RoutingRule``) that admins edit; the engine reads the active ones in
priority order, keeps every rule whose conditions hold, and stops after a matching rule marked
``stop``. Each kept rule names an agency *kind*; the engine resolves it to the agency of that
kind serving the case's area (the local administrative organization of the subdistrict for the
``local`` target; a national body when the province has no office of the kind). Rules that
lead to the same agency make one proposal that lists them all. Each proposal carries its rules
and the facts they matched on. A case for which no proposal finds an agency is marked
``unrouted`` and waits in the coordinators' queue: never nowhere.

See docs/cases-routing.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sujarit.agencies.models import LOCAL_KINDS, Agency, AgencyKind
from sujarit.agencies.queries import agencies_serving_subdistrict
from sujarit.cases.models import (
    LOCAL_TARGET,
    TARGET_CHOICES,
    Case,
    Rank,
    ReportKind,
    RoutingProposal,
    RoutingRule,
)
from sujarit.geo.models import Province, Subdistrict
from sujarit.lib.refcache import ReferenceCache

#: Where a province has no office of a kind, the body above it acts: the national body of the
#: same family, and for a Damrongtham centre the provincial office it belongs to (provincial
#: centres work under the governor).
NATIONAL_FALLBACK: dict[str, str] = {
    AgencyKind.NACC_PROVINCIAL: AgencyKind.NACC,
    AgencyKind.PACC_REGIONAL: AgencyKind.PACC,
    AgencyKind.AUDIT_OFFICE_REGIONAL: AgencyKind.AUDIT_OFFICE,
    AgencyKind.ELECTION_COMMISSION_PROVINCIAL: AgencyKind.ELECTION_COMMISSION,
    AgencyKind.DAMRONGTHAM: AgencyKind.PROVINCIAL_OFFICE,
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
        if Case.subdistrict.is_cached(case):
            province = case.subdistrict.province_id
        else:
            # Loading the subdistrict would bring its boundary, a large document.
            province = (
                Subdistrict.objects.filter(code=case.subdistrict_id)
                .values_list("province_id", flat=True)
                .get()
            )
        return cls(
            kind=case.kind,
            rank=case.accused_rank,
            amount=case.amount,
            accused_agency_kind=accused.kind if accused is not None else "",
            province=province,
            subdistrict=case.subdistrict_id,
            accused_agency_id=accused.pk if accused is not None else None,
        )


@dataclass
class Proposal:
    """One agency (or, when the directory has none, one agency kind) and the rules behind it.

    ``rule`` and ``facts`` are those of the first rule; ``matches`` holds every rule that led
    here with the facts it matched on, in priority order.
    """

    rule: RoutingRule
    target_kind: str
    agency: Agency | None
    facts: dict[str, Any] = field(default_factory=dict)
    matches: list[tuple[RoutingRule, dict[str, Any]]] = field(default_factory=list)

    @property
    def rule_codes(self) -> list[str]:
        return [rule.code for rule, _ in self.matches]


def is_unrouted(proposals: list[Proposal]) -> bool:
    """A rule that matched but found no agency in the directory leaves the coordinator to
    choose, just as no rule at all does."""
    return not any(proposal.agency is not None for proposal in proposals)


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


_rules_cache: ReferenceCache[list[RoutingRule]] = ReferenceCache("routing rules", maxsize=1)
_serving_cache: ReferenceCache[list[Agency]] = ReferenceCache("agencies serving a subdistrict")


def active_rules() -> list[RoutingRule]:
    """The active rules in priority order (read once per process for a short while: every
    report reads them; see ``sujarit.lib.refcache``)."""
    return _rules_cache.get(
        "active",
        lambda: list(RoutingRule.objects.filter(is_active=True).order_by("priority", "code")),
    )


def serving_agencies(subdistrict_code: str) -> list[Agency]:
    """The agencies serving a subdistrict, widest level first (cached like the rules)."""
    return _serving_cache.get(
        subdistrict_code,
        lambda: list(agencies_serving_subdistrict(subdistrict_code).defer("address")),
    )


def matching_rules(
    facts: Facts, rules: Iterable[RoutingRule] | None = None
) -> list[tuple[RoutingRule, dict[str, Any]]]:
    """The rules that apply, in priority order, up to and including the first ``stop`` rule.

    Rules given by the caller are read in the order given (callers pass them sorted)."""
    if rules is None:
        rules = active_rules()
    kept = []
    for rule in rules:
        matched = rule_matches(rule, facts)
        if matched is None:
            continue
        kept.append((rule, matched))
        if rule.stop:
            break
    return kept


class _Area:
    """The agencies serving one subdistrict, read once for all the rules of a case."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.serving = serving_agencies(facts.subdistrict)
        self._named: Agency | None | bool = False

    def named_local_body(self) -> Agency | None:
        """The local body the complainant named as involved, if they named one."""
        if self._named is False:
            named: Agency | None = None
            if (
                self.facts.accused_agency_id is not None
                and self.facts.accused_agency_kind in LOCAL_KINDS
            ):
                named = next(
                    (a for a in self.serving if a.pk == self.facts.accused_agency_id), None
                )
                if named is None:
                    # Named but not linked to this subdistrict (the complainant may give the
                    # place where it happened, not the body's seat): the named body still acts.
                    named = Agency.objects.filter(
                        pk=self.facts.accused_agency_id, is_active=True
                    ).first()
            self._named = named
        return self._named if isinstance(self._named, Agency) else None

    def resolve(self, target_kind: str) -> Agency | None:
        if target_kind == LOCAL_TARGET:
            named = self.named_local_body()
            if named is not None:
                return named
            return next((a for a in self.serving if a.kind in SUBDISTRICT_LOCAL_KINDS), None)
        agency = next((a for a in self.serving if a.kind == target_kind), None)
        if agency is None and target_kind in NATIONAL_FALLBACK:
            fallback = NATIONAL_FALLBACK[target_kind]
            agency = next((a for a in self.serving if a.kind == fallback), None)
        return agency


def resolve_target(target_kind: str, facts: Facts) -> Agency | None:
    """The agency of ``target_kind`` that serves the case's subdistrict, if the directory
    has one; for ``local``, the local body the complainant named, else the subdistrict's own
    municipality or SAO."""
    return _Area(facts).resolve(target_kind)


def propose(facts: Facts, rules: Iterable[RoutingRule] | None = None) -> list[Proposal]:
    """The competent agencies for these facts, in the order of their first rule.

    Rules that lead to the same agency (or, unresolved, to the same kind) add themselves to
    that agency's proposal, so its reason names every rule.
    """
    matched = matching_rules(facts, rules)
    if not matched:
        return []
    area = _Area(facts)
    proposals: dict[tuple[str, Any], Proposal] = {}
    for rule, rule_facts in matched:
        agency = area.resolve(rule.target_kind)
        key: tuple[str, Any] = (
            ("agency", agency.pk) if agency is not None else ("kind", rule.target_kind)
        )
        if key in proposals:
            proposals[key].matches.append((rule, rule_facts))
            continue
        proposals[key] = Proposal(
            rule=rule,
            target_kind=rule.target_kind,
            agency=agency,
            facts=rule_facts,
            matches=[(rule, rule_facts)],
        )
    return list(proposals.values())


def route_case(
    *, case: Case, now: datetime | None = None, proposals: list[Proposal] | None = None
) -> list[RoutingProposal]:
    """Store the engine's proposals for ``case`` (replacing earlier ones) and mark it
    ``unrouted`` when none of them found an agency. Call inside the transaction that saves the
    case; the caller records the audit event. Intake passes the ``proposals`` it computed
    before creating the case (so the new case is created with its ``unrouted`` flag set)."""
    now = now or timezone.now()
    if proposals is None:
        RoutingProposal.objects.filter(case=case).delete()
        proposals = propose(Facts.of(case))
    rows = [
        RoutingProposal(
            case=case,
            agency=proposal.agency,
            target_kind=proposal.target_kind,
            rule=proposal.rule,
            rule_code=proposal.rule.code,
            facts=proposal.facts,
            matches=[
                {
                    "rule": rule.code,
                    "reason_th": rule.reason_th,
                    "reason_en": rule.reason_en,
                    "facts": rule_facts,
                }
                for rule, rule_facts in proposal.matches
            ],
            created_at=now,
        )
        for proposal in proposals
    ]
    if rows:
        RoutingProposal.objects.bulk_create(rows)
    unrouted = is_unrouted(proposals)
    if case.unrouted != unrouted:
        case.unrouted = unrouted
        case.save(update_fields=["unrouted", "updated_at"])
    return rows


# --- explanations ---------------------------------------------------------------------------


def _in_thai() -> bool:
    return not (get_language() or "th").startswith("en")


def _choice_label(choices: Iterable[tuple[str, Any]], value: str) -> str:
    return str(dict(choices).get(value, value))


def fact_label(name: str) -> str:
    """The label of a fact a rule can match on, in the active language."""
    labels = {
        "kind": _("kind of report"),
        "rank": _("rank of the person involved"),
        "accused_agency_kind": _("kind of agency involved"),
        "amount": _("amount involved"),
        "province": _("province"),
    }
    return labels.get(name, name)


def fact_value(name: str, value: Any) -> str:
    """A matched fact's value in words, in the active language."""
    if name == "kind":
        return _choice_label(ReportKind.choices, value)
    if name == "rank":
        return _choice_label(Rank.choices, value)
    if name == "accused_agency_kind":
        return _choice_label(TARGET_CHOICES, value)
    if name == "amount":
        try:
            amount = Decimal(str(value))
        except ArithmeticError:
            return str(value)
        return _("%(amount)s baht") % {"amount": f"{amount:,.2f}"}
    if name == "province":
        province = Province.objects.filter(code=value).only("name_th", "name_en").first()
        if province is None:
            return str(value)
        return province.name_th if _in_thai() or not province.name_en else province.name_en
    return str(value)


def explain_facts(facts: dict[str, Any]) -> str:
    """``label: value; label: value`` for the facts a rule matched on."""
    return "; ".join(
        f"{fact_label(name)}: {fact_value(name, value)}" for name, value in facts.items()
    )


def explain_lines(proposal: RoutingProposal) -> list[str]:
    """One line per rule behind the proposal: the rule, its reason and the facts it matched."""
    matches: list[dict[str, Any]] = list(proposal.matches or [])
    if not matches:
        # A proposal stored without its reasons (older rows): read the rule, if it still exists.
        rule = proposal.rule
        matches = [
            {
                "rule": proposal.rule_code,
                "reason_th": rule.reason_th if rule is not None else "",
                "reason_en": rule.reason_en if rule is not None else "",
                "facts": proposal.facts,
            }
        ]
    thai = _in_thai()
    lines = []
    for match in matches:
        reason = match.get("reason_th") if thai else match.get("reason_en")
        reason = reason or match.get("reason_th") or match.get("reason_en") or ""
        line = _("Rule %(code)s: %(reason)s") % {"code": match.get("rule", ""), "reason": reason}
        facts = match.get("facts") or {}
        if facts:
            line += " (" + explain_facts(facts) + ")"
        lines.append(line)
    return lines


def explain(proposal: RoutingProposal) -> str:
    """Why the engine proposed this agency, in the active language (Thai or English): each
    rule with its reason and the facts it matched, one per line."""
    return "\n".join(explain_lines(proposal))
