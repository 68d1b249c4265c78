"""The plan for a settings file, and the two DuckDB queries that run it."""

# This package builds SQL text, which is its purpose: every value that comes from a settings
# file or from the data goes through ``literal()`` or ``number()``, never into the SQL as is.
# ruff: noqa: S608

from __future__ import annotations

import re

from sujarit.redflags.indicators.beyond import BeyondCardinal
from sujarit.redflags.indicators.cardinal import CardinalIndicators
from sujarit.redflags.indicators.sql import Dialect, Plan, output
from sujarit.redflags.settings import Settings


class Builder(CardinalIndicators, BeyondCardinal):
    """Builds the plan for the enabled indicators of a settings file."""

    def build(self) -> Plan:
        s = self.settings
        codes = self.codes
        self._prepared("eligible")
        if "R003" in codes:
            self.r003(s.options("R003"))
        if "R018" in codes:
            self.r018(s.options("R018"))
        if codes & {"R024", "R058"}:
            self.second_lowest_bid()
        if "R025" in codes:
            self.r025()
        if "R028" in codes:
            self.r028()
        if "R030" in codes:
            self.r030()
        if "R035" in codes:
            self.r035(s.options("R035"))
        if "R036" in codes:
            self.r036()
        if "R038" in codes:
            self.r038(s.options("R038"))
        if "R048" in codes:
            self.r048(s.options("R048"))
        if "R044" in codes:
            self.r044(s.options("R044"))
        if "R055" in codes:
            self.r055(s.options("R055"))
        if "X001" in codes:
            self.x001(s.options("X001"))
        if "X002" in codes:
            self.x002(s.options("X002"))
        if self.maps and codes & {"R025", "R038", "R048"}:
            self.ocid_tenderer_map()
        if codes & {"R024", "R036", "R058"}:
            # The main currency is read by CTEs added above: it must come first.
            later = self.plan.ctes
            self.plan.ctes = {}
            self._main_currency()
            self.plan.ctes.update(later)
        self.plan.outputs.append(
            output("~stats", None, n1="count(*)", n2="sum(CASE WHEN empty_row THEN 1 ELSE 0 END)")
            + " FROM summary"
        )
        return self.plan


def plan_for(settings: Settings, *, maps: bool = False, dialect: Dialect | None = None) -> Plan:
    """The per-process columns, CTEs and outputs computing every enabled indicator."""
    return Builder(settings, maps=maps, dialect=dialect).build()


def _levels(prepared: dict[str, str]) -> list[list[str]]:
    """Group the per-process intermediates so that each group only uses earlier groups."""
    level: dict[str, int] = {}
    for name, expression in prepared.items():
        uses = [other for other in level if re.search(rf"\b{other}\b", expression)]
        level[name] = 1 + max((level[other] for other in uses), default=0)
    groups: list[list[str]] = [[] for _ in range(max(level.values(), default=0))]
    for name, depth in level.items():
        groups[depth - 1].append(name)
    return groups


def summary_select(plan: Plan, releases_sql: str) -> str:
    """The SELECT of ``summary``: one row per line of the file, the per-process columns.

    The per-process intermediates are computed in nested SELECTs, so that later ones can use
    earlier ones by name and each list is filtered once.
    """
    relation = f"(\n{releases_sql}\n) AS r0"
    for level, names in enumerate(_levels(plan.prepared), start=1):
        expressions = ", ".join(f"{plan.prepared[name]} AS {name}" for name in names)
        relation = f"(SELECT *, {expressions}\nFROM {relation}) AS r{level}"
    columns = ",\n    ".join(
        [
            "ocid",
            "empty_row",
            *(f"{expression} AS {name}" for name, expression in plan.summary.items()),
        ]
    )
    return f"SELECT\n    {columns}\nFROM {relation}"


#: Output rows in one total order (every column, NULLs last, as both engines spell it), for
#: runs whose result depends on the order rows arrive in: an explanation keeps the first
#: process it sees as its example and lists processes in the order they come.
_TOTAL_ORDER = " ORDER BY " + ", ".join(f"{column} ASC NULLS LAST" for column in range(1, 9))


def outputs_union(plan: Plan, *, ordered: bool = False) -> str:
    """Every output select, as one UNION ALL (in a total order when ``ordered``)."""
    body = "\nUNION ALL\n".join(f"({select})" for select in plan.outputs)
    return body + _TOTAL_ORDER if ordered else body


def outputs_query(plan: Plan, *, ordered: bool = False) -> str:
    """The query over the ``summary`` table that returns every output row."""
    ctes = [f"{name} AS (\n{sql}\n)" for name, sql in plan.ctes.items()]
    body = outputs_union(plan, ordered=ordered)
    return ("WITH " + ",\n".join(ctes) + "\n" if ctes else "") + body
