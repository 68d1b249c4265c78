"""SQL building blocks: literals, the dialect layer, the common output row and the plan."""

# This package builds SQL text, which is its purpose: every value that comes from a settings
# file or from the data goes through ``literal()`` or ``number()``, never into the SQL as is.
# ruff: noqa: S608

from __future__ import annotations

import re
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

    def ordered_sum(self, expression: str) -> str:
        """The aggregate sum of a DOUBLE, added in ascending order: the same on every run
        and on every engine (a parallel sum adds in whatever order the threads finish, which
        changes the last digits); NULL if there is no value."""
        return f"sum({expression} ORDER BY {expression})"

    def sort(self, items: str) -> str:
        return f"list_sort({items})"

    def empty(self, sql_type: str) -> str:
        return f"CAST([] AS {sql_type}[])"

    def prefix(self, text: str, length: int) -> str:
        """The first ``length`` characters (code points, as Rust's ``chars().take``)."""
        return f"substring({text}, 1, {length})"

    def join(self, items: str, separator: str) -> str:
        """The elements of a list of texts joined by ``separator`` (a SQL expression)."""
        return f"array_to_string({items}, {separator})"

    def string_agg(self, expression: str) -> str:
        # Sorted, so that the text is the same whatever order the rows come in.
        return f"string_agg(DISTINCT {expression}, ', ' ORDER BY {expression})"

    def array(self, *items: str) -> str:
        """A list literal."""
        return "[" + ", ".join(items) + "]"

    def divide(self, numerator: str, denominator: str) -> str:
        """IEEE division of DOUBLEs: x / 0 is infinity (NaN for 0 / 0), as in Rust."""
        return f"({numerator}) / ({denominator})"

    def replace_all(self, text: str, pattern: str, replacement: str) -> str:
        """Replace every match of a regular expression (``pattern`` is a SQL literal)."""
        return f"regexp_replace({text}, {pattern}, {replacement}, 'g')"

    def finish(self, sql: str) -> str:
        """The final spelling of a whole statement (DuckDB's needs no change)."""
        return sql


#: A single-quoted SQL literal as ``literal()`` writes it (quotes doubled).
_LITERAL = re.compile(r"'(?:[^']|'')*'")
_SPARK_WORDS = (
    (re.compile(r"\bVARCHAR\b", re.IGNORECASE), "STRING"),
    (re.compile(r"\bUNNEST\(", re.IGNORECASE), "explode("),
)


class SparkDialect(Dialect):
    """The same constructs in Spark SQL (Spark 4, run with ``spark.sql.ansi.enabled`` off and
    ``spark.sql.legacy.sizeOfNull`` off, which the Spark runner sets)."""

    def filter(self, items: str, var: str, predicate: str) -> str:
        return f"filter({items}, {var} -> {predicate})"

    def transform(self, items: str, var: str, expression: str) -> str:
        return f"transform({items}, {var} -> {expression})"

    def struct(self, **fields: str) -> str:
        return "named_struct(" + ", ".join(f"'{n}', {v}" for n, v in fields.items()) + ")"

    def at(self, items: str, index: int) -> str:
        # element_at fails beyond the end when ANSI mode is on; try_element_at never does.
        return f"try_element_at({items}, {index})"

    def size(self, items: str) -> str:
        return f"size({items})"

    def distinct(self, items: str) -> str:
        # array_distinct keeps one NULL; DuckDB's list_distinct drops them.
        return f"array_distinct(filter({items}, rf_v -> rf_v IS NOT NULL))"

    def flatten(self, items: str) -> str:
        # Spark's flatten is NULL if an inner list is NULL; DuckDB's skips it.
        return f"flatten(filter({items}, rf_v -> rf_v IS NOT NULL))"

    def contains(self, items: str, value: str) -> str:
        # array_contains is NULL (not FALSE) when the list holds a NULL and no match.
        return f"coalesce(array_contains({items}, {value}), FALSE)"

    def minimum(self, items: str) -> str:
        return f"array_min({items})"

    def total(self, items: str) -> str:
        # DuckDB's list_sum adds the non-NULL elements in order; NULL for an empty list.
        values = f"filter({items}, rf_v -> rf_v IS NOT NULL)"
        return (
            f"CASE WHEN size({values}) > 0 THEN "
            f"aggregate({values}, CAST(0 AS DOUBLE), (rf_a, rf_v) -> rf_a + rf_v) END"
        )

    def ordered_sum(self, expression: str) -> str:
        values = f"array_sort(collect_list({expression}))"
        return (
            f"CASE WHEN count({expression}) > 0 THEN "
            f"aggregate({values}, CAST(0 AS DOUBLE), (rf_a, rf_v) -> rf_a + rf_v) END"
        )

    def sort(self, items: str) -> str:
        return f"array_sort({items})"

    def empty(self, sql_type: str) -> str:
        return f"CAST(array() AS ARRAY<{spark_type(sql_type)}>)"

    def join(self, items: str, separator: str) -> str:
        return f"array_join({items}, {separator})"

    def string_agg(self, expression: str) -> str:
        return f"array_join(array_sort(collect_set({expression})), ', ')"

    def array(self, *items: str) -> str:
        return "array(" + ", ".join(items) + ")"

    def divide(self, numerator: str, denominator: str) -> str:
        # Spark gives NULL (or an error in ANSI mode) for a division by zero; DuckDB and Rust
        # give infinity, or NaN for 0 / 0.
        a, b = f"({numerator})", f"({denominator})"
        return (
            f"CASE WHEN {b} IS NULL OR {a} IS NULL THEN NULL WHEN {b} <> 0 THEN {a} / {b} "
            f"WHEN {a} = 0 OR isnan({a}) THEN CAST('NaN' AS DOUBLE) "
            f"WHEN {a} > 0 THEN CAST('Infinity' AS DOUBLE) ELSE CAST('-Infinity' AS DOUBLE) END"
        )

    def replace_all(self, text: str, pattern: str, replacement: str) -> str:
        return f"regexp_replace({text}, {pattern}, {replacement})"

    def finish(self, sql: str) -> str:
        """Respell what the shared SQL writes DuckDB's way, outside string literals: type
        names, ``UNNEST`` in a select list (``explode``), and the literals themselves (Spark
        escapes quotes and backslashes with a backslash; ``''`` would end the literal)."""
        parts: list[str] = []
        position = 0
        for match in _LITERAL.finditer(sql):
            parts.append(_spark_words(sql[position : match.start()]))
            value = match.group()[1:-1].replace("''", "'")
            parts.append("'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'")
            position = match.end()
        parts.append(_spark_words(sql[position:]))
        return "".join(parts)


def _spark_words(text: str) -> str:
    for pattern, replacement in _SPARK_WORDS:
        text = pattern.sub(replacement, text)
    return text


def spark_type(sql_type: str) -> str:
    """A DuckDB type name (``VARCHAR``, ``STRUCT(a VARCHAR, ...)``) in Spark's spelling."""
    text = re.sub(r"\bVARCHAR\b", "STRING", sql_type)
    while "STRUCT(" in text:
        start = text.rindex("STRUCT(")
        end = text.index(")", start)
        fields = text[start + len("STRUCT(") : end].split(", ")
        inner = ", ".join(f"{f.split(' ', 1)[0]}: {f.split(' ', 1)[1]}" for f in fields)
        text = text[:start] + "STRUCT<" + inner + ">" + text[end + 1 :]
    return text


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
