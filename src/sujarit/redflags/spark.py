"""The Spark backend: the same indicator SQL, run by Apache Spark (PySpark).

Only the reader is Spark's own: it produces, from the same JSON lines, the normalised
``releases`` relation that :mod:`sujarit.redflags.source` produces in DuckDB
(``source.RELEASE_COLUMNS``). The indicator definitions are the shared ones
(:mod:`sujarit.redflags.indicators`), spelled by ``indicators.sql.SparkDialect``, and the rows
they return go through the same Python step as DuckDB's (quartiles, fences, output shape:
:func:`sujarit.redflags.engine.finish`).

Cardinal reads values by their JSON type (a numeric ``id`` or a string ``amount`` is ignored).
Spark's JSON reader would convert such values silently, so identifiers, amounts and
``numberOfTenderers`` are read as ``VARIANT`` and kept only when their JSON type is the one
Cardinal accepts, as the DuckDB reader does with its ``JSON`` columns.

PySpark is optional: it is imported only when this backend runs, and a missing PySpark gives a
:class:`SparkUnavailable` error with a clear message.
"""

# The reader builds SQL text; nothing from the data or the settings goes into it unquoted.
# ruff: noqa: S608

from __future__ import annotations

import contextlib
import importlib
import itertools
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sujarit.redflags import engine, indicators, source
from sujarit.redflags.indicators.sql import SparkDialect
from sujarit.redflags.settings import Settings

#: Session settings the shared SQL relies on, set for the duration of a run and then restored:
#: no errors on a division by zero or an element beyond a list's end (DuckDB gives NULL), and
#: ``size(NULL)`` is NULL (not -1).
SESSION_CONF = {
    "spark.sql.ansi.enabled": "false",
    "spark.sql.legacy.sizeOfNull": "false",
}

#: Spark's JSON reader is lenient by default; these make it accept what DuckDB accepts (no
#: single quotes, comments or leading zeros; NaN and Infinity, which DuckDB's reader takes
#: too, are then not numbers, see ``_num``), and keep a bad line as a row of NULLs.
READER_OPTIONS = {
    "mode": "PERMISSIVE",
    "allowNonNumericNumbers": "true",
    "allowSingleQuotes": "false",
    "allowNumericLeadingZeros": "false",
    "allowComments": "false",
    "allowUnquotedFieldNames": "false",
}

_ORG = "STRUCT<id: VARIANT>"
_VALUE = "STRUCT<amount: VARIANT, currency: STRING>"
_RAW: dict[str, str] = {
    "tender.procurementMethod": "procurementMethod: STRING",
    "tender.numberOfTenderers": "numberOfTenderers: VARIANT",
    "tender.tenderPeriod": "tenderPeriod: STRUCT<startDate: STRING, endDate: STRING>",
    "tender.procuringEntity": f"procuringEntity: {_ORG}",
    "bids.status": "status: STRING",
    "bids.date": "date: STRING",
    "bids.tenderers": f"tenderers: ARRAY<{_ORG}>",
    "bids.value": f"value: {_VALUE}",
    "bids.id": "id: VARIANT",
    "bids.relatedLots": "relatedLots: ARRAY<VARIANT>",
    "awards.status": "status: STRING",
    "awards.date": "date: STRING",
    "awards.suppliers": f"suppliers: ARRAY<{_ORG}>",
    "awards.items": "items: ARRAY<STRUCT<classification: STRUCT<id: VARIANT>>>",
    "awards.value": f"value: {_VALUE}",
    "awards.relatedLots": "relatedLots: ARRAY<VARIANT>",
    "awards.relatedBids": "relatedBids: ARRAY<VARIANT>",
}
_ADDRESS = (
    "STRUCT<streetAddress: STRING, locality: STRING, region: STRING, postalCode: STRING, "
    "countryName: STRING>"
)
_CONTACT = "STRUCT<name: STRING, email: STRING, telephone: STRING>"
_PARTIES = (
    f"ARRAY<STRUCT<id: VARIANT, roles: ARRAY<STRING>, address: {_ADDRESS}, "
    f"contactPoint: {_CONTACT}>>"
)
_BID = (
    "STRUCT<idx: INT, status: STRING, date: STRING, tenderer_ids: ARRAY<STRING>, "
    "n_tenderers: INT, amount: DOUBLE, currency: STRING, id: STRING, lot_ids: ARRAY<STRING>>"
)
_AWARD = (
    "STRUCT<idx: INT, status: STRING, date: STRING, supplier_ids: ARRAY<STRING>, "
    "n_suppliers: INT, has_items: BOOLEAN, classification_ids: ARRAY<STRING>, amount: DOUBLE, "
    "currency: STRING, lot_ids: ARRAY<STRING>, bid_ids: ARRAY<STRING>>"
)
_PARTY = f"STRUCT<id: STRING, roles: ARRAY<STRING>, address: {_ADDRESS}, contactPoint: {_CONTACT}>"

_counter = itertools.count()
#: How PySpark is imported (replaced in tests to simulate a machine without it).
_import = importlib.import_module


class SparkUnavailable(ImportError):
    """PySpark (or Java) is not available."""


def _pyspark_sql() -> Any:
    try:
        return _import("pyspark.sql")
    except ImportError as error:
        raise SparkUnavailable(
            "the Spark backend needs PySpark (pip install pyspark) and Java 17 or later"
        ) from error


def session(*, progress: bool = False) -> Any:
    """A SparkSession for the command line: the configured master (``spark-submit``,
    ``SPARK_MASTER``), else local mode on every core. With ``progress``, Spark draws its bar of
    the running stages on standard error (for a terminal: it is redrawn in place)."""
    sql = _pyspark_sql()
    builder = sql.SparkSession.builder.appName("sujarit-redflags")
    builder = builder.config("spark.ui.showConsoleProgress", "true" if progress else "false")
    master = os.environ.get("SPARK_MASTER")
    if master:
        builder = builder.master(master)
    elif not sql.SparkSession.getActiveSession():
        conf = _import("pyspark").SparkConf()
        if not conf.contains("spark.master"):
            builder = builder.master("local[*]")
    return builder.getOrCreate()


def raw_schema(fields: frozenset[str]) -> str:
    """The DDL schema of the JSON reader: only the fields the indicators read."""
    tender = ["status: STRING", "procurementMethodDetails: STRING"]
    tender += [_RAW[f] for f in sorted(fields) if f.startswith("tender.")]
    columns = {"ocid": "VARIANT", "tender": f"STRUCT<{', '.join(tender)}>"}
    if "buyer" in fields:
        columns["buyer"] = _ORG
    for name in ("bids", "awards"):
        parts = [_RAW[f] for f in sorted(fields) if f.startswith(f"{name}.")]
        if parts:
            array = f"ARRAY<STRUCT<{', '.join(parts)}>>"
            columns[name] = f"STRUCT<details: {array}>" if name == "bids" else array
    if "parties" in fields:
        columns["parties"] = _PARTIES
    return ", ".join(f"{name} {sql_type}" for name, sql_type in columns.items())


def _str(value: str) -> str:
    """A VARIANT as text only if it is a JSON string (DuckDB's ``rf_str``)."""
    return (
        f"CASE WHEN schema_of_variant({value}) = 'STRING' "
        f"THEN try_variant_get({value}, '$', 'string') END"
    )


def _num(value: str) -> str:
    """A VARIANT as a DOUBLE only if it is a finite JSON number (DuckDB's ``rf_num``). Spark's
    ``parse_json`` keeps a number as an integer, a decimal or, beyond a decimal's range, a
    double; each converts to the nearest DOUBLE. NaN and Infinity (which the reader accepts,
    as DuckDB's does) and numbers beyond a double's range are not numbers."""
    kind = f"schema_of_variant({value})"
    number = f"try_variant_get({value}, '$', 'double')"
    return (
        f"CASE WHEN ({kind} IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT', 'DOUBLE', 'FLOAT') "
        f"OR {kind} LIKE 'DECIMAL%') AND NOT isnan({number}) "
        f"AND abs({number}) < CAST('Infinity' AS DOUBLE) THEN {number} END"
    )


def _timestamp(text: str) -> str:
    """Microseconds since the epoch of an RFC 3339 date-time as chrono accepts it (DuckDB's
    ``rf_ts``; Spark's cast is more lenient, hence the same checks)."""
    s = text
    pattern = source.RFC3339
    return (
        f"CASE WHEN {s} RLIKE '{pattern}' AND substr({s}, 12, 2) <= '23' "
        f"AND substr({s}, 15, 2) <= '59' AND (upper(right({s}, 1)) = 'Z' "
        f"OR (substr({s}, length({s}) - 4, 2) <= '23' AND right({s}, 2) <= '59')) THEN "
        f"CASE WHEN substr({s}, 18, 2) = '60' THEN unix_micros(CAST(upper(substr({s}, 1, 17) "
        f"|| '59' || substr({s}, 20)) AS TIMESTAMP)) + 1000000 "
        f"ELSE unix_micros(CAST(upper({s}) AS TIMESTAMP)) END END"
    )


def _strings(items: str) -> str:
    """The JSON strings of a list of VARIANTs (DuckDB's ``_strings``)."""
    return f"filter(transform({items}, v -> {_str('v')}), v -> v IS NOT NULL)"


def _ids(items: str) -> str:
    return f"filter(transform({items}, o -> {_str('o.id')}), v -> v IS NOT NULL)"


def normalised_select(view: str, fields: frozenset[str]) -> str:
    """The Spark SQL producing ``releases`` from the reader's view, reading only ``fields``
    (the same columns and values as :func:`sujarit.redflags.source.normalised_select`), to be
    passed through :meth:`SparkDialect.finish` (once) before Spark runs it."""
    unknown = fields - source.FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")

    def field(name: str, expr: str, sql_type: str) -> str:
        return expr if name in fields else f"CAST(NULL AS {sql_type})"

    start, end = "tender.tenderPeriod.startDate", "tender.tenderPeriod.endDate"
    # chrono's Duration::num_days(): whole days, towards zero (Spark's div on BIGINTs).
    days = f"({_timestamp(end)} - {_timestamp(start)}) div 86400000000"
    bid = (
        "named_struct('idx', i + 1, "
        f"'status', {field('bids.status', 'b.status', 'STRING')}, "
        f"'date', {field('bids.date', 'b.date', 'STRING')}, "
        f"'tenderer_ids', {field('bids.tenderers', _ids('b.tenderers'), 'ARRAY<STRING>')}, "
        f"'n_tenderers', {field('bids.tenderers', 'size(b.tenderers)', 'INT')}, "
        f"'amount', {field('bids.value', _num('b.value.amount'), 'DOUBLE')}, "
        f"'currency', {field('bids.value', 'b.value.currency', 'STRING')}, "
        f"'id', {field('bids.id', _str('b.id'), 'STRING')}, "
        f"'lot_ids', {field('bids.relatedLots', _strings('b.relatedLots'), 'ARRAY<STRING>')})"
    )
    classes = f"filter(transform(a.items, t -> {_str('t.classification.id')}), v -> v IS NOT NULL)"
    award = (
        "named_struct('idx', i + 1, "
        f"'status', {field('awards.status', 'a.status', 'STRING')}, "
        f"'date', {field('awards.date', 'a.date', 'STRING')}, "
        f"'supplier_ids', {field('awards.suppliers', _ids('a.suppliers'), 'ARRAY<STRING>')}, "
        f"'n_suppliers', {field('awards.suppliers', 'size(a.suppliers)', 'INT')}, "
        f"'has_items', {field('awards.items', 'a.items IS NOT NULL', 'BOOLEAN')}, "
        f"'classification_ids', {field('awards.items', classes, 'ARRAY<STRING>')}, "
        f"'amount', {field('awards.value', _num('a.value.amount'), 'DOUBLE')}, "
        f"'currency', {field('awards.value', 'a.value.currency', 'STRING')}, "
        f"'lot_ids', {field('awards.relatedLots', _strings('a.relatedLots'), 'ARRAY<STRING>')}, "
        f"'bid_ids', {field('awards.relatedBids', _strings('a.relatedBids'), 'ARRAY<STRING>')})"
    )
    party = (
        f"named_struct('id', {_str('p.id')}, 'roles', p.roles, 'address', p.address, "
        "'contactPoint', p.contactPoint)"
    )
    has_bids = any(f.startswith("bids.") for f in fields)
    has_awards = any(f.startswith("awards.") for f in fields)
    raw = ["ocid", "tender"]
    raw += [name for name in ("buyer", "parties") if name in fields]
    raw += ["bids"] if has_bids else []
    raw += ["awards"] if has_awards else []
    number = "tender.numberOfTenderers"
    expressions = {
        "ocid": _str("ocid"),
        "buyer_id": field("buyer", _str("buyer.id"), "STRING"),
        "procuring_entity_id": field(
            "tender.procuringEntity", _str("tender.procuringEntity.id"), "STRING"
        ),
        "tender_status": "tender.status",
        "procurement_method": field(
            "tender.procurementMethod", "tender.procurementMethod", "STRING"
        ),
        "procurement_method_details": "tender.procurementMethodDetails",
        # The JSON integer 1 (``1.0`` is a decimal, ``"1"`` a string: neither counts).
        "single_tenderer": field(
            number,
            f"CASE WHEN {number} IS NOT NULL THEN coalesce(schema_of_variant({number}) = "
            f"'BIGINT' AND try_variant_get({number}, '$', 'bigint') = 1, FALSE) END",
            "BOOLEAN",
        ),
        "tender_start": field("tender.tenderPeriod", start, "STRING"),
        "tender_end": field("tender.tenderPeriod", end, "STRING"),
        "tender_days": field("tender.tenderPeriod", days, "BIGINT"),
        "bids": (
            f"transform(bids.details, (b, i) -> {bid})"
            if has_bids
            else f"CAST(NULL AS ARRAY<{_BID}>)"
        ),
        "awards": (
            f"transform(awards, (a, i) -> {award})"
            if has_awards
            else f"CAST(NULL AS ARRAY<{_AWARD}>)"
        ),
        "parties": field("parties", f"transform(parties, p -> {party})", f"ARRAY<{_PARTY}>"),
        "empty_row": " AND ".join(f"{name} IS NULL" for name in raw),
    }
    select = ",\n  ".join(f"{expr} AS {name}" for name, expr in expressions.items())
    # Literals are still written DuckDB's way: the whole statement goes through
    # SparkDialect.finish() once, with the indicator SQL around it.
    return f"SELECT\n  {select}\nFROM {view}"


@contextlib.contextmanager
def _spark_readable(path: Path) -> Iterator[Path]:
    """The path under a name Spark reads correctly: Spark chooses gzip by the file's
    extension, the engine by its content; a link with the right extension reconciles them."""
    gzipped = source.is_gzip(path)
    if gzipped == path.name.endswith(".gz"):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="redflags-spark-") as directory:
        link = Path(directory) / ("releases.jsonl.gz" if gzipped else "releases.jsonl")
        link.symlink_to(path.resolve())
        yield link


@contextlib.contextmanager
def _session_conf(spark: Any) -> Iterator[None]:
    saved = {key: spark.conf.get(key, None) for key in SESSION_CONF}
    for key, value in SESSION_CONF.items():
        spark.conf.set(key, value)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, value)


def run_spark(
    settings: Settings,
    path: str | Path,
    spark: Any,
    *,
    maps: bool = False,
    explanations: bool = False,
) -> engine.Result:
    """Compute the enabled indicators with Spark; the result is DuckDB's, value for value.

    ``spark`` is a ``pyspark.sql.SparkSession``. ``path`` is JSON lines (plain or gzip) or
    ``-``; Spark must be able to read it (local mode, or a path every executor sees). The
    ``summary`` relation and the plan's intermediate relations are computed once each (local
    checkpoints: their blocks live on the executors, as cached data would, until Spark's
    cleaner drops them after the run) and registered as temporary views under their own names
    (``summary``, ``main_currency``...) for the duration of the run. Invalid lines are
    counted by Spark; their line numbers are then found with the same cheap DuckDB pass as the
    DuckDB backend uses (a local diagnostic).
    """
    _pyspark_sql()
    started = time.monotonic()
    collector = engine.Collector(settings, maps=maps, explain_flags=explanations)
    dialect = SparkDialect()
    plan = indicators.plan_for(settings, maps=maps, dialect=dialect)
    fields = indicators.fields_needed(settings.indicators, settings.matching)
    raw_view = f"rf_raw_{os.getpid()}_{next(_counter)}"
    with (
        source.materialised_stdin(path) as file,
        _spark_readable(file) as readable,
        _session_conf(spark),
    ):
        registered: list[str] = []
        try:
            reader = spark.read.schema(raw_schema(fields)).options(**READER_OPTIONS)
            reader.json(str(readable)).createOrReplaceTempView(raw_view)
            releases = normalised_select(raw_view, fields)
            # Spark inlines a WITH clause at every reference, so a CTE read by several outputs
            # would be computed again for each; each is computed once, as a view of its rows.
            # A local checkpoint rather than cache(): a query over a cached view still carries
            # the view's whole plan (the summary's list expressions, into every later view),
            # and caching kept copies of the session, each with the views registered so far,
            # alive after the run: a long-lived session's heap grew by about 57 MB per run of
            # a 40-line file with every indicator. A checkpoint's plan is just its rows.
            views = {"summary": indicators.summary_select(plan, releases), **plan.ctes}
            for name, sql in views.items():
                frame = spark.sql(dialect.finish(sql)).localCheckpoint(eager=True)
                frame.createOrReplaceTempView(name)
                registered.append(name)
            body = indicators.outputs_union(plan, ordered=explanations)
            for row in spark.sql(dialect.finish(body)).collect():
                collector.take(tuple(row))
        finally:
            # The checkpoints' blocks go once their views are dropped and the frames are
            # collected (Spark's ContextCleaner); no cache entry is left to remove.
            for name in registered:
                spark.catalog.dropTempView(name)
            spark.catalog.dropTempView(raw_view)
        if collector.report.invalid_lines:
            connection = source.connect()
            try:
                invalid, not_object, bad = source.locate_bad_lines(connection, file)
            finally:
                connection.close()
            # Lines Spark could not read but DuckDB can (a lower-case nan, say) still count
            # as invalid, without a line number.
            unread = collector.report.invalid_lines - not_object
            collector.report.invalid_lines = max(invalid, unread)
            collector.report.non_object_lines = not_object
            collector.report.bad_lines = bad
    return engine.finish(collector, settings, started)


__all__ = ["SparkUnavailable", "normalised_select", "raw_schema", "run_spark", "session"]
