"""SQL building blocks: literals, the dialect layer, the common output row and the plan."""

# This package builds SQL text, which is its purpose: every value that comes from a settings
# file or from the data goes through ``literal()`` or ``number()``, never into the SQL as is.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

OUTPUT_COLUMNS = ("code", "grp", "ocid", "id", "n1", "n2", "s1", "s2")


def literal(value: str) -> str:
    """A SQL string literal with standard quoting."""
    return "'" + value.replace("'", "''") + "'"


def number(value: float) -> str:
    """A SQL DOUBLE literal that round-trips the float exactly."""
    return f"CAST({float(value)!r} AS DOUBLE)"


def in_list(column: str, values: Iterable[str]) -> str:
    """``column IN (...)``; FALSE for an empty list (``IN ()`` is not valid SQL)."""
    items = sorted(values)
    if not items:
        return "FALSE"
    return f"{column} IN ({', '.join(literal(v) for v in items)})"


class Dialect:
    """Spellings of list and struct constructs (DuckDB's; a Spark dialect overrides them)."""

    def filter(self, items: str, var: str, predicate: str) -> str:
        return f"list_filter({items}, lambda {var}: {predicate})"

    def transform(self, items: str, var: str, expression: str) -> str:
        return f"list_transform({items}, lambda {var}: {expression})"

    def struct(self, **fields: str) -> str:
        return "{" + ", ".join(f"'{name}': {value}" for name, value in fields.items()) + "}"

    def at(self, items: str, index: int) -> str:
        """The element at a 1-based position, NULL if there is none."""
        return f"{items}[{index}]"

    def size(self, items: str) -> str:
        """The number of elements; NULL for a NULL list."""
        return f"len({items})"

    def distinct(self, items: str) -> str:
        """The distinct non-NULL elements (in no particular order)."""
        return f"list_distinct({items})"

    def flatten(self, items: str) -> str:
        return f"flatten({items})"

    def contains(self, items: str, value: str) -> str:
        return f"list_contains({items}, {value})"

    def minimum(self, items: str) -> str:
        """The smallest element (structs compare field by field); NULL if empty."""
        return f"list_min({items})"

    def total(self, items: str) -> str:
        """The sum of a list of numbers; NULL if empty."""
        return f"list_sum({items})"

    def sort(self, items: str) -> str:
        return f"list_sort({items})"

    def empty(self, sql_type: str) -> str:
        return f"CAST([] AS {sql_type}[])"

    def prefix(self, text: str, length: int) -> str:
        """The first ``length`` characters (code points, as Rust's ``chars().take``)."""
        return f"substring({text}, 1, {length})"

    def string_agg(self, expression: str) -> str:
        return f"string_agg(DISTINCT {expression}, ', ')"


def output(
    code: str,
    grp: str | None,
    *,
    ocid: str = "NULL",
    id: str = "NULL",  # noqa: A002 - the column's name
    n1: str = "NULL",
    n2: str = "NULL",
    s1: str = "NULL",
    s2: str = "NULL",
) -> str:
    """The SELECT list of an output row, with every column cast to its common type."""
    group = literal(grp) if grp else "NULL"
    return (
        f"SELECT {literal(code)} AS code, CAST({group} AS VARCHAR) AS grp, "
        f"CAST({ocid} AS VARCHAR) AS ocid, CAST({id} AS VARCHAR) AS id, "
        f"CAST({n1} AS DOUBLE) AS n1, CAST({n2} AS DOUBLE) AS n2, "
        f"CAST({s1} AS VARCHAR) AS s1, CAST({s2} AS VARCHAR) AS s2"
    )


@dataclass
class Plan:
    """The per-process columns, the CTEs over them and the output SELECTs."""

    #: Intermediate per-process lists (name → expression over ``releases``' columns).
    prepared: dict[str, str] = field(default_factory=dict)
    #: Per-process columns of ``summary`` (name → expression over ``prepared``).
    summary: dict[str, str] = field(default_factory=dict)
    ctes: dict[str, str] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)


#: The fields each indicator reads (besides ocid, tender.status and procurementMethodDetails).
