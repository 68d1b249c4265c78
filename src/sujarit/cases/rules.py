"""The routing settings: the default rules and checklists shipped with Sujarit, and the writes
administrators make to rules, service levels and admissibility items.

The defaults live in ``cases/data/routing_rules.json`` and ``cases/data/admissibility_items.json``
(each with its source and what the sources did not settle). ``load_default_rules()`` (the
``sujarit load-routing-rules`` command) creates or updates them by code and is safe to run
again:

- a rule or item an administrator created is never touched, even one that shares a code;
- a default an administrator changed or switched off is marked ``customized`` and kept as the
  administrator left it (``restore=True`` puts the shipped version back);
- a default no longer shipped is switched off, not deleted, so proposals that cite it still
  read.

Every write records an audit event in its transaction.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from sujarit.audit.actions import record
from sujarit.cases.models import (
    TARGET_CHOICES,
    AdmissibilityItem,
    Rank,
    ReportKind,
    RetentionPolicy,
    RoutingRule,
    ServiceLevel,
)

if TYPE_CHECKING:
    from sujarit.accounts.models import User

DATA_DIR = Path(__file__).resolve().parent / "data"
RULES_FILE = DATA_DIR / "routing_rules.json"
ITEMS_FILE = DATA_DIR / "admissibility_items.json"

#: The fields of a rule that the data file sets (``is_active`` only when the rule is created
#: or restored).
RULE_FIELDS = (
    "priority",
    "kinds",
    "ranks",
    "accused_agency_kinds",
    "min_amount",
    "max_amount",
    "provinces",
    "target_kind",
    "stop",
    "reason_th",
    "reason_en",
    "source",
    "unverified",
)
#: What an administrator may change on a rule; a change to any of these customizes a default.
RULE_EDITABLE = (*RULE_FIELDS, "is_active")
ITEM_FIELDS = ("order", "text_th", "text_en", "test", "years", "source", "unverified")
ITEM_EDITABLE = (*ITEM_FIELDS, "is_active")
SERVICE_LEVEL_EDITABLE = ("status", "days")
RETENTION_EDITABLE = ("kind", "status", "days")

TARGET_KINDS = frozenset(value for value, _label in TARGET_CHOICES)
#: Agency kinds a rule can test the accused agency against (``local`` is a target, not a kind).
AGENCY_KINDS = frozenset(TARGET_KINDS - {"local"})


class DefaultDataError(ValueError):
    """The shipped data file is wrong: a release must not load half of it."""


class DefaultCannotBeDeleted(Exception):
    """Default rules and items are switched off, not deleted: the next load would bring them
    back."""


# --- checks shared by the data loader and the admin forms -----------------------------------


def rule_problems(values: dict[str, Any], *, province_codes: Collection[str] | None) -> list[str]:
    """What is wrong with a rule's conditions, in English (for the data file; the admin form
    checks the same through its choices and ``clean``). ``province_codes=None`` skips the check
    of provinces (the geography may not be loaded yet)."""
    problems = []
    for name, known in (
        ("kinds", set(ReportKind.values)),
        ("ranks", set(Rank.values)),
        ("accused_agency_kinds", AGENCY_KINDS),
    ):
        value = values.get(name, [])
        if not isinstance(value, list) or any(item not in known for item in value):
            problems.append(f"{name}: unknown value in {value!r}")
    provinces = values.get("provinces", [])
    if not isinstance(provinces, list) or (
        province_codes is not None and any(code not in province_codes for code in provinces)
    ):
        problems.append(f"provinces: unknown province in {provinces!r}")
    if values.get("target_kind") not in TARGET_KINDS:
        problems.append(f"target_kind: unknown {values.get('target_kind')!r}")
    low, high = values.get("min_amount"), values.get("max_amount")
    if low is not None and high is not None and low >= high:
        problems.append("min_amount must be below max_amount")
    for name in ("reason_th", "reason_en"):
        if not str(values.get(name, "")).strip():
            problems.append(f"{name} is required")
    return problems


def _amount(value: Any, name: str, code: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise DefaultDataError(f"rule {code}: {name} is not a number: {value!r}") from None
    if amount < 0:
        raise DefaultDataError(f"rule {code}: {name} is negative")
    return amount


@dataclass(frozen=True)
class RuleSpec:
    code: str
    values: dict[str, Any]
    is_active: bool


@dataclass(frozen=True)
class ItemSpec:
    target_kind: str
    code: str
    values: dict[str, Any]


def parse_rules(data: dict[str, Any]) -> list[RuleSpec]:
    """Rule specifications from the data file's JSON; raises ``DefaultDataError``."""
    specs = []
    seen: set[str] = set()
    for row in data.get("rules", []):
        code = row.get("code", "")
        if not code or code in seen:
            raise DefaultDataError(f"rule code missing or repeated: {code!r}")
        seen.add(code)
        values: dict[str, Any] = {
            "priority": int(row.get("priority", 100)),
            "kinds": list(row.get("kinds", [])),
            "ranks": list(row.get("ranks", [])),
            "accused_agency_kinds": list(row.get("accused_agency_kinds", [])),
            "min_amount": _amount(row.get("min_amount"), "min_amount", code),
            "max_amount": _amount(row.get("max_amount"), "max_amount", code),
            "provinces": list(row.get("provinces", [])),
            "target_kind": row.get("target_kind", ""),
            "stop": bool(row.get("stop", False)),
            "reason_th": row.get("reason_th", ""),
            "reason_en": row.get("reason_en", ""),
            "source": row.get("source", ""),
            "unverified": row.get("unverified", ""),
        }
        if not values["source"]:
            raise DefaultDataError(f"rule {code}: a default rule needs its source")
        problems = rule_problems(values, province_codes=None)
        if problems:
            raise DefaultDataError(f"rule {code}: " + "; ".join(problems))
        specs.append(RuleSpec(code=code, values=values, is_active=bool(row.get("is_active", True))))
    return specs


def parse_items(data: dict[str, Any]) -> list[ItemSpec]:
    """Admissibility item specifications from the data file's JSON; raises
    ``DefaultDataError``."""
    specs = []
    seen: set[tuple[str, str]] = set()
    tests = set(AdmissibilityItem.Check.values)
    for row in data.get("items", []):
        key = (row.get("target_kind", ""), row.get("code", ""))
        if not all(key) or key in seen:
            raise DefaultDataError(f"item missing or repeated: {key!r}")
        seen.add(key)
        target_kind, code = key
        values: dict[str, Any] = {
            "order": int(row.get("order", 0)),
            "text_th": row.get("text_th", ""),
            "text_en": row.get("text_en", ""),
            "test": row.get("test", ""),
            "years": row.get("years"),
            "source": row.get("source", ""),
            "unverified": row.get("unverified", ""),
        }
        problems = item_problems({"target_kind": target_kind, **values}, tests=tests)
        if not values["source"]:
            problems.append("a default item needs its source")
        if problems:
            raise DefaultDataError(f"item {target_kind}:{code}: " + "; ".join(problems))
        specs.append(ItemSpec(target_kind=target_kind, code=code, values=values))
    return specs


def item_problems(values: dict[str, Any], *, tests: Collection[str] | None = None) -> list[str]:
    """What is wrong with an admissibility item, in English (for the data file)."""
    tests = tests if tests is not None else set(AdmissibilityItem.Check.values)
    problems = []
    if values.get("target_kind") not in TARGET_KINDS:
        problems.append(f"target_kind: unknown {values.get('target_kind')!r}")
    if values.get("test") not in tests:
        problems.append(f"test: unknown {values.get('test')!r}")
    years = values.get("years")
    if values.get("test") == AdmissibilityItem.Check.WITHIN_TIME_LIMIT:
        if not isinstance(years, int) or years < 1:
            problems.append("within_time_limit needs years (1 or more)")
    elif years is not None:
        problems.append("years is only for within_time_limit")
    for name in ("text_th", "text_en"):
        if not str(values.get(name, "")).strip():
            problems.append(f"{name} is required")
    return problems


@cache
def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def default_rule_specs() -> list[RuleSpec]:
    return parse_rules(_read(RULES_FILE))


def default_item_specs() -> list[ItemSpec]:
    return parse_items(_read(ITEMS_FILE))


# --- loading the defaults -------------------------------------------------------------------


@dataclass
class Counts:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: Defaults an administrator changed, left as they are.
    kept: list[str] = field(default_factory=list)
    #: Codes an administrator's own rule already uses: the default is not loaded.
    taken: list[str] = field(default_factory=list)
    #: Defaults no longer shipped, switched off.
    retired: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in self.__dataclass_fields__}

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired)


@dataclass
class DefaultsReport:
    rules: Counts = field(default_factory=Counts)
    items: Counts = field(default_factory=Counts)


def _apply(row: models.Model, values: dict[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    return changed


def _load_rules(
    specs: list[RuleSpec], counts: Counts, *, restore: bool, only: Collection[str] | None
) -> None:
    existing = {rule.code: rule for rule in RoutingRule.objects.all()}
    for spec in specs:
        if only is not None and spec.code not in only:
            continue
        rule = existing.get(spec.code)
        if rule is None:
            RoutingRule.objects.create(
                code=spec.code, is_default=True, is_active=spec.is_active, **spec.values
            )
            counts.created.append(spec.code)
            continue
        if not rule.is_default:
            counts.taken.append(spec.code)
            continue
        if rule.customized and not restore:
            counts.kept.append(spec.code)
            continue
        changed = _apply(rule, {**spec.values, "is_active": spec.is_active, "customized": False})
        if changed:
            rule.save(update_fields=changed)
            counts.updated.append(spec.code)
        else:
            counts.unchanged.append(spec.code)
    if only is None:
        shipped = {spec.code for spec in specs}
        for rule in existing.values():
            if rule.is_default and rule.code not in shipped and rule.is_active:
                rule.is_active = False
                rule.save(update_fields=["is_active"])
                counts.retired.append(rule.code)


def _load_items(specs: list[ItemSpec], counts: Counts, *, restore: bool) -> None:
    existing = {(item.target_kind, item.code): item for item in AdmissibilityItem.objects.all()}
    for spec in specs:
        key = (spec.target_kind, spec.code)
        label = f"{spec.target_kind}:{spec.code}"
        item = existing.get(key)
        if item is None:
            AdmissibilityItem.objects.create(
                target_kind=spec.target_kind, code=spec.code, is_default=True, **spec.values
            )
            counts.created.append(label)
            continue
        if not item.is_default:
            counts.taken.append(label)
            continue
        if item.customized and not restore:
            counts.kept.append(label)
            continue
        changed = _apply(item, {**spec.values, "customized": False, "is_active": True})
        if changed:
            item.save(update_fields=changed)
            counts.updated.append(label)
        else:
            counts.unchanged.append(label)
    shipped = {(spec.target_kind, spec.code) for spec in specs}
    for key, item in existing.items():
        if item.is_default and key not in shipped and item.is_active:
            item.is_active = False
            item.save(update_fields=["is_active"])
            counts.retired.append(f"{item.target_kind}:{item.code}")


@transaction.atomic
def load_default_rules(*, by: User | None = None, restore: bool = False) -> DefaultsReport:
    """Create or update the default routing rules and admissibility items from the data files.

    Safe to run again. With ``restore``, defaults an administrator changed get the shipped
    version back (and are switched on again if the data says so).
    """
    report = DefaultsReport()
    _load_rules(default_rule_specs(), report.rules, restore=restore, only=None)
    _load_items(default_item_specs(), report.items, restore=restore)
    if report.rules.changed or report.items.changed:
        record(
            actor=by,
            action="routing.defaults_loaded",
            data={
                "restore": restore,
                "rules": report.rules.summary(),
                "items": report.items.summary(),
            },
        )
    return report


@transaction.atomic
def restore_default_rules(*, rules: Iterable[RoutingRule], by: User | None) -> Counts:
    """Put the shipped version back on these default rules (the admin's action)."""
    codes = {rule.code for rule in rules if rule.is_default}
    counts = Counts()
    _load_rules(default_rule_specs(), counts, restore=True, only=codes)
    for code in counts.updated:
        rule = RoutingRule.objects.get(code=code)
        record(actor=by, action="routing.rule_restored", target=rule, data={"code": code})
    return counts


# --- administrators' writes ------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


def _changes(
    before: models.Model | None, after: models.Model, fields: Iterable[str]
) -> dict[str, dict[str, Any]]:
    changes = {}
    for name in fields:
        old = getattr(before, name) if before is not None else None
        new = getattr(after, name)
        if before is None or old != new:
            changes[name] = {"before": _json_value(old), "after": _json_value(new)}
    return changes


@transaction.atomic
def save_rule(*, rule: RoutingRule, by: User | None) -> dict[str, dict[str, Any]]:
    """Save a rule as an administrator edited it; returns the changes recorded.

    A changed default rule becomes ``customized``, so that reloading the defaults keeps the
    administrator's version.
    """
    before = RoutingRule.objects.filter(pk=rule.pk).first() if rule.pk else None
    changes = _changes(before, rule, RULE_EDITABLE)
    if before is not None and rule.is_default and changes:
        rule.customized = True
    rule.save()
    record(
        actor=by,
        action="routing.rule_created" if before is None else "routing.rule_changed",
        target=rule,
        data={"code": rule.code, "is_default": rule.is_default, "changes": changes},
    )
    return changes


@transaction.atomic
def delete_rule(*, rule: RoutingRule, by: User | None) -> None:
    """Delete a rule an administrator made. Proposals keep their copied reasons."""
    if rule.is_default:
        raise DefaultCannotBeDeleted(rule.code)
    record(
        actor=by,
        action="routing.rule_deleted",
        target=rule,
        data={"code": rule.code, "target_kind": rule.target_kind},
    )
    rule.delete()


@transaction.atomic
def save_admissibility_item(
    *, item: AdmissibilityItem, by: User | None
) -> dict[str, dict[str, Any]]:
    before = AdmissibilityItem.objects.filter(pk=item.pk).first() if item.pk else None
    changes = _changes(before, item, ("target_kind", "code", *ITEM_EDITABLE))
    if before is not None and item.is_default and changes:
        item.customized = True
    item.save()
    record(
        actor=by,
        action=(
            "routing.admissibility_item_created"
            if before is None
            else "routing.admissibility_item_changed"
        ),
        target=item,
        data={"code": f"{item.target_kind}:{item.code}", "changes": changes},
    )
    return changes


@transaction.atomic
def delete_admissibility_item(*, item: AdmissibilityItem, by: User | None) -> None:
    if item.is_default:
        raise DefaultCannotBeDeleted(f"{item.target_kind}:{item.code}")
    record(
        actor=by,
        action="routing.admissibility_item_deleted",
        target=item,
        data={"code": f"{item.target_kind}:{item.code}"},
    )
    item.delete()


@transaction.atomic
def save_service_level(*, level: ServiceLevel, by: User | None) -> dict[str, dict[str, Any]]:
    before = ServiceLevel.objects.filter(pk=level.pk).first() if level.pk else None
    changes = _changes(before, level, SERVICE_LEVEL_EDITABLE)
    level.save()
    record(
        actor=by,
        action="cases.service_level_created" if before is None else "cases.service_level_changed",
        target=level,
        data={"status": level.status, "changes": changes},
    )
    return changes


@transaction.atomic
def delete_service_level(*, level: ServiceLevel, by: User | None) -> None:
    record(
        actor=by,
        action="cases.service_level_deleted",
        target=level,
        data={"status": level.status, "days": level.days},
    )
    level.delete()


@transaction.atomic
def save_retention_policy(*, policy: RetentionPolicy, by: User | None) -> dict[str, dict[str, Any]]:
    before = RetentionPolicy.objects.filter(pk=policy.pk).first() if policy.pk else None
    changes = _changes(before, policy, RETENTION_EDITABLE)
    policy.save()
    record(
        actor=by,
        action="cases.retention_created" if before is None else "cases.retention_changed",
        target=policy,
        data={"kind": policy.kind, "status": policy.status, "changes": changes},
    )
    return changes


@transaction.atomic
def delete_retention_policy(*, policy: RetentionPolicy, by: User | None) -> None:
    record(
        actor=by,
        action="cases.retention_deleted",
        target=policy,
        data={"kind": policy.kind, "status": policy.status, "days": policy.days},
    )
    policy.delete()
