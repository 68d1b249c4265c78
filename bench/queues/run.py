"""Benchmark of the coordination centre's work queues: prints figures, asserts nothing.

It creates a PostgreSQL database of its own (``sujarit_bench_queues`` by default, dropped
first), migrates it, loads the geography and agencies, and fills it with ``--count`` cases
(1,000,000 by default) and their referrals in a few ``INSERT … SELECT generate_series``
statements: no ORM, no row-by-row. The cases' statuses, kinds, areas and deadlines follow a
plausible shape: the newest cases are still open, older ones mostly resolved or closed.

Then, in the same run, for each queue tab it times (median of ``--repeat`` runs):

* **page 1**: the first page as the queue page reads it (rows and their referrals' agencies);
* **page 50**: the 50th page, reached by keyset (the cursor of page 49), never by OFFSET;
* **HTTP page 1**: the whole queue page through Django's test client (templates, tab sizes,
  filter form), as a logged-in coordinator sees it;

and, as the baseline, a bare ``SELECT id FROM cases_case ORDER BY id LIMIT 50``. It also
prints, for each tab, the indexes PostgreSQL's plan uses for page 1 and page 50.

    python bench/queues/run.py [--count 1000000] [--repeat 5] [--keep]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PAGE = 50


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "sujarit.settings",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "SUJARIT_RECEIPT_KEY": "bench-only-receipt-key",
            # 32 bytes of 0x01: the data key of a throw-away database, never of a real site.
            "SUJARIT_DATA_KEYS": "bench:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "SUJARIT_PROVINCE": "24",
            "SUJARIT_DB_CONN_MAX_AGE": "0",
        }
    )
    return env


def prepare(admin_url: str, name: str) -> str:
    """A fresh database with the schema and the reference data; returns its URL."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    database_url = admin_url.rsplit("/", 1)[0] + "/" + name
    env = _env(database_url)
    for command in (["migrate", "--noinput"], ["load-geo"], ["load-agencies"]):
        subprocess.run(  # noqa: S603 - our own console script
            [str(BIN / "sujarit"), *command], env=env, check=True, stdout=subprocess.DEVNULL
        )
    return database_url


def drop(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- filling --------------------------------------------------------------------------------

#: One statement for all the cases. The status follows the case's age: the newest 1,000 are
#: new or in screening, the next 9,000 mostly with agencies, the next 90,000 half done, and the
#: rest mostly resolved, closed or rejected. ``r`` and ``r2`` spread the other facts.
CASE_SQL = """
WITH numbered AS (
    SELECT i,
           %(count)s - i AS age,
           (i::bigint * 7919) %% 1000 AS r,
           (i::bigint * 104729) %% 1000 AS r2
    FROM generate_series(1, %(count)s) AS g(i)
), shaped AS (
    SELECT i, r, r2,
           now() - (age * interval '150 seconds') - ((r2 %% 60) * interval '1 second') AS created,
           CASE
             WHEN age < 1000 THEN CASE WHEN r < 600 THEN 'received' ELSE 'screening' END
             WHEN age < 10000 THEN CASE
               WHEN r < 100 THEN 'screening' WHEN r < 500 THEN 'referred'
               WHEN r < 550 THEN 'network' WHEN r < 800 THEN 'acknowledged'
               ELSE 'in_progress' END
             WHEN age < 100000 THEN CASE
               WHEN r < 50 THEN 'referred' WHEN r < 200 THEN 'acknowledged'
               WHEN r < 500 THEN 'in_progress' WHEN r < 800 THEN 'resolved'
               WHEN r < 950 THEN 'closed' ELSE 'rejected' END
             ELSE CASE
               WHEN r < 20 THEN 'in_progress' WHEN r < 270 THEN 'resolved'
               WHEN r < 850 THEN 'closed' ELSE 'rejected' END
           END AS status
    FROM numbered
)
INSERT INTO cases_case ({columns})
SELECT {values} FROM shaped
"""

#: Expressions for the columns of a case; any other NOT NULL column gets its type's empty
#: value (so the benchmark survives fields added to the model later).
CASE_VALUES = {
    "kind": "(ARRAY['corruption','corruption','state_funds','election_fraud','procurement',"
    "'grievance','grievance','grievance'])[1 + (i %% 8)]",
    "description": "'bench case ' || i",
    "subdistrict_id": "(%(subdistricts)s::varchar[])[1 + (i %% %(subdistrict_count)s)]",
    "accused_rank": "(ARRAY['unknown','official','director','political','local_staff'])"
    "[1 + (r2 %% 5)]",
    "amount": "CASE WHEN r2 < 400 THEN (r2 * 1000)::numeric END",
    "identity": "(ARRAY['anonymous','confidential','named'])[1 + (r %% 3)]",
    "consent_to_disclose": "(r %% 3) = 2 AND r2 < 500",
    "channel": "'web'",
    "receipt_hash": "md5('receipt' || i)",
    "idempotency_hash": "md5('idempotency' || i)",
    "status": "status",
    "status_changed_at": "created + ((r %% 10) * interval '1 day')",
    "due_at": "CASE status WHEN 'received' THEN created + interval '1 day' "
    "WHEN 'screening' THEN created + interval '3 days' "
    "WHEN 'referred' THEN created + interval '15 days' "
    "WHEN 'network' THEN created + interval '30 days' "
    "WHEN 'acknowledged' THEN created + interval '30 days' "
    "WHEN 'in_progress' THEN created + interval '60 days' END",
    "rejection_reason": "CASE WHEN status = 'rejected' THEN 'outside remit' ELSE '' END",
    "outcome": "CASE WHEN status IN ('closed', 'resolved') THEN 'answered' ELSE '' END",
    "resolved_at": "CASE WHEN status IN ('closed', 'resolved') "
    "THEN created + interval '40 days' END",
    "unrouted": "r2 < 30",
    "is_published": "r2 = 999",
    "published_at": "CASE WHEN r2 = 999 THEN created + interval '50 days' END",
    "public_title": "CASE WHEN r2 = 999 THEN 'published bench case' ELSE '' END",
    "created_at": "created",
    "updated_at": "created",
}

REFERRAL_SQL = """
INSERT INTO cases_referral ({columns})
SELECT {values}
FROM cases_case c
WHERE c.status IN ('referred', 'acknowledged', 'in_progress', 'resolved', 'closed')
"""

REFERRAL_VALUES = {
    "case_id": "c.id",
    "agency_id": "(%(agencies)s::bigint[])[1 + (c.id %% %(agency_count)s)]",
    "status": "CASE c.status WHEN 'referred' THEN 'sent' WHEN 'acknowledged' THEN 'acknowledged' "
    "WHEN 'in_progress' THEN 'in_progress' ELSE 'resolved' END",
    "referred_by_id": "%(user)s",
    "referred_at": "c.created_at + interval '2 days'",
    "was_proposed": "true",
    "admissibility": "'{}'::jsonb",
    "due_at": "c.created_at + interval '17 days'",
    "acknowledged_at": "CASE WHEN c.status <> 'referred' THEN c.created_at + interval '9 days' END",
    "outcome": "CASE WHEN c.status IN ('resolved', 'closed') THEN 'answered' ELSE '' END",
    "resolved_at": "CASE WHEN c.status IN ('resolved', 'closed') "
    "THEN c.created_at + interval '40 days' END",
    "identity_released": "c.consent_to_disclose",
}

EMPTY_BY_TYPE = {
    "character varying": "''",
    "text": "''",
    "boolean": "false",
    "jsonb": "'{}'::jsonb",
    "integer": "0",
    "bigint": "0",
    "numeric": "0",
    "timestamp with time zone": "now()",
    "date": "current_date",
}


def _columns(cursor: Any, table: str, known: dict[str, str]) -> tuple[str, str]:
    """The column list and value list of an INSERT: the known expressions, plus the empty
    value of every other NOT NULL column without a default."""
    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL",
        [table],
    )
    values = dict(known)
    for name, data_type in cursor.fetchall():
        if name not in values and name != "id":
            values[name] = EMPTY_BY_TYPE[data_type]
    return ", ".join(values), ", ".join(values.values())


def fill(count: int) -> dict[str, float]:
    """Insert ``count`` cases and their referrals; returns seconds per step."""
    from django.db import connection

    from sujarit.accounts.models import Role, User
    from sujarit.agencies.demo import create_demo_local_agencies
    from sujarit.agencies.queries import agencies_serving_province
    from sujarit.geo.models import Subdistrict

    timings: dict[str, float] = {}
    create_demo_local_agencies(province_code="24")
    user = User.objects.create(username="bench-coordinator", role=Role.COORDINATOR)
    subdistricts = list(
        Subdistrict.objects.filter(province_id="24").order_by("code").values_list("code", flat=True)
    )
    agencies = list(agencies_serving_province("24").values_list("pk", flat=True))
    params = {
        "count": count,
        "subdistricts": subdistricts,
        "subdistrict_count": len(subdistricts),
        "agencies": agencies,
        "agency_count": len(agencies),
        "user": user.pk,
    }
    with connection.cursor() as cursor:
        started = time.perf_counter()
        columns, values = _columns(cursor, "cases_case", CASE_VALUES)
        cursor.execute(CASE_SQL.format(columns=columns, values=values), params)
        timings["insert cases"] = time.perf_counter() - started
        started = time.perf_counter()
        columns, values = _columns(cursor, "cases_referral", REFERRAL_VALUES)
        cursor.execute(REFERRAL_SQL.format(columns=columns, values=values), params)
        timings["insert referrals"] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_case")
        cursor.execute("VACUUM ANALYZE cases_referral")
    timings["vacuum analyze"] = time.perf_counter() - started
    return timings


# --- measuring ------------------------------------------------------------------------------


def _median_ms(function: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def _indexes(plan: str) -> str:
    """How a plan reads the cases and referrals: the indexes it scans (or "seq" for a whole
    table), and whether it sorts everything ("sort") or only rows of equal time
    ("incremental")."""
    used: list[str] = []

    def add(item: str) -> None:
        if item not in used:
            used.append(item)

    for line in plan.splitlines():
        text = line.strip().removeprefix("->").strip()
        if "Index" in text and " on cases_" in text:
            add(text.split(" using ", 1)[1].split()[0])
        elif text.startswith(("Seq Scan on cases_", "Parallel Seq Scan on cases_")):
            add("seq " + text.split(" on ", 1)[1].split()[0])
        elif text.startswith("Incremental Sort"):
            add("incremental")
        elif text.startswith("Sort") and text[4:].lstrip().startswith("("):
            add("sort")
    return ", ".join(used) or "-"


def measure(repeat: int, *, http: bool) -> list[tuple[str, float, float, float | None, str]]:
    from django.test import Client
    from django.utils import timezone

    from sujarit.accounts.models import User
    from sujarit.accounts.testing import verified_client
    from sujarit.agencies.models import Agency
    from sujarit.cases import queues
    from sujarit.cases.queues import Filters, mark_rows, page_of, page_rows, queue_cases

    now = timezone.now()
    busiest = Agency.objects.filter(referrals__isnull=False).values_list("pk", flat=True).first()
    today = timezone.localdate()
    scenarios: list[tuple[str, str, Filters, dict[str, str]]] = [
        (tab.slug, tab.slug, Filters(), {"tab": tab.slug}) for tab in queues.TABS
    ]
    scenarios += [
        (
            "all, kind=grievance",
            "all",
            Filters(kind="grievance"),
            {"tab": "all", "kind": "grievance"},
        ),
        ("all, district 2401", "all", Filters(district="2401"), {"tab": "all", "district": "2401"}),
        (
            "awaiting, one agency",
            "awaiting",
            Filters(agency=busiest),
            {"tab": "awaiting", "agency": str(busiest)},
        ),
        (
            "all, received last year",
            "all",
            Filters(received_from=today.replace(year=today.year - 1)),
            {"tab": "all", "received_from": today.replace(year=today.year - 1).isoformat()},
        ),
    ]
    client: Client | None = None
    if http:
        client = verified_client(User.objects.get(username="bench-coordinator"))
    results = []
    for name, slug, filters, query in scenarios:
        tab = queues.TABS_BY_SLUG[slug]
        cases = queue_cases(tab, filters, now=now)
        first = _median_ms(
            lambda c=cases, t=tab: mark_rows(page_of(c, t, size=PAGE).rows, now=now), repeat
        )
        cursor = ""
        pages = 1
        page = page_of(cases, tab, size=PAGE)
        while pages < PAGE - 1 and page.next_cursor:
            page = page_of(cases, tab, after=page.next_cursor, size=PAGE)
            pages += 1
        if page.next_cursor and pages == PAGE - 1:
            cursor = page.next_cursor
            fiftieth = _median_ms(
                lambda c=cases, t=tab, a=cursor: mark_rows(
                    page_of(c, t, after=a, size=PAGE).rows, now=now
                ),
                repeat,
            )
        else:
            # The queue has fewer than 50 pages: say how many instead.
            fiftieth = -float(pages)
        plan_first = page_rows(cases, tab, size=PAGE).explain()
        plan_fiftieth = page_rows(cases, tab, after=cursor, size=PAGE).explain() if cursor else ""
        page_ms = None
        if client is not None:
            response = client.get("/cases/", query)
            assert response.status_code == 200, response.status_code
            page_ms = _median_ms(lambda q=query: client.get("/cases/", q), repeat)
        plans = f"{_indexes(plan_first)} | {_indexes(plan_fiftieth) if cursor else '-'}"
        results.append((name, first, fiftieth, page_ms, plans))
    return results


def baseline(repeat: int) -> float:
    from django.db import connection

    def bare() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM cases_case ORDER BY id LIMIT 50")
            cursor.fetchall()

    bare()
    return _median_ms(bare, repeat)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", default="sujarit_bench_queues")
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure an existing database")
    parser.add_argument("--no-http", action="store_true", help="skip the whole-page timings")
    args = parser.parse_args(argv)

    database_url = args.admin_url.rsplit("/", 1)[0] + "/" + args.database
    if not args.reuse:
        print(f"Preparing {args.database} ...", flush=True)
        started = time.perf_counter()
        database_url = prepare(args.admin_url, args.database)
        print(f"  schema and reference data: {time.perf_counter() - started:.1f} s", flush=True)
    os.environ.update(_env(database_url))
    sys.path.insert(0, str(HERE.parents[1] / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    # Serve static names as they are: the manifest storage of a production site needs
    # collectstatic first, and the page timings are about the queries and the templates.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    from sujarit.cases.models import Case, Referral

    if not args.reuse:
        print(f"Filling {args.count:,} cases ...", flush=True)
        for step, seconds in fill(args.count).items():
            print(f"  {step}: {seconds:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(",")[0]
    cases = Case.objects.count()
    referrals = Referral.objects.count()
    print(
        f"\n{version}; {cases:,} cases, {referrals:,} referrals; page size {PAGE}; "
        f"median of {args.repeat} runs\n"
    )

    base = baseline(args.repeat)
    results = measure(args.repeat, http=not args.no_http)
    header = (
        f"{'queue':<26} {'page 1 ms':>10} {'page 50 ms':>11} {'HTTP p1 ms':>11}  "
        "plan of page 1 | page 50"
    )
    print(header)
    print("-" * len(header))
    print(f"{'baseline: SELECT id LIMIT 50':<26} {base:>10.2f} {'':>11} {'':>11}")
    for name, first, fiftieth, page_ms, plans in results:
        http = f"{page_ms:>11.1f}" if page_ms is not None else f"{'-':>11}"
        later = f"{fiftieth:>11.2f}" if fiftieth >= 0 else f"{f'({-fiftieth:.0f} pages)':>11}"
        print(f"{name:<26} {first:>10.2f} {later} {http}  {plans}")
    print(
        "\npage 1 / page 50: the rows of one page, their referrals and their unread messages "
        "(three queries), page 50 by keyset.\nHTTP p1: the whole queue page (tab sizes, "
        "filter form, template) through Django's test client."
    )
    if not args.keep:
        connection.close()
        drop(args.admin_url, args.database)
        print(f"\nDropped {args.database}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
