"""Benchmark of report intake over HTTP: prints figures, asserts nothing.

It creates a PostgreSQL database of its own, loads the reference data, serves the site with
gunicorn (the production server) and sends the same number of requests, from the same client
processes, to two endpoints in turn:

* **baseline**: a minimal Django view that inserts one row into PostgreSQL
  (``bench_urls.insert_one``);
* **intake**: ``POST /api/v1/reports``, the full path a citizen's report takes, each with its
  own ``Idempotency-Key``. As deployed (``SUJARIT_INTAKE_INBOX`` on), the request checks the
  report and stores it as one sealed inbox row, and the registrar (``sujarit
  register-reports``, running throughout, as ``scripts/serve`` runs it) makes the case: its
  complainant, first event, routing, search text, fingerprint and audit record. With
  ``--no-inbox`` the request does all of that itself.

For each: requests per second, p50 and p99 latency, errors; then intake/baseline throughput.
With the inbox it then waits until the registrar has registered every acknowledged report
and prints how long after the last answer that was, and the end-to-end rate (reports made
cases per second, from the first request to the last registration). Finally it checks that
every acknowledged submission is a case and prints ``lost`` (acknowledged but not a case;
the goal is 0).

    python bench/intake/run.py [--requests 4000] [--rounds 7] [--clients 16] [--workers 4]
        [--no-inbox]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# The checkout's own virtualenv, or else the one running this script (a git worktree shares one).
BIN = ROOT / ".venv" / "bin" if (ROOT / ".venv").exists() else Path(sys.executable).parent
DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
KINDS = ["corruption", "state_funds", "procurement", "grievance", "election_fraud"]
#: Subdistricts of Chachoengsao (province 24), the configured province of the benchmark.
SUBDISTRICTS = ["240101", "240102", "240103", "240201", "240301", "240401", "240501"]


def report_body(index: int) -> dict[str, Any]:
    """A realistic report: Thai text, a subdistrict, an accused position, sometimes an amount,
    every fifth one anonymous."""
    anonymous = index % 5 == 0
    body: dict[str, Any] = {
        "kind": KINDS[index % len(KINDS)],
        "description": (
            "ถนนคอนกรีตในหมู่ที่ 3 สร้างเสร็จได้ไม่ถึงปีก็แตกร้าว ผู้รับเหมาไม่ได้ทำตามแบบ "
            f"และมีการเรียกรับเงินจากชาวบ้าน ครั้งที่ {index}"
        ),
        "subdistrict": SUBDISTRICTS[index % len(SUBDISTRICTS)],
        "village": "หมู่ 3",
        "accused_position": "นายกองค์การบริหารส่วนตำบล" if index % 2 else "เจ้าหน้าที่พัสดุ",
        "accused_rank": "political" if index % 2 else "official",
        "amount": str(25_000 + index) if index % 3 == 0 else None,
        "identity": "anonymous" if anonymous else "confidential",
    }
    if not anonymous:
        body["name"] = "ผู้แจ้งทดสอบ (ตัวอย่าง)"
        body["phone"] = "0800000000"
    return body


# --- the client -----------------------------------------------------------------------------


def _client(args: tuple[str, int, str, int, int]) -> list[tuple[float, int, str]]:
    """One client process: ``count`` requests one after the other; returns
    (latency seconds, status, idempotency key) per request."""
    host, port, path, start, count = args
    results = []
    for index in range(start, start + count):
        key = uuid.uuid4().hex
        payload = json.dumps(report_body(index)).encode()
        began = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(host, port, timeout=30)
            connection.request(
                "POST",
                path,
                body=payload,
                headers={"Content-Type": "application/json", "Idempotency-Key": key},
            )
            response = connection.getresponse()
            response.read()
            status = response.status
            connection.close()
        except OSError:
            status = 0
        results.append((time.perf_counter() - began, status, key))
    return results


def load(
    host: str, port: int, path: str, requests: int, clients: int
) -> tuple[list[tuple[float, int, str]], float]:
    share = requests // clients
    jobs = [(host, port, path, i * share, share) for i in range(clients)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(clients) as pool:
        began = time.perf_counter()
        parts = pool.map(_client, jobs)
        elapsed = time.perf_counter() - began
    return [result for part in parts for result in part], elapsed


def summary(name: str, results: list[tuple[float, int, str]], elapsed: float) -> dict[str, Any]:
    latencies = sorted(latency for latency, status, _ in results if 200 <= status < 300)
    ok = len(latencies)
    p50 = statistics.median(latencies) if latencies else float("nan")
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0
    return {
        "name": name,
        "ok": ok,
        "errors": len(results) - ok,
        "rps": ok / elapsed if elapsed else 0.0,
        "p50_ms": p50 * 1000,
        "p99_ms": p99 * 1000,
    }


# --- set-up -----------------------------------------------------------------------------------


def _env(database_url: str, inbox: bool = True) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "SUJARIT_INTAKE_INBOX": "true" if inbox else "false",
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            # This checkout's code first, whichever checkout the virtualenv was installed from.
            "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT / "src")]),
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "SUJARIT_RECEIPT_KEY": "bench-only-receipt-key",
            # 32 bytes of 0x01: the data key of a throw-away database, never of a real site.
            "SUJARIT_DATA_KEYS": "bench:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SUJARIT_PROVINCE": "24",
            "SUJARIT_DB_CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            # WhiteNoise warns that collectstatic has not run; the benchmark serves no file.
            "PYTHONWARNINGS": "ignore::UserWarning",
        }
    )
    return env


def prepare(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    database_url = admin_url.rsplit("/", 1)[0] + "/" + name
    env = _env(database_url)
    for command in (
        ["migrate", "--noinput"],
        ["load-geo"],
        ["load-agencies"],
        ["load-routing-rules"],
    ):
        subprocess.run(
            [str(BIN / "sujarit"), *command], env=env, check=True, stdout=subprocess.DEVNULL
        )
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, "
            "idempotency_key text NOT NULL, body text NOT NULL)"
        )
    return database_url


def serve(database_url: str, port: int, workers: int, inbox: bool) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "sujarit.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        env=_env(database_url, inbox),
        cwd=HERE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/openapi.json")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not start")


def registrar(database_url: str) -> subprocess.Popen[bytes]:
    """``sujarit register-reports`` as a deployment runs it (its default priority)."""
    return subprocess.Popen(
        [str(BIN / "sujarit"), "register-reports"],
        env=_env(database_url),
        cwd=HERE,
        stdout=subprocess.DEVNULL,
    )


def wait_until_registered(database_url: str, timeout: float = 900) -> float:
    """Seconds until no acknowledged report waits in the inbox."""
    import psycopg

    began = time.perf_counter()
    with psycopg.connect(database_url, autocommit=True) as connection:
        while time.perf_counter() - began < timeout:
            (waiting,) = connection.execute(
                "SELECT count(*) FROM cases_pendingreport WHERE registered_at IS NULL"
            ).fetchone() or (0,)
            if not waiting:
                break
            time.sleep(0.2)
    return time.perf_counter() - began


def stored(database_url: str, name: str, keys: list[str]) -> int:
    """How many of the acknowledged submissions are in the database."""
    import psycopg

    if name == "baseline":
        with psycopg.connect(database_url) as connection:
            found = {
                row[0]
                for row in connection.execute(
                    "SELECT idempotency_key FROM bench_baseline WHERE idempotency_key = ANY(%s)",
                    [keys],
                )
            }
        return len(found)
    # Cases keep only a keyed hash of the idempotency key: hash each one as the site does.
    os.environ.update(_env(database_url))
    sys.path.insert(0, str(HERE))
    import django

    django.setup()
    from sujarit.cases.models import Case
    from sujarit.cases.receipts import hash_idempotency_key

    hashes = [hash_idempotency_key(key) for key in keys]
    found = 0
    for start in range(0, len(hashes), 1000):
        found += Case.objects.filter(idempotency_hash__in=hashes[start : start + 1000]).count()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL)
    parser.add_argument("--database", default="sujarit_bench_intake")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument(
        "--rounds",
        type=int,
        default=7,
        help="baseline/intake alternations (single rounds vary by 10-20 %% on a shared machine)",
    )
    parser.add_argument(
        "--no-inbox",
        action="store_true",
        help="make each case in its request (SUJARIT_INTAKE_INBOX=false), no registrar",
    )
    args = parser.parse_args()
    inbox = not args.no_inbox

    print(f"Preparing database {args.database} (migrate, geography, agencies, rules)...")
    database_url = prepare(args.admin_url, args.database)
    server = serve(database_url, args.port, args.workers, inbox)
    worker = registrar(database_url) if inbox else None
    paths = {"baseline": "/bench/baseline/", "intake": "/api/v1/reports"}
    rounds: list[dict[str, dict[str, Any]]] = []
    acknowledged: dict[str, list[str]] = {"baseline": [], "intake": []}
    try:
        for path in paths.values():
            load("127.0.0.1", args.port, path, args.warmup, min(args.clients, args.warmup))
        if inbox:
            wait_until_registered(database_url)  # the warm-up's reports
        # Baseline and intake alternate, so that both see the same drift of a shared machine.
        for _ in range(args.rounds):
            row: dict[str, dict[str, Any]] = {}
            for name, path in paths.items():
                results, elapsed = load("127.0.0.1", args.port, path, args.requests, args.clients)
                row[name] = summary(name, results, elapsed)
                acknowledged[name] += [key for _, status, key in results if 200 <= status < 300]
                if inbox and name == "intake":
                    drain = wait_until_registered(database_url)
                    row[name]["drain"] = drain
                    row[name]["end_to_end"] = row[name]["ok"] / (elapsed + drain)
            rounds.append(row)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)

    print(
        f"\n{args.rounds} rounds of {args.requests} requests per path from {args.clients} client "
        f"processes; gunicorn {args.workers} sync workers; PostgreSQL; {os.cpu_count()} CPU "
        "cores shared by server, database, clients"
        + (" and the registrar" if inbox else "")
        + ("; intake inbox on\n" if inbox else "; intake inbox off (case made in the request)\n")
    )
    print(
        f"{'round':<7}{'path':<10}{'ok':>7}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        + ("  registered" if inbox else "")
    )
    for number, row in enumerate(rounds, 1):
        for name in paths:
            r = row[name]
            extra = ""
            if "drain" in r:
                extra = f"  {r['drain']:.1f} s after; end to end {r['end_to_end']:.1f}/s"
            print(
                f"{number:<7}{name:<10}{r['ok']:>7}{r['errors']:>8}{r['rps']:>9.1f}"
                f"{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}{extra}"
            )
    lost = {
        name: len(keys) - stored(database_url, name, keys) for name, keys in acknowledged.items()
    }
    ratios = [row["intake"]["rps"] / row["baseline"]["rps"] for row in rounds]
    baseline_rps = statistics.median(row["baseline"]["rps"] for row in rounds)
    intake_rps = statistics.median(row["intake"]["rps"] for row in rounds)
    p99 = max(row["intake"]["p99_ms"] for row in rounds)
    print(
        f"\nmedian req/s: baseline {baseline_rps:.1f}, intake {intake_rps:.1f}; "
        f"intake / baseline per round: {', '.join(f'{ratio:.2f}' for ratio in ratios)}"
    )
    if inbox:
        drains = [row["intake"]["drain"] for row in rounds]
        print(
            "registered as cases: the last one of each round "
            + ", ".join(f"{drain:.1f}" for drain in drains)
            + " s after its last answer; end to end "
            + ", ".join(f"{row['intake']['end_to_end']:.1f}" for row in rounds)
            + " reports/s (first request to last registration)"
        )
    print(
        f"\nintake / baseline throughput{' (acknowledged)' if inbox else ''}: median "
        f"{statistics.median(ratios):.2f} (goal ≥ 0.50); intake p99, worst round "
        f"{p99:.0f} ms (goal < 250 ms); lost {lost['intake']} of "
        f"{len(acknowledged['intake'])} (goal 0; baseline lost {lost['baseline']})"
    )


if __name__ == "__main__":
    main()
