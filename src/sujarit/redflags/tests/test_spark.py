"""The Spark backend gives exactly DuckDB's results (and Cardinal's, where it has expected ones).

One local SparkSession serves the whole module (it takes about ten seconds to start). The tests
are skipped when PySpark or Java is missing, except under CI (the ``CI`` variable is set), where
a missing Spark is a failure: the equality of the backends must be checked there.

Results are compared through :func:`differences`, which compares everything a run produces
(results, ``Meta`` unrounded, ``Maps``, explanations and the read report) as canonical JSON; the
last tests show that it reports a different quartile method or one changed bid.
"""

from __future__ import annotations

import gc
import gzip
import inspect
import json
import logging
import math
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from sujarit.redflags import engine, settings, stats
from sujarit.redflags.tests import (
    test_explanations,
    test_matching,
    test_new_indicators,
    test_reading,
)
from sujarit.redflags.tests.test_cardinal_fixtures import (
    DOC_CASES,
    FIXTURES,
    INDICATOR_CASES,
    PROCUREMENT_METHOD_DETAILS,
)

pytestmark = pytest.mark.spark


def _unavailable(reason: str) -> NoReturn:
    message = f"Spark backend not tested: {reason}"
    if os.environ.get("CI"):
        pytest.fail(message + " (required when CI is set)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        _unavailable("PySpark is not installed (pip install pyspark)")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        _unavailable("no Java runtime (java on PATH or JAVA_HOME); PySpark needs Java 17+")
    # Bind to the loopback interface only: nothing listens on the machine's network.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("sujarit-redflags-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    # py4j logs the closing of its connections from finalizers at exit, when pytest has already
    # closed the streams its handlers write to.
    logging.getLogger("py4j").setLevel(logging.WARNING)


def _canonical(result: engine.Result) -> dict[str, Any]:
    document = result.to_cardinal(meta=False, maps=True, explanations=True)
    # Meta unrounded: a difference in the last place of a quartile counts.
    document["Meta"] = {code: dict(values) for code, values in result.meta.items()}
    report = result.report
    document["Report"] = {
        "lines": report.lines,
        "invalid_lines": report.invalid_lines,
        "non_object_lines": report.non_object_lines,
        "bad_lines": [(bad.line, bad.reason) for bad in report.bad_lines],
        "currency": report.currency,
        "other_currency_bids": report.other_currency_bids,
    }
    return document


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key in value:
            yield from _leaves(value[key], f"{path}/{key}")
    elif isinstance(value, list | tuple | set):
        items = sorted(value, key=repr) if isinstance(value, set) else value
        yield f"{path}#", str(len(items))
        for index, item in enumerate(items):
            yield from _leaves(item, f"{path}/{index}")
    elif isinstance(value, float):
        # repr() tells apart every float (and NaN from None, -0.0 from 0.0).
        yield path, "nan" if math.isnan(value) else repr(value)
    else:
        yield path, json.dumps(value, ensure_ascii=False)


def differences(expected: engine.Result, actual: engine.Result) -> list[str]:
    """Every value that differs between two runs, as ``path: expected != actual``."""
    left = dict(_leaves(_canonical(expected)))
    right = dict(_leaves(_canonical(actual)))
    return [
        f"{path}: {left.get(path, '<missing>')} != {right.get(path, '<missing>')}"
        for path in sorted(left.keys() | right.keys())
        if left.get(path) != right.get(path)
    ]


def _spark_run(path: Path, options: settings.Settings, spark: Any) -> engine.Result:
    from sujarit.redflags.spark import run_spark

    return run_spark(options, path, spark, maps=True, explanations=True)


def _same(path: Path, options: settings.Settings, spark_result: engine.Result) -> None:
    duck = engine.run(path, options, maps=True, explanations=True)
    found = differences(duck, spark_result)
    assert not found, "DuckDB and Spark differ:\n" + "\n".join(found[:50])


def both(path: Path, options: settings.Settings, spark: Any) -> engine.Result:
    """Run DuckDB and Spark; fail with every difference; return Spark's result."""
    result = _spark_run(path, options, spark)
    _same(path, options, result)
    return result


def _expected(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", INDICATOR_CASES)
def test_indicator_fixture_is_the_same_on_spark(name, spark):
    options = settings.load(FIXTURES / "indicator-settings" / f"{name}.ini")

    result = both(FIXTURES / "indicators" / f"{name}.jsonl", options, spark)

    assert result.to_cardinal(meta=False) == _expected(FIXTURES / "indicators" / f"{name}.expected")


@pytest.mark.parametrize("case", DOC_CASES, ids=[case["indicator"] for case in DOC_CASES])
def test_documented_example_is_the_same_on_spark(case, spark):
    docs = FIXTURES / "docs"
    options = settings.load(docs / Path(case["settings"]).name)

    result = both(docs / Path(case["input"]).name, options, spark)

    assert result.to_cardinal(meta=False) == _expected(docs / Path(case["expected"]).name)


def test_price_comparison_lists_are_the_same_on_spark(spark, tmp_path):
    # All nine cases of Cardinal's inline test in one file: one process per case, each with
    # its own procurementMethodDetails; a settings value with a quote and a backslash checks
    # that literals are respelled for Spark.
    template = PROCUREMENT_METHOD_DETAILS["release"]
    lines = []
    for index, case in enumerate(PROCUREMENT_METHOD_DETAILS["cases"]):
        release = json.loads(json.dumps(template))
        release["ocid"] = f"case-{index}"
        release["tender"]["procurementMethodDetails"] = case["procurementMethodDetails"]
        lines.append(json.dumps(release))
    quoted = json.loads(json.dumps(template))
    quoted["ocid"] = "quoted"
    quoted["tender"]["procurementMethodDetails"] = "it's a \\ test"
    lines.append(json.dumps(quoted))
    data = tmp_path / "releases.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for allow in ("", "price_comparison_procurement_methods = it's a \\ test\n"):
        result = both(data, settings.parse(allow + "[R036]"), spark)
        assert "quoted" in result.results.get("OCID", {})


def _comparing_run(spark: Any, tmp_path: Path) -> Callable[..., engine.Result]:
    counter = iter(range(1000))

    def run(lines: list[Any], ini: str, **options: Any) -> engine.Result:
        path = tmp_path / f"releases-{next(counter)}.jsonl"
        path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
        both(path, settings.parse(ini), spark)
        # The borrowed test reads its own flags (e.g. explanations) from DuckDB's result.
        return engine.run(path, settings.parse(ini), **options)

    return run


BORROWED = [
    function
    for module in (test_new_indicators, test_explanations, test_reading, test_matching)
    for name, function in vars(module).items()
    if name.startswith("test_") and list(inspect.signature(function).parameters) == ["run"]
]


@pytest.mark.parametrize("test", BORROWED, ids=[test.__name__ for test in BORROWED])
def test_indicator_tests_beyond_cardinal_are_the_same_on_spark(test, spark, tmp_path):
    # Each test of the new indicators (and of JSON types) runs with a `run` that also runs
    # Spark and fails on any difference.
    test(_comparing_run(spark, tmp_path))


@pytest.mark.parametrize("name", test_matching.CASES)
def test_matching_fixture_is_the_same_on_spark(name, spark):
    path = test_matching.OURS / f"{name}.jsonl"
    options = settings.load(test_matching.OURS / f"{name}.ini")

    for chosen, expected in (
        (options, f"{name}.expected"),
        (test_matching.cardinal_way(options), f"{name}.cardinal.expected"),
    ):
        result = both(path, chosen, spark)
        assert result.to_cardinal(meta=False) == _expected(test_matching.OURS / expected)


def test_rfc_3339_dates_are_read_the_same_on_spark(spark, tmp_path):
    marks = test_reading.test_tender_period_is_parsed_as_rfc_3339_whole_days.pytestmark
    cases = next(mark for mark in marks if mark.name == "parametrize").args[1]
    lines = [
        {"ocid": f"case-{i}", "tender": {"tenderPeriod": {"startDate": s, "endDate": e}}}
        for i, (s, e, _) in enumerate(cases)
    ]
    path = tmp_path / "dates.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")

    result = both(path, settings.parse("[R003]"), spark)

    flagged = {f"case-{i}" for i, (_, _, flag) in enumerate(cases) if flag}
    assert set(result.results["OCID"]) == flagged


def test_invalid_lines_and_gzip_are_read_the_same_on_spark(spark, tmp_path):
    short = test_reading.short
    lines = [short("A"), "", "{not json", short("B"), "[1, 2]", "null", short("C")]
    text = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
    plain = tmp_path / "releases.jsonl"
    plain.write_bytes(text.encode() + b'{"ocid": "\xff"}\n')
    # Gzip without a .gz name: the engine goes by the content, Spark by the name.
    packed = tmp_path / "releases.data"
    packed.write_bytes(gzip.compress(plain.read_bytes()))

    for path in (plain, packed):
        result = both(path, settings.parse("[R003]"), spark)
        assert set(result.results["OCID"]) == {"A", "B", "C"}
        assert result.report.invalid_lines == 2


# The comparison cannot pass vacuously. ---------------------------------------------------


def _r7(ordered: Any, tau: float) -> float:
    """The R-7 quantile (linear interpolation, DuckDB's and Spark's built-in), not Cardinal's."""
    if not ordered:
        return math.nan
    h = (len(ordered) - 1) * tau
    low = math.floor(h)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (h - low) * (ordered[high] - ordered[low]))


def _r7_at(n: int, tau: float, ordered: Any) -> float:
    """R-7 from the order statistics the SQL returned (all of them in this small example)."""
    return _r7([ordered[k] for k in range(1, n + 1)], tau)


def test_the_comparison_reports_another_quartile_method(monkeypatch):
    docs = FIXTURES / "docs"
    options = settings.load(docs / "025.ini")
    cardinal = engine.run(docs / "025.jsonl", options)
    monkeypatch.setattr(stats, "quantile", _r7)
    monkeypatch.setattr(stats, "quantile_at", _r7_at)

    interpolated = engine.run(docs / "025.jsonl", options)

    found = differences(cardinal, interpolated)
    assert any(line.startswith("/Meta/R025/q1:") for line in found), found


def test_the_comparison_reports_one_changed_bid_on_spark(spark, tmp_path):
    from sujarit.redflags.spark import run_spark

    source = FIXTURES / "indicators" / "R058.jsonl"
    changed = tmp_path / "R058.jsonl"
    lines = source.read_text(encoding="utf-8").splitlines()
    release = json.loads(lines[0])
    bid = next(b for b in release["bids"]["details"] if "value" in b)
    bid["value"]["amount"] = bid["value"]["amount"] * 1.5
    changed.write_text("\n".join([json.dumps(release), *lines[1:]]) + "\n", encoding="utf-8")
    options = settings.load(FIXTURES / "indicator-settings" / "R058.ini")

    found = differences(engine.run(source, options), run_spark(options, changed, spark))

    assert any("/Meta/R058/" in line for line in found), found


def test_command_line_runs_the_spark_backend(spark):
    from sujarit.redflags.tests.test_cli import call

    docs = FIXTURES / "docs"
    argv = ["indicators", "-s", str(docs / "024.ini"), "--map", str(docs / "024.jsonl")]

    duck = call(*argv)
    on_spark = call(argv[0], "--backend", "spark", *argv[1:])

    assert on_spark[0] == 0
    assert on_spark[1] == duck[1]


def _live_sessions(spark: Any) -> int:
    """SparkSession objects alive in the driver's JVM (the class histogram of ``jcmd``
    collects the garbage first)."""
    java_home = os.environ.get("JAVA_HOME")
    jcmd = shutil.which("jcmd") or (java_home and str(Path(java_home) / "bin" / "jcmd"))
    if not jcmd or not Path(jcmd).exists():
        _unavailable("jcmd (from the JDK) is needed to count the JVM's live objects")
    gc.collect()  # Python's references to Java objects go with their proxies
    pid = spark._jvm.java.lang.ProcessHandle.current().pid()
    histogram = subprocess.run(  # noqa: S603 - the JDK's own tool, on our own JVM
        [jcmd, str(pid), "GC.class_histogram"], capture_output=True, text=True, check=True
    ).stdout
    count = 0
    for line in histogram.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[3].startswith("org.apache.spark.sql."):
            if parts[3].endswith(".SparkSession"):
                count += int(parts[1])
    return count


def test_a_long_lived_session_keeps_nothing_of_a_run(spark):
    # A service may call run_spark many times on one session. With cached views, each run
    # left copies of the session (with its views' plans) alive: the heap grew by tens of
    # megabytes per run until the driver ran out of memory.
    from sujarit.redflags.spark import run_spark

    options = settings.parse(settings.DEFAULT_INI)
    path = FIXTURES / "docs" / "024.jsonl"
    run_spark(options, path, spark)
    before = _live_sessions(spark)

    for _ in range(2):
        run_spark(options, path, spark, maps=True, explanations=True)

    assert _live_sessions(spark) <= before


def test_a_line_only_duckdb_can_read_still_counts_as_invalid_on_spark(spark, tmp_path):
    # DuckDB's reader takes a lower-case nan, Spark's does not: Spark skips the line, and the
    # report says so even though DuckDB's pass cannot give its line number.
    from sujarit.redflags.spark import run_spark

    tender = {
        "tenderPeriod": {"startDate": "2000-01-01T00:00:00Z", "endDate": "2000-01-05T00:00:00Z"}
    }
    path = tmp_path / "releases.jsonl"
    path.write_text(
        '{"ocid": "A", "x": nan, "tender": '
        + json.dumps(tender)
        + "}\n"
        + json.dumps({"ocid": "B", "tender": tender})
        + "\n",
        encoding="utf-8",
    )

    result = run_spark(settings.parse("[R003]"), path, spark)

    assert set(result.results["OCID"]) == {"B"}
    assert result.report.invalid_lines == 1
    assert result.report.bad_lines == []
