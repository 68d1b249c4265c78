"""Benchmark of encryption at rest and key rotation: prints figures, asserts nothing.

It makes a database of its own (SQLite in a temporary directory by default, or the
PostgreSQL database named by ``--database-url``, dropped first), migrates it, loads the
geography, and inserts ``--count`` cases with a complainant each (five sealed contact fields)
in bulk. Then, in the same run:

* **seal + open one value** against **HMAC-SHA256 of the same bytes** (the baseline: the
  cheapest keyed operation the site already does for receipt codes), per value;
* **read every token** (``values_list`` of the sealed columns, nothing opened): the baseline
  of the rotation, the reading it cannot avoid;
* **rotate-keys** under a new key (``--batch-size`` rows per transaction), rows per second
  and the ratio to the read;
* **rotate-keys --check** afterwards (reads every token, opens none).

    python bench/crypto/run.py [--count 20000] [--batch-size 500] [--database-url URL]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import os
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OLD = "k1:" + base64.urlsafe_b64encode(b"\x01" * 32).decode()
NEW = "k2:" + base64.urlsafe_b64encode(b"\x02" * 32).decode()


def _setup(database_url: str | None, var_dir: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "sujarit.settings",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DEBUG": "true",
            "SUJARIT_VAR_DIR": var_dir,
            "SUJARIT_DATA_KEYS": OLD,
            "SUJARIT_PROVINCE": "24",
        }
    )
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _per_value(function: object, rounds: int) -> float:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            function()  # type: ignore[operator]
        times.append((time.perf_counter() - start) / rounds)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        _setup(args.database_url, var_dir)
        run(args.count, args.batch_size)


def run(count: int, batch_size: int) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from sujarit.cases.models import Case, Complainant
    from sujarit.geo.models import Subdistrict
    from sujarit.lib import crypto, rotation

    if connection.vendor == "postgresql":
        call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", "--noinput", verbosity=0)
    if not Subdistrict.objects.exists():
        call_command("load-geo", stdout=StringIO())
    subdistrict = Subdistrict.objects.defer("boundary").first()
    assert subdistrict is not None

    value = b"0812345678 somsri@example.com"
    context = "cases.complainant.phone:42"
    hmac_key = b"\x03" * 32
    seal_open = _per_value(
        lambda: crypto.unseal(crypto.seal(value, context=context), context=context), 20_000
    )
    baseline = _per_value(lambda: hmac.new(hmac_key, value, hashlib.sha256).digest(), 20_000)
    print(f"seal+open one value: {seal_open * 1e6:.1f} µs; HMAC-SHA256: {baseline * 1e6:.1f} µs;")
    print(f"  ratio {seal_open / baseline:.1f}x")

    now = timezone.now()
    start = time.perf_counter()
    for first in range(0, count, 2000):
        cases = Case.objects.bulk_create(
            Case(
                kind="corruption",
                description="bench",
                subdistrict=subdistrict,
                identity="named",
                receipt_hash=f"r{n}",
                idempotency_hash=f"i{n}",
                status_changed_at=now,
                created_at=now,
            )
            for n in range(first, min(count, first + 2000))
        )
        Complainant.objects.bulk_create(
            Complainant(
                case_id=case.pk,
                name=f"นางสมศรี ใจดี {case.pk}",
                phone="0812345678",
                email=f"somsri{case.pk}@example.com",
                line_id=f"somsri{case.pk}",
                address="99 หมู่ 1 ตำบลหน้าเมือง อำเภอเมืองฉะเชิงเทรา",
            )
            for case in cases
        )
    fill = time.perf_counter() - start
    print(f"{connection.vendor}: {count} complainants sealed and inserted in {fill:.1f} s")

    (target,) = [t for t in rotation.targets() if "Complainant" in t.label]
    fields = ["name", "phone", "email", "line_id", "address"]
    start = time.perf_counter()
    read = sum(1 for _ in Complainant.objects.values_list(*fields).iterator(chunk_size=2000))
    read_time = time.perf_counter() - start

    settings.SUJARIT_DATA_KEYS = crypto.parse_keys(f"{NEW},{OLD}")
    start = time.perf_counter()
    result = rotation.rotate(target, batch_size=batch_size)
    rotate_time = time.perf_counter() - start
    start = time.perf_counter()
    stale = target.stale()
    check_time = time.perf_counter() - start

    print(f"read every token: {read} rows in {read_time:.2f} s ({read / read_time:,.0f} rows/s)")
    print(
        f"rotate-keys (batch {batch_size}): {result.values} values in {result.rows} rows in "
        f"{rotate_time:.2f} s ({result.rows / rotate_time:,.0f} rows/s); "
        f"{rotate_time / read_time:.1f}x the read"
    )
    print(
        f"rotate-keys --check: {sum(stale.values())} stale values, {check_time:.2f} s "
        f"({check_time / read_time:.1f}x the read)"
    )


if __name__ == "__main__":
    main()
