"""Benchmark of the audit log's hash chain on PostgreSQL: prints figures, asserts nothing.

In a PostgreSQL database of its own (migrated, otherwise empty) it measures, from the same
number of writer processes each time:

* **baseline**: one plain ``INSERT`` of an audit-sized row per transaction, no chain;
* **record**: ``sujarit.audit.actions.record()`` per transaction: the chain lock, the head,
  the hash and the insert, held until commit;

then ``record`` / ``baseline`` throughput, and the speed of ``verify_chain`` over everything
written (events per second). Afterwards the chain must verify with a contiguous sequence.

    python bench/audit/run.py [--events 2000] [--writers 1,4] [--admin-url postgres://...]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def _setup(database_url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "sujarit.settings",
            "DEBUG": "true",
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _writer(database_url: str, mode: str, count: int, barrier: Any, results: Any) -> None:
    """One writer process: ``count`` transactions, each appending one event. Django starts
    before the barrier, so that only the writing is timed."""
    _setup(database_url)
    from django.db import connection, transaction

    from sujarit.audit.actions import record

    connection.ensure_connection()
    data = {"case": 1, "before": {"status": "screening"}, "after": {"status": "referred"}}
    barrier.wait()
    began = time.perf_counter()
    for n in range(count):
        with transaction.atomic():
            if mode == "record":
                record(actor=None, action="bench.recorded", data={**data, "n": n})
            else:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "INSERT INTO bench_baseline (at, action, data) VALUES (now(), %s, %s)",
                        ["bench.recorded", f'{{"n": {n}}}'],
                    )
    results.put((began, time.perf_counter()))
    connection.close()


def run(database_url: str, mode: str, writers: int, events: int) -> float:
    """Events per second from ``writers`` processes writing ``events`` in all, from the moment
    they all start to the moment the last one ends."""
    per_writer = events // writers
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(writers)
    results = context.Queue()
    processes = [
        context.Process(target=_writer, args=(database_url, mode, per_writer, barrier, results))
        for _ in range(writers)
    ]
    for process in processes:
        process.start()
    spans = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
    return per_writer * writers / (max(end for _, end in spans) - min(b for b, _ in spans))


def prepare(admin_url: str, name: str) -> str:
    import subprocess

    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    database_url = admin_url.rsplit("/", 1)[0] + "/" + name
    env = dict(os.environ, DATABASE_URL=database_url, DEBUG="true")
    env["PYTHONPATH"] = str(ROOT / "src")
    subprocess.run(
        [sys.executable, "-m", "sujarit.manage", "migrate", "--noinput"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, at timestamptz NOT NULL, "
            "action varchar(80) NOT NULL, data jsonb NOT NULL)"
        )
    return database_url


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--events", type=int, default=2000, help="events per measurement")
    parser.add_argument("--writers", default="1,4", help="writer process counts, comma-separated")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL)
    parser.add_argument("--database", default="sujarit_bench_audit_chain")
    args = parser.parse_args()

    print(f"Preparing database {args.database} (migrate)...")
    database_url = prepare(args.admin_url, args.database)
    rows: list[dict[str, Any]] = []
    for writers in [int(w) for w in args.writers.split(",")]:
        baseline = run(database_url, "baseline", writers, args.events)
        chained = run(database_url, "record", writers, args.events)
        rows.append({"writers": writers, "baseline": baseline, "record": chained})

    _setup(database_url)
    from sujarit.audit.chain import verify_chain
    from sujarit.audit.models import AuditEvent

    began = time.perf_counter()
    result = verify_chain()
    elapsed = time.perf_counter() - began
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))

    print(f"\n{os.cpu_count()} CPU cores shared by writers and PostgreSQL\n")
    print(f"{'writers':>7} {'baseline/s':>11} {'record/s':>9} {'record/baseline':>16}")
    for row in rows:
        ratio = row["record"] / row["baseline"]
        print(f"{row['writers']:>7} {row['baseline']:>11.0f} {row['record']:>9.0f} {ratio:>16.2f}")
    print(
        f"\nverify: {result.checked} events in {elapsed:.2f} s "
        f"({result.checked / elapsed:.0f} events/s); intact: {result.ok}; "
        f"contiguous: {seqs == list(range(1, len(seqs) + 1))}"
    )


if __name__ == "__main__":
    main()
