"""Progress of long runs: a line on a terminal, nothing elsewhere, never mixed with results."""

from __future__ import annotations

import gc
import gzip
import io
import logging
import sys
import threading
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from sujarit.redflags import cli, progress

FIXTURES = Path(__file__).parent / "fixtures"
DOCS = FIXTURES / "cardinal" / "docs"
REAL = FIXTURES / "real-examples"


class Terminal(io.StringIO):
    """Standard error as a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def fast(monkeypatch):
    """Refresh progress lines every millisecond, so that short runs show some."""
    monkeypatch.setattr(progress, "INTERVAL", 0.001)


def frames(text: str) -> list[str]:
    """The lines a terminal showed, one per carriage return, without the blank ones."""
    return [frame.strip() for frame in text.split("\r") if frame.strip()]


def wait_for(condition: Callable[[], object], timeout: float = 5.0) -> None:
    ready = threading.Event()
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        ready.wait(0.01)
    raise AssertionError("the progress line never came")


def test_a_progress_line_shows_the_probe_and_is_cleared_at_the_end():
    stream = Terminal()
    shown = progress.Progress(stream, "coverage", interval=0.001)

    shown.follow(lambda: " 42.0%")
    wait_for(lambda: "42.0%" in stream.getvalue())
    shown.stop()

    text = stream.getvalue()
    assert frames(text)[0] == "coverage:  42.0% (0 s)"
    # The last thing written blanks the line and returns to its start.
    assert text.endswith("\r") and text.rsplit("\r", 2)[-2].strip() == ""


def test_a_shorter_line_covers_a_longer_one():
    stream = Terminal()
    texts = iter(["merging 1,000 of 2,000 processes", "done"])
    shown = progress.Progress(stream, "import", interval=0.001)

    shown.follow(lambda: next(texts, None))
    wait_for(lambda: "done" in stream.getvalue())
    shown.stop()

    first, second = stream.getvalue().split("\r")[1:3]
    assert len(second) >= len(first)
    assert second.startswith("import: done")


def test_without_a_terminal_nothing_is_written_and_no_thread_starts():
    stream = io.StringIO()
    shown = progress.on_terminal(stream)
    threads = threading.active_count()

    shown.follow(lambda: "50.0%")
    assert threading.active_count() == threads
    shown.stop()

    assert stream.getvalue() == ""


def test_a_failing_probe_ends_the_display_not_the_run():
    stream = Terminal()
    calls = []

    def probe() -> str:
        calls.append(1)
        raise RuntimeError("connection closed")

    shown = progress.Progress(stream, interval=0.001)
    shown.follow(probe)
    wait_for(lambda: calls)
    shown.stop()

    assert len(calls) == 1
    assert stream.getvalue() == ""


def test_a_log_message_starts_on_a_line_of_its_own():
    stream = Terminal()
    logger = logging.getLogger("sujarit.redflags.tests.progress")
    handler = progress.LogHandler(stream)
    logger.addHandler(handler)
    logger.propagate = False
    shown = progress.Progress(stream, "coverage", interval=0.001)
    try:
        shown.follow(lambda: " 10.0%")
        wait_for(lambda: "10.0%" in stream.getvalue())
        logger.warning("Line 7 is invalid JSON, skipping.")
        shown.stop()
    finally:
        logger.removeHandler(handler)

    text = stream.getvalue()
    before, after = text.split("Line 7 is invalid JSON, skipping.\n")
    # The progress line was blanked, and the cursor brought back, before the message.
    assert before.endswith("\r")
    assert before.rsplit("\r", 2)[-2].strip() == ""
    assert "\n" not in before


@pytest.mark.parametrize("compressed", [False, True])
def test_a_metered_file_counts_the_bytes_read_against_its_size(tmp_path, compressed):
    content = b"".join(b'{"ocid": "ocds-demo-%d"}\n' % n for n in range(5000))
    path = tmp_path / "releases.jsonl"
    path.write_bytes(gzip.compress(content) if compressed else content)
    meter = progress.Meter()

    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        handle = progress.metered(path, meter)
        assert meter.total == path.stat().st_size
        assert meter.done < path.stat().st_size
        assert handle.read() == content
        handle.close()
        gc.collect()  # An unclosed file would warn here.

    assert meter.done == path.stat().st_size
    assert meter.text() == "100.0%"


def test_a_meter_shows_nothing_before_its_file_is_open():
    assert progress.Meter().text() is None


def test_a_meter_without_a_size_counts_megabytes():
    meter = progress.Meter()
    meter.start(None)
    meter.done = 3 * 2**20

    assert meter.text() == "3 MB read"


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), Terminal()
    status = cli.main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_indicators_show_progress_on_a_terminal_and_print_the_same_results(fast):
    argv = ("indicators", "--settings", str(DOCS / "024.ini"), str(DOCS / "024.jsonl"))
    plain = io.StringIO()
    cli.main(list(argv), stdout=plain, stderr=io.StringIO())

    status, out, err = run_cli(*argv)

    assert status == 0
    assert out == plain.getvalue()
    assert frames(err)
    assert all(frame.startswith("redflags: ") for frame in frames(err))
    assert err.endswith("\r")


def test_coverage_shows_how_much_of_the_file_is_read(fast, tmp_path):
    path = tmp_path / "releases.jsonl"
    path.write_text(
        "".join(f'{{"ocid": "ocds-demo-{n}", "tag": ["compiled"]}}\n' for n in range(20000))
    )

    status, out, err = run_cli("coverage", str(path))

    assert status == 0
    assert out.startswith('{"/ocid": 20000,')
    shown = frames(err)
    assert shown and all(frame.startswith("coverage: ") for frame in shown)
    assert all(frame.split()[1].endswith("%") for frame in shown)


def test_import_shows_the_file_being_read_then_the_processes_merged(fast, tmp_path):
    output = tmp_path / "compiled.jsonl"

    status, _, err = run_cli("import", "-o", str(output), str(REAL))

    assert status == 0
    shown = frames(err)
    assert any(frame.startswith("import: reading file ") for frame in shown)
    assert any(frame.startswith("import: merging ") for frame in shown)
    # Each problem is a message on a line of its own, not mixed with a progress line.
    warnings_ = [line for line in err.split("\n") if "WARNING" in line]
    assert len(warnings_) == 3
    assert all(line.split("\r")[-1].startswith("WARNING ") for line in warnings_)
    assert len(output.read_text(encoding="utf-8").splitlines()) == 10


class FakeBuilder:
    """PySpark's SparkSession.builder, recording the configuration asked for."""

    def __init__(self) -> None:
        self.options: dict[str, str] = {}

    def appName(self, name: str) -> FakeBuilder:  # noqa: N802 - PySpark's name
        return self

    def master(self, master: str) -> FakeBuilder:
        return self

    def config(self, key: str, value: str) -> FakeBuilder:
        self.options[key] = value
        return self

    def getOrCreate(self) -> object:  # noqa: N802 - PySpark's name
        return object()


@pytest.mark.parametrize("terminal", [True, False])
def test_spark_draws_its_stage_bar_only_on_a_terminal(monkeypatch, terminal):
    from types import SimpleNamespace

    from sujarit.redflags import engine, spark

    builder = FakeBuilder()
    fake_sql = SimpleNamespace(
        SparkSession=SimpleNamespace(builder=builder, getActiveSession=lambda: None)
    )
    fake_pyspark = SimpleNamespace(SparkConf=lambda: SimpleNamespace(contains=lambda key: False))
    modules = {"pyspark.sql": fake_sql, "pyspark": fake_pyspark}
    monkeypatch.setattr(spark, "_import", modules.__getitem__)
    sessions = []

    def run_spark(options, file, session, **kwargs):
        sessions.append(session)
        report = engine.ReadReport()
        return engine.Result(results={}, meta={}, maps={}, explanations={}, report=report)

    monkeypatch.setattr(spark, "run_spark", run_spark)
    err = Terminal() if terminal else io.StringIO()

    status = cli.main(
        ["indicators", "--backend", "spark", str(DOCS / "024.jsonl")],
        stdout=io.StringIO(),
        stderr=err,
    )

    assert status == 0 and len(sessions) == 1
    assert builder.options["spark.ui.showConsoleProgress"] == ("true" if terminal else "false")


def test_standard_input_is_counted_as_it_is_received(monkeypatch):
    from sujarit.redflags import source

    payload = (DOCS / "024.jsonl").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))
    meter = progress.Meter()

    with source.materialised_stdin("-", meter) as path:
        assert path.read_bytes() == payload

    assert meter.done == len(payload)
    assert meter.text() == "0 MB read"


def test_the_progress_line_stops_when_the_input_cannot_be_read(tmp_path):
    from sujarit.redflags import engine, settings, source

    stream = Terminal()
    shown = progress.Progress(stream, interval=0.001)

    with pytest.raises(source.SourceError):
        engine.run(tmp_path / "missing.jsonl", settings.Settings(), progress=shown)

    assert shown._thread is None  # Stopped: the thread is gone.
