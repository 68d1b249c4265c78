"""Reading JSON lines: bad lines are counted, reported with line numbers and skipped."""

from __future__ import annotations

import gzip
import io
import json
import math
import sys
from typing import Any

import duckdb
import pytest

from sujarit.redflags import engine, settings, source
from sujarit.redflags.tests.test_fences import releases as fence_releases

SHORT = {
    "tender": {
        "tenderPeriod": {"startDate": "2000-01-01T00:00:00Z", "endDate": "2000-01-05T00:00:00Z"}
    }
}


def short(ocid: str, **extra: Any) -> dict[str, Any]:
    return {"ocid": ocid, **json.loads(json.dumps(SHORT)), **extra}


def test_invalid_lines_are_counted_reported_with_line_numbers_and_skipped(write_lines, caplog):
    path = write_lines(
        [
            short("A"),
            "",
            "{not json",
            "   ",
            short("B"),
            '{"ocid": "C"} trailing',
            "[1, 2]",
            "null",
            short("D"),
        ]
    )
    with path.open("ab") as handle:
        handle.write(b'{"ocid": "\xff"}\n')
        handle.write(json.dumps(short("E")).encode() + b"\n")

    result = engine.run(path, settings.parse("[R003]"))

    assert set(result.results["OCID"]) == {"A", "B", "D", "E"}
    report = result.report
    assert report.lines == 9  # non-blank lines
    assert report.invalid_lines == 3
    assert report.non_object_lines == 2
    assert [(bad.line, bad.reason.split(" (")[0]) for bad in report.bad_lines] == [
        (3, "invalid JSON"),
        (6, "invalid JSON"),
        (10, "invalid UTF-8"),
    ]
    assert "Line 3 is invalid JSON, skipping." in caplog.text


def test_an_escaped_surrogate_without_its_pair_is_an_invalid_line(write_lines, caplog):
    # DuckDB (like Cardinal) refuses the line; Python's decoder accepts it, so the line used
    # to be counted as valid JSON that is not an object, with no warning.
    path = write_lines(['{"ocid": "C\\ud800"}', short("D\U0001f600"), "[1, 2]"])

    result = engine.run(path, settings.parse("[R003]"))

    assert set(result.results["OCID"]) == {"D\U0001f600"}
    assert result.report.invalid_lines == 1
    assert result.report.non_object_lines == 1
    assert [(bad.line, bad.reason) for bad in result.report.bad_lines] == [
        (1, "invalid JSON (an escaped surrogate without its pair)")
    ]
    assert "Line 1 is invalid JSON, skipping." in caplog.text


def test_a_clean_file_reports_no_bad_lines(write_lines):
    result = engine.run(write_lines([short("A")]), settings.parse("[R003]"))

    assert result.report.lines == 1
    assert result.report.invalid_lines == 0
    assert result.report.bad_lines == []


def test_a_release_longer_than_the_read_buffer_is_read_all_the_same(write_lines):
    # 44 MB of documents in one release: past DuckDB's buffer, which stops the whole read;
    # the engine reads again with room for the longest line, bad lines still reported.
    big = short("BIG", documents=[{"id": str(n), "description": "x" * 1000} for n in range(45_000)])
    path = write_lines([short("A"), big, "{not json", short("B")])
    assert path.stat().st_size > 40 * 2**20

    result = engine.run(path, settings.parse("[R003]"))

    assert set(result.results["OCID"]) == {"A", "BIG", "B"}
    assert [(bad.line, bad.reason.split(" (")[0]) for bad in result.report.bad_lines] == [
        (3, "invalid JSON")
    ]


def test_a_line_beyond_the_limit_is_a_clear_error(write_lines, monkeypatch):
    monkeypatch.setattr(source, "OBJECT_SIZE_LIMIT", source.OBJECT_SIZE * 2)
    big = short("BIG", documents=[{"id": str(n), "description": "x" * 1000} for n in range(45_000)])
    path = write_lines([short("A"), big])

    with pytest.raises(
        source.SourceError, match=r"line 2 is 44 MB long; a release may take at most 32 MB"
    ):
        engine.run(path, settings.parse("[R003]"))


def test_gzip_input_is_read(tmp_path):
    path = tmp_path / "releases.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(short("A")) + "\n{bad\n")

    result = engine.run(path, settings.parse("[R003]"))

    assert result.to_cardinal(meta=False) == {"OCID": {"A": {"R003": 1.0}}}
    assert [bad.line for bad in result.report.bad_lines] == [2]


def test_standard_input_is_read(monkeypatch):
    data = (json.dumps(short("A")) + "\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))

    result = engine.run("-", settings.parse("[R003]"))

    assert result.to_cardinal(meta=False) == {"OCID": {"A": {"R003": 1.0}}}


def test_missing_file_and_directory_are_errors(tmp_path):
    with pytest.raises(source.SourceError, match="No such file"):
        engine.run(tmp_path / "missing.jsonl", settings.parse("[R003]"))
    with pytest.raises(source.SourceError, match="is a directory"):
        engine.run(tmp_path, settings.parse("[R003]"))


def test_values_of_the_wrong_json_type_are_ignored_as_in_cardinal(run):
    valid = {"status": "valid"}
    releases = [
        # A numeric ocid is not a contracting process.
        {**short("x"), "ocid": 5},
        # numberOfTenderers must be the integer 1.
        {"ocid": "float", "tender": {"numberOfTenderers": 1.0, "procurementMethod": "open"}},
        {"ocid": "string", "tender": {"numberOfTenderers": "1", "procurementMethod": "open"}},
        {"ocid": "one", "tender": {"numberOfTenderers": 1, "procurementMethod": "open"}},
        # Amounts must be numbers: with the string amount ignored, nothing is disqualified
        # below the valid bid.
        {
            "ocid": "amount",
            "awards": [{"status": "active"}],
            "bids": {
                "details": [
                    {**valid, "value": {"amount": 2, "currency": "USD"}},
                    {"status": "disqualified", "value": {"amount": "1", "currency": "USD"}},
                ]
            },
        },
    ]

    result = run(releases, "[R003]\n[R018]\n[R036]")

    assert result.to_cardinal(meta=False) == {"OCID": {"one": {"R018": 1.0}}}


def test_nan_and_infinity_are_not_amounts(run):
    # Not JSON, but DuckDB's reader (and Spark's, as configured) accepts them: the release is
    # read and such an amount is ignored, so the disqualified bid is not the lowest.
    def release(ocid: str, amount: float) -> dict[str, Any]:
        bids = [
            {"status": "valid", "value": {"amount": 2, "currency": "USD"}},
            {"status": "disqualified", "value": {"amount": amount, "currency": "USD"}},
        ]
        return {**short(ocid), "awards": [{"status": "active"}], "bids": {"details": bids}}

    releases = [
        release("nan", math.nan),
        release("minus", -math.inf),
        release("plus", math.inf),
        release("one", 1),
    ]

    result = run(releases, "[R003]\n[R036]")

    assert result.to_cardinal(meta=False) == {
        "OCID": {
            "nan": {"R003": 1.0},
            "minus": {"R003": 1.0},
            "plus": {"R003": 1.0},
            "one": {"R003": 1.0, "R036": 1.0},
        }
    }


@pytest.mark.parametrize(
    ("start", "end", "flagged"),
    [
        ("2000-01-01T00:00:00Z", "2000-01-15T23:59:59Z", True),  # 14 whole days
        ("2000-01-01T00:00:00Z", "2000-01-16T00:00:00Z", False),  # exactly 15 days
        ("2000-01-01t00:00:00z", "2000-01-15T00:00:00+00:00", True),  # lower-case t and z
        ("2000-01-01 00:00:00Z", "2000-01-15T00:00:00Z", True),  # a space separator
        ("2000-01-01T00:00:00.5Z", "2000-01-16T00:00:00.4Z", True),  # 14 days 23:59:59.9
        ("2000-01-01T00:00:00+07:00", "2000-01-16T00:00:00+08:00", True),  # 14 days 23 h
        ("2000-01-01", "2000-01-10", False),  # not RFC 3339: skipped
        ("2000-02-30T00:00:00Z", "2000-03-01T00:00:00Z", False),  # no such date
        ("2000-01-01T24:00:00Z", "2000-01-02T00:00:00Z", False),  # no such hour
        ("2000-01-20T00:00:00Z", "2000-01-01T00:00:00Z", True),  # negative duration
        ("2000-01-01T00:00:00Z", "2000-01-15T23:59:60Z", False),  # a leap second: 15 days
        ("2000-01-01T00:00:00Z", "2000-01-10T00:00:00+24:00", False),  # no such offset
    ],
)
def test_tender_period_is_parsed_as_rfc_3339_whole_days(run, start, end, flagged):
    release = {"ocid": "A", "tender": {"tenderPeriod": {"startDate": start, "endDate": end}}}

    result = run([release], "[R003]")

    assert ("OCID" in result.results) is flagged


class _Recording:
    """A DuckDB connection that records the settings it was given and the SQL it ran."""

    def __init__(self, connection: Any, log: list[str]) -> None:
        self._connection = connection
        self._log = log

    def execute(self, sql: str, *args: Any) -> Any:
        self._log.append(sql)
        return self._connection.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


def recorded_sql(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL the engine's DuckDB connections will run, in order."""
    log: list[str] = []
    connect = source.connect
    monkeypatch.setattr(source, "connect", lambda **o: _Recording(connect(**o), log))
    return log


def test_the_whole_run_is_under_a_memory_limit_lowered_once_the_file_is_read(
    monkeypatch, write_lines
):
    calls: list[dict[str, Any]] = []
    log: list[str] = []
    connect = source.connect

    def recording_connect(**options: Any) -> Any:
        calls.append(options)
        connection = connect(**options)
        limit = connection.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        log.append(f"limit {limit}")
        return _Recording(connection, log)

    monkeypatch.setattr(source, "connect", recording_connect)
    path = write_lines([{"ocid": "a", "tender": {"numberOfTenderers": 1}}])
    options = settings.parse("[R018]\nprocurement_methods =")

    default = engine.run(path, options)
    # As if summary would not fit the limit: it goes to a database file.
    monkeypatch.setattr(engine, "_estimated_summary", lambda file: 2**30)
    given = engine.run(path, options, memory_limit="0.3GiB")

    assert default.results == given.results == {"OCID": {"a": {"R018": 1.0}}}
    assert [c["memory_limit"] for c in calls] == [engine.DEFAULT_MEMORY, "0.3GiB"]
    assert engine.DEFAULT_MEMORY == "700MB"
    # DuckDB reports the limit in MiB; the limit is set from the start of the run.
    assert log[0].startswith("limit 66") and log[0].endswith("MiB")
    # Once the file is read, DuckDB keeps 60 % of it (in bytes as DuckDB counts them) for the
    # output query, then has it all again.
    settings_ = [sql for sql in log if sql.startswith("SET memory_limit")]
    given_bytes = int(0.3 * 2**30)
    assert settings_ == [
        "SET memory_limit = '420000000B'",
        "SET memory_limit = '700000000B'",
        f"SET memory_limit = '{int(given_bytes * 0.6)}B'",
        f"SET memory_limit = '{given_bytes}B'",
    ]
    created = [n for n, sql in enumerate(log) if "CREATE OR REPLACE TABLE rf.summary" in sql]
    outputs = [n for n, sql in enumerate(log) if sql.startswith("WITH ") or "UNION ALL" in sql]
    lowered = [log.index(sql) for sql in settings_]
    # In each run: summary written, limit lowered, output query, limit restored.
    assert len(created) == len(outputs) == 2
    assert created[0] < lowered[0] < outputs[0] < lowered[1] < created[1]
    assert created[1] < lowered[2] < outputs[1] < lowered[3]
    attaches = [sql for sql in log if sql.startswith("ATTACH")]
    assert attaches == ["ATTACH ':memory:' AS rf", attaches[1]]
    assert "summary.duckdb" in attaches[1]


def test_summary_is_estimated_at_an_eighth_of_the_json_gzip_counting_ten_times(tmp_path):
    plain = tmp_path / "releases.jsonl"
    plain.write_bytes(b'{"ocid": "a"}\n' * 1000)
    compressed = tmp_path / "releases.jsonl.gz"
    compressed.write_bytes(gzip.compress(plain.read_bytes()))

    assert engine._estimated_summary(plain) == 14_000 // 8
    assert engine._estimated_summary(compressed) == compressed.stat().st_size * 10 // 8


def test_a_run_with_explanations_keeps_the_whole_limit(monkeypatch, write_lines):
    log = recorded_sql(monkeypatch)
    path = write_lines([{"ocid": "a", "tender": {"numberOfTenderers": 1}}])

    result = engine.run(path, settings.parse("[R018]\nprocurement_methods ="), explanations=True)

    assert result.results == {"OCID": {"a": {"R018": 1.0}}}
    assert [sql for sql in log if sql.startswith("SET memory_limit")] == [
        "SET memory_limit = '700000000B'"
    ] * 2


def test_an_output_query_beyond_the_lowered_limit_runs_again_with_the_whole_one(
    monkeypatch, write_lines
):
    path = write_lines(fence_releases(300, seed=1))
    options = settings.Settings.all_enabled(settings.CARDINAL_CODES)
    expected = engine.run(path, options)
    log = recorded_sql(monkeypatch)
    # A lowered limit of 700 kB: too little for any query.
    monkeypatch.setattr(engine, "AFTER_READING", 0.001)

    result = engine.run(path, options)

    assert result.results == expected.results
    assert json.dumps(result.meta, sort_keys=True) == json.dumps(expected.meta, sort_keys=True)
    outputs = [sql for sql in log if sql.startswith("WITH ") or "UNION ALL" in sql]
    assert len(outputs) == 2  # The first one ran out of memory.
    assert [sql for sql in log if sql.startswith("SET memory_limit")] == [
        "SET memory_limit = '700000B'",
        "SET memory_limit = '700000000B'",
        "SET memory_limit = '700000000B'",
    ]


def test_an_output_query_out_of_memory_under_the_whole_limit_runs_again_on_one_thread(
    monkeypatch, write_lines
):
    path = write_lines(fence_releases(300, seed=2))
    options = settings.Settings.all_enabled(settings.CARDINAL_CODES)
    expected = engine.run(path, options, explanations=True)
    log = recorded_sql(monkeypatch)
    collect = engine._collect
    failures = iter([True, False])

    def collect_or_fail(connection: Any, *args: Any, **kwargs: Any) -> None:
        collect(connection, *args, **kwargs)  # Rows taken before DuckDB gives up.
        if next(failures):
            raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate")

    monkeypatch.setattr(engine, "_collect", collect_or_fail)

    result = engine.run(path, options, explanations=True, threads=2)

    # The rows of the failed attempt are not counted twice.
    assert result.results == expected.results
    assert result.explanations == expected.explanations
    limits_and_threads = [sql for sql in log if sql.startswith(("SET memory", "SET threads"))]
    assert limits_and_threads == [
        "SET memory_limit = '700000000B'",
        "SET memory_limit = '700000000B'",
        "SET threads = 1",
        "SET memory_limit = '700000000B'",
        "SET threads = 2",
    ]


def test_out_of_memory_on_one_thread_too_is_an_error(monkeypatch, write_lines):
    path = write_lines(fence_releases(30, seed=2))

    def out_of_memory(*args: Any, **kwargs: Any) -> None:
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate")

    monkeypatch.setattr(engine, "_collect", out_of_memory)

    with pytest.raises(duckdb.OutOfMemoryException):
        engine.run(path, settings.Settings.all_enabled(settings.CARDINAL_CODES))


@pytest.mark.parametrize(
    ("size", "expected"),
    [("700MB", 700_000_000), ("1.5 GB", 1_500_000_000), ("512KiB", 524_288), ("2TB", 2 * 10**12)],
)
def test_memory_limits_are_counted_in_bytes_as_duckdb_counts_them(size, expected):
    assert engine._bytes(size) == expected


def test_a_summary_larger_than_the_limit_leaves_memory_with_the_same_results(
    monkeypatch, write_lines
):
    path = write_lines(fence_releases(100_000, seed=3))
    options = settings.Settings.all_enabled(settings.CARDINAL_CODES)
    expected = engine.run(path, options)
    spilled: list[int] = []
    connect = source.connect

    class Measuring(_Recording):
        def execute(self, sql: str, *args: Any) -> Any:
            result = self._connection.execute(sql, *args)
            if sql.startswith("SET memory_limit"):
                row = self._connection.execute(
                    "SELECT sum(temporary_storage_bytes) FROM duckdb_memory()"
                ).fetchone()
                spilled.append(int(row[0]))
            return result

    monkeypatch.setattr(source, "connect", lambda **o: Measuring(connect(**o), []))
    # Once the file is read, 20 MB for DuckDB: less than summary takes (26 MB).
    monkeypatch.setattr(engine, "AFTER_READING", 0.1)

    result = engine.run(path, options, memory_limit="200MB")

    assert spilled and spilled[0] > 0
    assert result.results == expected.results
    # (NaN, for a quartile with no data, is not equal to itself.)
    assert json.dumps(result.meta, sort_keys=True) == json.dumps(expected.meta, sort_keys=True)
