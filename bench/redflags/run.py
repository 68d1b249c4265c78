"""Benchmark of the red-flag engine: prints figures, asserts nothing.

For a file of synthetic compiled releases (``generate.py``; made on first use and kept), it
measures, each in a fresh process, median of ``--repeat`` runs:

* **scan**: a bare DuckDB ``read_json`` of the same nested fields the engine reads (the bid,
  award, tender and buyer fields), aggregated so that every field is really parsed;
* **engine (11)**: ``sujarit redflags indicators`` with Cardinal's 11 indicators, as a user
  runs it (JSON written to /dev/null);
* **engine (15)**: the same with every indicator, including Sujarit's own;
* **cardinal**: ``ocdscardinal indicators`` with the same 11 indicators, when an
  ``ocdscardinal`` binary is on PATH;
* **cardinal's reader**: when the ``ocdscardinal`` Python package is installed (``pip install
  '.[bench]'``; it exposes only Cardinal's ``coverage`` command, not ``indicators``), the time
  Cardinal's Rust code takes to read every line and walk its JSON, which its ``indicators``
  command also does. It is a same-machine reference for Cardinal's speed, not its
  indicators' time;
* **Spark backend** (``--spark``): the same command with ``--backend spark`` (local mode on
  every core, a fresh SparkSession per run, as the command line starts one).

For each: wall time, CPU time, peak memory (maximum resident set size of the process),
releases per second, and the ratios engine/scan and cardinal/engine.

    python bench/redflags/run.py --count 1000000 [--repeat 3] [--workdir DIR] [--spark]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402 - a sibling script, not a package

CARDINAL_CODES = "R003 R018 R024 R025 R028 R030 R035 R036 R038 R048 R058".split()
CARDINAL_INI = "".join(f"[{code}]\n" for code in CARDINAL_CODES)

# The fields the engine reads for all indicators, typed as the engine reads them.
SCAN_COLUMNS = {
    "ocid": "JSON",
    "buyer": "STRUCT(id JSON)",
    "tender": "STRUCT(status VARCHAR, procurementMethodDetails VARCHAR, procurementMethod VARCHAR, "
    "numberOfTenderers JSON, procuringEntity STRUCT(id JSON), "
    "tenderPeriod STRUCT(startDate VARCHAR, endDate VARCHAR))",
    "bids": "STRUCT(details STRUCT(status VARCHAR, date VARCHAR, tenderers STRUCT(id JSON)[], "
    "value STRUCT(amount JSON, currency VARCHAR))[])",
    "awards": "STRUCT(status VARCHAR, date VARCHAR, suppliers STRUCT(id JSON)[], "
    "items STRUCT(classification STRUCT(id JSON))[], "
    "value STRUCT(amount JSON, currency VARCHAR))[]",
}
SCAN_QUERY = (
    "SELECT count(*), count(ocid), count(DISTINCT buyer.id), count(tender.procurementMethod), "
    "count(tender.tenderPeriod.endDate), sum(len(bids.details)), "
    "sum(len(list_filter(bids.details, lambda b: b.status = 'valid' AND b.value.amount IS NOT NULL "
    "AND b.date IS NOT NULL AND len(b.tenderers) > 0))), "
    "sum(len(list_filter(awards, lambda a: a.status = 'active' AND len(a.suppliers) > 0 "
    "AND len(a.items) > 0 AND a.value.amount IS NOT NULL))) "
    "FROM read_json(?, format='newline_delimited', ignore_errors=true, columns={columns})"
)


def _child_cardinal_coverage(path: str) -> None:
    import ocdscardinal  # type: ignore[import-not-found]

    ocdscardinal.coverage(path)


def _child_scan(path: str) -> None:
    import duckdb

    columns = json.dumps(SCAN_COLUMNS).replace('"', "'")
    connection = duckdb.connect()
    connection.execute(SCAN_QUERY.format(columns=columns), [path]).fetchall()


def _measure(command: list[str], *, stdout: Any = subprocess.DEVNULL) -> dict[str, float]:
    """Run a command in a fresh process: wall seconds, CPU seconds, peak RSS in MB."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=errors)  # noqa: S603
        # wait4 gives this child's own resource usage, including its peak memory.
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")
            raise SystemExit(f"{command[0]} failed ({process.returncode}):\n{message}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,
    }


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "redflags-bench"))
    parser.add_argument("--threads", type=int, help="DuckDB threads for the engine")
    parser.add_argument("--memory-limit", help="DuckDB memory limit for the engine, e.g. 700MB")
    parser.add_argument(
        "--spark",
        action="store_true",
        help="also time the Spark backend (local mode, Cardinal's 11 indicators)",
    )
    parser.add_argument("--child-scan", help=argparse.SUPPRESS)
    parser.add_argument("--child-cardinal-coverage", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_scan:
        _child_scan(args.child_scan)
        return 0
    if args.child_cardinal_coverage:
        _child_cardinal_coverage(args.child_cardinal_coverage)
        return 0

    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / f"releases-{args.count}-{args.seed}.jsonl"
    if not data.exists():
        print(f"Generating {args.count:,} releases into {data} ...", flush=True)
        started = time.perf_counter()
        generate.write(str(data) + ".part", args.count, args.seed, jobs=os.cpu_count() or 1)
        os.replace(str(data) + ".part", data)
        print(f"  {time.perf_counter() - started:.1f} s", flush=True)
    size_mb = data.stat().st_size / 1e6
    cardinal_ini = workdir / "cardinal.ini"
    cardinal_ini.write_text(CARDINAL_INI, encoding="utf-8")
    all_ini = workdir / "all.ini"
    engine = [sys.executable, "-m", "sujarit.redflags.cli", "indicators"]
    extra = []
    if args.threads:
        extra += ["--threads", str(args.threads)]
    if args.memory_limit:
        extra += ["--memory-limit", args.memory_limit]
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "sujarit.redflags.cli", "init", "--force", str(all_ini)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    steps = {
        "scan (DuckDB read_json)": [sys.executable, __file__, "--child-scan", str(data)],
        "engine, Cardinal's 11": [*engine, *extra, "-s", str(cardinal_ini), str(data)],
        "engine, all 15": [*engine, *extra, "-s", str(all_ini), str(data)],
    }
    if args.spark:
        # Spark listens on the loopback interface only.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        steps["Spark backend, Cardinal's 11"] = [
            *engine,
            "--backend",
            "spark",
            "-s",
            str(cardinal_ini),
            str(data),
        ]
    cardinal = shutil.which("ocdscardinal")
    if cardinal:
        steps["ocdscardinal 11"] = [cardinal, "indicators", "-s", str(cardinal_ini), str(data)]
    reader = importlib.util.find_spec("ocdscardinal") is not None
    if reader:
        steps["cardinal's reader"] = [
            sys.executable,
            __file__,
            "--child-cardinal-coverage",
            str(data),
        ]

    print(
        f"{args.count:,} releases, {size_mb:,.0f} MB ({size_mb * 1e3 / args.count:.2f} KB each), "
        f"{os.cpu_count()} CPUs, median of {args.repeat}",
        flush=True,
    )
    results: dict[str, dict[str, float]] = {}
    for name, command in steps.items():
        runs = [_measure(command) for _ in range(args.repeat)]
        results[name] = result = _median(runs)
        walls = ", ".join(f"{run['wall']:.2f}" for run in runs)
        print(
            f"{name:26s} wall {result['wall']:7.2f} s ({walls})  cpu {result['cpu']:7.2f} s  "
            f"peak {result['rss']:7.0f} MB  {args.count / result['wall']:>10,.0f} releases/s  "
            f"{size_mb / result['wall']:6.0f} MB/s",
            flush=True,
        )
        if name.startswith("Spark"):
            print("  (CPU and peak of the Python process only: Spark's JVM is not counted)")
    scan = results["scan (DuckDB read_json)"]["wall"]
    for name in ("engine, Cardinal's 11", "engine, all 15"):
        print(f"{name}: {results[name]['wall'] / scan:.2f} x the bare scan")
    if cardinal:
        ratio = results["ocdscardinal 11"]["wall"] / results["engine, Cardinal's 11"]["wall"]
        print(f"throughput vs Cardinal (same 11 indicators, same file): {ratio:.2f} x")
    else:
        print("ocdscardinal not on PATH: no Cardinal comparison in this run.")
    if reader:
        ratio = results["cardinal's reader"]["wall"] / results["engine, Cardinal's 11"]["wall"]
        print(
            "Cardinal's reader (its coverage command: every line read and walked, no "
            f"indicator) takes {ratio:.2f} x the time of the engine with Cardinal's 11"
        )
    else:
        print("ocdscardinal Python package not installed (pip install '.[bench]'): no reader run.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
