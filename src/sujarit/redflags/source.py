"""Reading compiled releases (JSON lines, plain or gzip) into DuckDB.

This is the only part of the engine that knows how DuckDB reads JSON. It turns every line into one
row of the *normalised release* relation (``releases``), whose columns are described in
``RELEASE_COLUMNS``; the indicator SQL in :mod:`sujarit.redflags.indicators` reads only that
relation. Another backend (Spark) provides the same relation its own way.

Cardinal reads values by their JSON type: an ``ocid`` or organisation ``id`` that is a number, or
an amount that is a string, is ignored. DuckDB would convert such values silently, so identifiers,
amounts and counts are read as raw JSON and kept only when their JSON type is the one Cardinal
accepts. Text fields that are only compared with fixed words (statuses, methods, currencies, dates)
are read as text.

Lines that are not JSON are skipped and counted; the engine then finds their line numbers with a
second, cheap pass (:func:`locate_bad_lines`) — only when there are any.
"""

# The reader builds SQL text; file names go through ``sql_string()``, never into the SQL as is.
# ruff: noqa: S608

from __future__ import annotations

import codecs
import contextlib
import gzip
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NoReturn, cast

import duckdb

from sujarit.redflags.progress import Meter, metered_stdin

#: The fields an indicator can ask for (see ``indicators.FIELDS``); only those are read.
FIELDS = frozenset(
    {
        "tender.procurementMethod",
        "tender.numberOfTenderers",
        "tender.tenderPeriod",
        "tender.procuringEntity",
        "buyer",
        "bids.status",
        "bids.date",
        "bids.tenderers",
        "bids.value",
        "bids.id",
        "bids.relatedLots",
        "awards.status",
        "awards.date",
        "awards.suppliers",
        "awards.items",
        "awards.value",
        "awards.relatedLots",
        "awards.relatedBids",
        "parties",
    }
)

_ORG = "STRUCT(id JSON)"
_VALUE = "STRUCT(amount JSON, currency VARCHAR)"
_RAW: dict[str, str] = {
    "tender.procurementMethod": "procurementMethod VARCHAR",
    "tender.numberOfTenderers": "numberOfTenderers JSON",
    "tender.tenderPeriod": "tenderPeriod STRUCT(startDate VARCHAR, endDate VARCHAR)",
    "tender.procuringEntity": f"procuringEntity {_ORG}",
    "bids.status": "status VARCHAR",
    "bids.date": "date VARCHAR",
    "bids.tenderers": f"tenderers {_ORG}[]",
    "bids.value": f"value {_VALUE}",
    "bids.id": "id JSON",
    "bids.relatedLots": "relatedLots JSON[]",
    "awards.status": "status VARCHAR",
    "awards.date": "date VARCHAR",
    "awards.suppliers": f"suppliers {_ORG}[]",
    "awards.items": "items STRUCT(classification STRUCT(id JSON))[]",
    "awards.value": f"value {_VALUE}",
    "awards.relatedLots": "relatedLots JSON[]",
    "awards.relatedBids": "relatedBids JSON[]",
}
_PARTIES = (
    "STRUCT(id JSON, roles VARCHAR[], "
    "address STRUCT(streetAddress VARCHAR, locality VARCHAR, region VARCHAR, "
    "postalCode VARCHAR, countryName VARCHAR), "
    "contactPoint STRUCT(name VARCHAR, email VARCHAR, telephone VARCHAR))[]"
)

BID_TYPE = (
    "STRUCT(idx INTEGER, status VARCHAR, date VARCHAR, tenderer_ids VARCHAR[], "
    "n_tenderers INTEGER, amount DOUBLE, currency VARCHAR, id VARCHAR, lot_ids VARCHAR[])"
)
AWARD_TYPE = (
    "STRUCT(idx INTEGER, status VARCHAR, date VARCHAR, supplier_ids VARCHAR[], "
    "n_suppliers INTEGER, has_items BOOLEAN, classification_ids VARCHAR[], amount DOUBLE, "
    "currency VARCHAR, lot_ids VARCHAR[], bid_ids VARCHAR[])"
)
PARTY_TYPE = (
    "STRUCT(id VARCHAR, roles VARCHAR[], address STRUCT(streetAddress VARCHAR, "
    "locality VARCHAR, region VARCHAR, postalCode VARCHAR, countryName VARCHAR), "
    "contactPoint STRUCT(name VARCHAR, email VARCHAR, telephone VARCHAR))"
)

#: The normalised release relation every backend provides (column → SQL type, meaning).
#: Columns whose fields were not asked for are NULL.
RELEASE_COLUMNS: dict[str, tuple[str, str]] = {
    "ocid": ("VARCHAR", "/ocid if a string"),
    "buyer_id": ("VARCHAR", "/buyer/id if a string"),
    "procuring_entity_id": ("VARCHAR", "/tender/procuringEntity/id if a string"),
    "tender_status": ("VARCHAR", "/tender/status"),
    "procurement_method": ("VARCHAR", "/tender/procurementMethod"),
    "procurement_method_details": ("VARCHAR", "/tender/procurementMethodDetails"),
    "single_tenderer": ("BOOLEAN", "/tender/numberOfTenderers is the JSON integer 1"),
    "tender_start": ("VARCHAR", "/tender/tenderPeriod/startDate"),
    "tender_end": ("VARCHAR", "/tender/tenderPeriod/endDate"),
    "tender_days": ("BIGINT", "whole days from start to end (both RFC 3339), else NULL"),
    "bids": (
        f"{BID_TYPE}[]",
        "/bids/details if an array (ids: string ids only; lot_ids: relatedLots)",
    ),
    "awards": (
        f"{AWARD_TYPE}[]",
        "/awards if an array (ids: string ids only; lot_ids: relatedLots; bid_ids: relatedBids)",
    ),
    "parties": (f"{PARTY_TYPE}[]", "/parties if an array (ids: string ids only)"),
    "empty_row": ("BOOLEAN", "no field was read: not JSON, not an object, or not a release"),
}

# An RFC 3339 date-time as Cardinal's parser (chrono) accepts it: "T", "t" or a space between date
# and time, any number of fractional digits and a Z or ±hh:mm. (Fractions finer than a
# microsecond are dropped; chrono keeps nanoseconds, which matters only within a microsecond of
# a whole day.)
RFC3339 = (
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)

_MACROS = (
    # A JSON value as text only if it is a JSON string; as a number only if it is a JSON number.
    # The value is valid JSON text, so its first character tells its type without parsing it:
    # a string starts with a quote (and, without a backslash, is the text between the quotes),
    # a number with a digit or a minus sign. ``json_type`` would parse every value once more.
    "CREATE OR REPLACE TEMP MACRO rf_str(x) AS "
    "CASE WHEN starts_with(CAST(x AS VARCHAR), '\"') THEN "
    "CASE WHEN contains(CAST(x AS VARCHAR), '\\') THEN json_extract_string(x, '$') "
    "ELSE substr(CAST(x AS VARCHAR), 2, length(CAST(x AS VARCHAR)) - 2) END END",
    # DuckDB's reader also takes NaN, Infinity and numbers beyond a double (1e999), which JSON
    # and Cardinal do not: such a value is not a number here either.
    "CREATE OR REPLACE TEMP MACRO rf_num(x) AS "
    "CASE WHEN left(CAST(x AS VARCHAR), 1) IN ('-', '0', '1', '2', '3', '4', '5', '6', '7', "
    "'8', '9') AND isfinite(TRY_CAST(CAST(x AS VARCHAR) AS DOUBLE)) "
    "THEN CAST(x AS DOUBLE) END",
    # Microseconds since the epoch of an RFC 3339 date-time as chrono accepts it, or NULL.
    # DuckDB's own cast is more lenient (24:00, offsets beyond 23:59), hence the checks; a leap
    # second (:60) counts as one second more than :59, as chrono has it.
    "CREATE OR REPLACE TEMP MACRO rf_ts(s) AS CASE "
    f"WHEN regexp_full_match(s, '{RFC3339}') AND substr(s, 12, 2) <= '23' "
    "AND substr(s, 15, 2) <= '59' AND (upper(right(s, 1)) = 'Z' "
    "OR (substr(s, length(s) - 4, 2) <= '23' AND right(s, 2) <= '59')) THEN "
    "CASE WHEN substr(s, 18, 2) = '60' THEN epoch_us(TRY_CAST(upper(substr(s, 1, 17) "
    "|| '59' || substr(s, 20)) AS TIMESTAMPTZ)) + 1000000 "
    "ELSE epoch_us(TRY_CAST(upper(s) AS TIMESTAMPTZ)) END END",
)


class SourceError(Exception):
    """The input cannot be read at all (missing, a directory, unreadable)."""


@dataclass
class BadLine:
    line: int
    reason: str


def _typed_null(sql_type: str) -> str:
    return f"CAST(NULL AS {sql_type})"


def _strings(list_expr: str) -> str:
    """The JSON strings of a list of JSON values (other values are ignored)."""
    return f"list_filter(list_transform({list_expr}, lambda v: rf_str(v)), lambda v: v IS NOT NULL)"


def _ids(list_expr: str) -> str:
    return (
        f"list_filter(list_transform({list_expr}, lambda o: rf_str(o.id)), lambda v: v IS NOT NULL)"
    )


def _raw_columns(fields: frozenset[str]) -> dict[str, str]:
    tender = ["status VARCHAR", "procurementMethodDetails VARCHAR"]
    tender += [_RAW[f] for f in sorted(fields) if f.startswith("tender.")]
    columns = {"ocid": "JSON", "tender": f"STRUCT({', '.join(tender)})"}
    if "buyer" in fields:
        columns["buyer"] = _ORG
    for name in ("bids", "awards"):
        parts = [_RAW[f] for f in sorted(fields) if f.startswith(f"{name}.")]
        if parts:
            struct = f"STRUCT({', '.join(parts)})[]"
            columns[name] = f"STRUCT(details {struct})" if name == "bids" else struct
    if "parties" in fields:
        columns["parties"] = _PARTIES
    return columns


def normalised_select(source_sql: str, fields: frozenset[str]) -> str:
    """The SELECT producing ``releases`` from a ``read_json`` call, reading only ``fields``."""
    unknown = fields - FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    columns = _raw_columns(fields)
    read = source_sql.format(columns=json.dumps(columns).replace('"', "'"))

    def field(name: str, expr: str, sql_type: str) -> str:
        return expr if name in fields else _typed_null(sql_type)

    dates = "tender.tenderPeriod.startDate", "tender.tenderPeriod.endDate"
    # chrono's Duration::num_days(): whole days, towards zero (as DuckDB's and Spark's integer
    # division of BIGINTs).
    days = f"(rf_ts({dates[1]}) - rf_ts({dates[0]})) // 86400000000"
    bid = (
        "{'idx': i, "
        f"'status': {field('bids.status', 'b.status', 'VARCHAR')}, "
        f"'date': {field('bids.date', 'b.date', 'VARCHAR')}, "
        f"'tenderer_ids': {field('bids.tenderers', _ids('b.tenderers'), 'VARCHAR[]')}, "
        f"'n_tenderers': {field('bids.tenderers', 'len(b.tenderers)', 'INTEGER')}, "
        f"'amount': {field('bids.value', 'rf_num(b.value.amount)', 'DOUBLE')}, "
        f"'currency': {field('bids.value', 'b.value.currency', 'VARCHAR')}, "
        f"'id': {field('bids.id', 'rf_str(b.id)', 'VARCHAR')}, "
        f"'lot_ids': {field('bids.relatedLots', _strings('b.relatedLots'), 'VARCHAR[]')}}}"
    )
    award = (
        "{'idx': i, "
        f"'status': {field('awards.status', 'a.status', 'VARCHAR')}, "
        f"'date': {field('awards.date', 'a.date', 'VARCHAR')}, "
        f"'supplier_ids': {field('awards.suppliers', _ids('a.suppliers'), 'VARCHAR[]')}, "
        f"'n_suppliers': {field('awards.suppliers', 'len(a.suppliers)', 'INTEGER')}, "
        f"'has_items': {field('awards.items', 'a.items IS NOT NULL', 'BOOLEAN')}, "
        "'classification_ids': "
        + field(
            "awards.items",
            "list_filter(list_transform(a.items, lambda t: rf_str(t.classification.id)), "
            "lambda v: v IS NOT NULL)",
            "VARCHAR[]",
        )
        + f", 'amount': {field('awards.value', 'rf_num(a.value.amount)', 'DOUBLE')}, "
        f"'currency': {field('awards.value', 'a.value.currency', 'VARCHAR')}, "
        f"'lot_ids': {field('awards.relatedLots', _strings('a.relatedLots'), 'VARCHAR[]')}, "
        f"'bid_ids': {field('awards.relatedBids', _strings('a.relatedBids'), 'VARCHAR[]')}}}"
    )
    # Only the id needs its JSON type checked; the details are compared by R044, which
    # normalises them only for the processes where they matter.
    party = (
        "{'id': rf_str(p.id), 'roles': p.roles, 'address': p.address, "
        "'contactPoint': p.contactPoint}"
    )
    has_bids = any(f.startswith("bids.") for f in fields)
    has_awards = any(f.startswith("awards.") for f in fields)
    expressions = {
        "ocid": "rf_str(ocid)",
        "buyer_id": field("buyer", "rf_str(buyer.id)", "VARCHAR"),
        "procuring_entity_id": field(
            "tender.procuringEntity", "rf_str(tender.procuringEntity.id)", "VARCHAR"
        ),
        "tender_status": "tender.status",
        "procurement_method": field(
            "tender.procurementMethod", "tender.procurementMethod", "VARCHAR"
        ),
        "procurement_method_details": "tender.procurementMethodDetails",
        "single_tenderer": field(
            "tender.numberOfTenderers",
            "CAST(tender.numberOfTenderers AS VARCHAR) = '1'",
            "BOOLEAN",
        ),
        "tender_start": field("tender.tenderPeriod", dates[0], "VARCHAR"),
        "tender_end": field("tender.tenderPeriod", dates[1], "VARCHAR"),
        "tender_days": field("tender.tenderPeriod", days, "BIGINT"),
        "bids": (
            f"list_transform(bids.details, lambda b, i: {bid})"
            if has_bids
            else _typed_null(f"{BID_TYPE}[]")
        ),
        "awards": (
            f"list_transform(awards, lambda a, i: {award})"
            if has_awards
            else _typed_null(f"{AWARD_TYPE}[]")
        ),
        "parties": field(
            "parties", f"list_transform(parties, lambda p: {party})", f"{PARTY_TYPE}[]"
        ),
        "empty_row": " AND ".join(f"{name} IS NULL" for name in columns),
    }
    select = ",\n  ".join(f"{expr} AS {name}" for name, expr in expressions.items())
    return f"SELECT\n  {select}\nFROM {read}"


def connect(
    *,
    memory_limit: str | None = None,
    threads: int | None = None,
    temp_directory: str | None = None,
) -> Any:
    """A DuckDB connection set up for the engine.

    Beyond ``memory_limit`` DuckDB spills to ``temp_directory`` (never to the working
    directory, which is DuckDB's default for an in-memory database).
    """
    # Progress is tracked (the engine shows it on standard error) but DuckDB must never print
    # its own bar: standard output carries the results.
    config: dict[str, Any] = {"preserve_insertion_order": False}
    if memory_limit:
        config["memory_limit"] = memory_limit
    if threads:
        config["threads"] = threads
    config["temp_directory"] = temp_directory or tempfile.gettempdir()
    connection = duckdb.connect(config=config)
    connection.execute("SET enable_progress_bar = true")
    connection.execute("SET enable_progress_bar_print = false")
    for macro in _MACROS:
        connection.execute(macro)
    return connection


def is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def check_readable(path: Path) -> None:
    if path.is_dir():
        raise SourceError(f"{path}: is a directory, not a file")
    try:
        with path.open("rb"):
            pass
    except OSError as error:
        raise SourceError(f"{path}: {error.strerror or error}") from error


def sql_string(value: str) -> str:
    """A SQL string literal (standard quoting, valid in DuckDB and Spark SQL)."""
    return "'" + value.replace("'", "''") + "'"


#: DuckDB's buffer for one line of JSON. A longer line stops the whole read, so the engine
#: then measures the longest line and reads again with room for it (:func:`room_for`).
OBJECT_SIZE = 16 * 1024 * 1024
#: The most a line may take: a release beyond it is not data the engine can be asked to read.
OBJECT_SIZE_LIMIT = 1024 * 1024 * 1024


def read_json_sql(path: Path, object_size: int = OBJECT_SIZE) -> str:
    """A ``read_json`` call with a ``{columns}`` placeholder, for :func:`normalised_select`."""
    compression = "gzip" if is_gzip(path) else "none"
    return (
        f"read_json({sql_string(str(path))}, format='newline_delimited', "
        f"compression='{compression}', ignore_errors=true, maximum_object_size={object_size:d}, "
        "columns={columns})"
    )


def line_too_long(error: Exception) -> bool:
    """Whether DuckDB stopped reading because a line is longer than its buffer."""
    return "maximum_object_size" in str(error)


def read_with_room(
    path: Path, read: Callable[[int], object], object_size: int = OBJECT_SIZE
) -> int:
    """Run ``read(maximum_object_size)``; if DuckDB stops because a line is longer than that,
    run it again with room for the file's longest line. Returns the size that worked."""
    try:
        read(object_size)
    except duckdb.InvalidInputException as error:
        if not line_too_long(error):
            raise
        object_size = room_for(path)
        read(object_size)
    return object_size


def room_for(path: Path) -> int:
    """A ``maximum_object_size`` that holds the file's longest line (one streamed pass), or
    :class:`SourceError` if that line is longer than ``OBJECT_SIZE_LIMIT``."""
    longest, number = 0, 0
    with _open_lines(path) as handle:
        for index, line in enumerate(handle, start=1):
            if len(line) > longest:
                longest, number = len(line), index
    size = OBJECT_SIZE
    while size <= longest:
        size *= 2
    if size > OBJECT_SIZE_LIMIT:
        raise SourceError(
            f"{path}: line {number} is {longest / 2**20:,.0f} MB long; a release may take "
            f"at most {OBJECT_SIZE_LIMIT // 2**20:,} MB"
        )
    return size


@contextlib.contextmanager
def materialised_stdin(name: str | Path, meter: Meter | None = None) -> Iterator[Path]:
    """The input path; ``-`` is copied (streamed) from standard input to a temporary file,
    the bytes received counted in ``meter``."""
    if str(name) != "-":
        path = Path(name)
        check_readable(path)
        yield path
        return
    handle, temp = tempfile.mkstemp(prefix="redflags-", suffix=".jsonl")
    try:
        with os.fdopen(handle, "wb") as out, metered_stdin(meter or Meter()) as stdin:
            shutil.copyfileobj(stdin, out, 1 << 20)
        yield Path(temp)
    finally:
        os.unlink(temp)


def _open_lines(path: Path) -> IO[bytes]:
    if is_gzip(path):
        return cast(IO[bytes], gzip.GzipFile(path, "rb"))
    return path.open("rb")


_BLANK = frozenset(b" \t\r\n\x0c\x0b")


def locate_bad_lines(
    connection: Any, path: Path, *, limit: int = 1000, object_size: int = OBJECT_SIZE
) -> tuple[int, int, list[BadLine]]:
    """Find the lines DuckDB could not read as a JSON object, with a reason for each.

    Returns (invalid JSON lines, valid JSON lines that are not objects, the first ``limit``
    invalid lines with line numbers). DuckDB skips blank lines and numbers the others in order;
    a scan that keeps the order tells which ordinals are NULL, and a byte-level pass over the
    file turns ordinals into line numbers.
    """
    connection.execute("SET preserve_insertion_order = true")

    def scan(size: int) -> None:
        connection.execute(
            "CREATE OR REPLACE TEMP TABLE rf_lines AS SELECT json IS NULL "
            "OR json_type(json) <> 'OBJECT' AS bad FROM read_ndjson_objects("
            f"{sql_string(str(path))}, ignore_errors=true, maximum_object_size={size:d}, "
            f"compression='{'gzip' if is_gzip(path) else 'none'}')"
        )

    try:
        read_with_room(path, scan, object_size)
        ordinals = [
            row[0]
            for row in connection.execute(
                "SELECT rowid FROM rf_lines WHERE bad ORDER BY rowid"
            ).fetchall()
        ]
        connection.execute("DROP TABLE rf_lines")
    finally:
        connection.execute("SET preserve_insertion_order = false")
    wanted = set(ordinals)
    invalid = 0
    not_object = 0
    found: list[BadLine] = []
    decoder = codecs.getincrementaldecoder("utf-8")
    ordinal = -1
    with _open_lines(path) as handle:
        for number, raw in enumerate(handle, start=1):
            if all(byte in _BLANK for byte in raw):
                continue
            ordinal += 1
            if ordinal not in wanted:
                continue
            reason = _line_problem(raw, decoder)
            if reason is None:
                not_object += 1
                continue
            invalid += 1
            if len(found) < limit:
                found.append(BadLine(number, reason))
    return invalid, not_object, found


def _not_json(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON value")


def loads_as_cardinal(text: str) -> Any:
    """The JSON value of ``text`` as Cardinal's serde_json reads it.

    Python's decoder accepts more than JSON, and more than DuckDB and serde_json: ``NaN`` and
    ``Infinity``, and an escaped surrogate without its pair (``"\\ud800"``). Those raise
    ValueError here, as invalid JSON does (a number beyond a double, ``1e999``, is a number).
    """
    value = json.loads(text, parse_constant=_not_json)
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("an escaped surrogate without its pair") from error
    return value


def _line_problem(raw: bytes, decoder: Any) -> str | None:
    """Why a line is not usable JSON (:func:`loads_as_cardinal`), or None if it is valid JSON
    (just not an object). Such a line is invalid, not a valid line that is not an object
    (which is skipped silently)."""
    try:
        text = decoder().decode(raw, final=True)
    except UnicodeDecodeError:
        return "invalid UTF-8"
    try:
        loads_as_cardinal(text)
    except json.JSONDecodeError as error:
        return f"invalid JSON ({error.msg} at column {error.colno})"
    except ValueError as error:
        return f"invalid JSON ({error})"
    return None
