"""Benchmark of case search over generated Thai reports: prints figures, asserts nothing.

In one run, over ``--size`` reports (1,000,000 by default) from ``bench/corpus/thai_reports.py``
(GENERATED DEMO DATA, with planted near-duplicate groups):

* **build**: word segmentation (``sujarit.textsearch.tokens.segmented``, ``--workers``
  processes), then the Tantivy index (``TantivyBackend``'s schema), the SQLite FTS5 table
  (as the migration creates it) and, with ``DATABASE_URL`` set to PostgreSQL, the same table
  and indexes as ``textsearch_casetext`` in a bench table; each with its rate;
* **latency** p50/p95/max over 100 queries (the 30 of docs/research's baseline, then common,
  medium, rare and absent words, substrings of compound words and two-word queries; seeded),
  each the median of ``--repeat`` runs after one warm-up, end to end from the typed query
  (segmentation included), through the very backend classes the site uses, asking for the
  same candidate window ``search_cases`` asks for (1,001) and for a top 20;
* **the scan baseline**: the same queries as a sequential ``LIKE '%…%'`` over the raw text
  (SQLite, and PostgreSQL ``ILIKE`` when given), newest 20 first, on every ``--scan-every``-th
  query only and one run each (a scan of a million rows takes seconds);
* **recall** of every single-word query against a substring scan of the normalised text:
  all matches, not a top k.

    python bench/search/run.py [--size 1000000] [--workers 2] [--repeat 3] [--scan-every 5]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing import Pool
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "corpus"), str(HERE.parents[1] / "src")]

import thai_reports  # noqa: E402

from sujarit.textsearch.engines import DatabaseBackend, TantivyBackend, document  # noqa: E402
from sujarit.textsearch.query import Term, parse  # noqa: E402
from sujarit.textsearch.tokens import normalize, segmented  # noqa: E402

WINDOW = 1001  # what search_cases asks a backend for (queries.WINDOW)
TOP = 20
BASE_CREATED = 1_700_000_000

# The 30 queries of docs/research's baseline (search-baselines.md), in its order.
BASELINE = [
    "ชาวบ้าน", "โครงการ", "งบประมาณ", "เลือกตั้ง", "กองทุนหมู่บ้าน", "ตรวจสอบ",
    "บางตีนเป็ด", "พนมสารคาม", "ผักตบชวา", "ล็อกสเปก", "ค่าแป๊ะเจี๊ยะ", "โต๊ะจีน",
    "เขื่อนกันตลิ่ง", "ท่าตะเกียบ", "คลองอุดมชลจร", "ทุจริตเชิงนโยบาย", "เงินทอน", "363000",
    "ถนน บางไผ่", "กองทุนหมู่บ้าน คลองนา", "แจกเงิน บางคล้า", "ผู้ใหญ่บ้าน ขู่",
    "ขุดลอก ผักตบชวา", "โรงเรียน แป๊ะเจี๊ยะ", "ตำรวจ ด่าน", "น้ำท่วม ท่อระบายน้ำ",
    "ล็อกสเปก บางปะกง", "หัวคะแนน ราชสาส์น", "ยุพิน วงษ์ไทย", "โรงงานบดหิน เด็ก",
]  # fmt: skip
ABSENT = ["สนามกีฬา", "เรือดำน้ำ", "ฟุตบอลโลก", "ค่าโง่", "tollway"]


def _segment(texts: list[str]) -> list[str]:
    return [segmented(text) for text in texts]


def _normalise(texts: list[str]) -> list[str]:
    return [normalize(text) for text in texts]


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def choose_queries(words: list[str], seed: int) -> list[tuple[str, str]]:
    """100 (class, query) pairs: the baseline's 30, then 70 drawn from the corpus's words."""
    rng = random.Random(seed)
    counts = Counter(w for text in words[:20000] for w in text.split(" "))
    thai = [w for w, _ in counts.most_common() if re.fullmatch(r"[\u0e00-\u0e7f]{3,}", w)]
    common, medium, rare = thai[:40], thai[100:1500], [w for w in thai if counts[w] <= 2]
    queries: list[tuple[str, str]] = []
    queries += [("baseline", q) for q in BASELINE]
    queries += [("common", q) for q in rng.sample(common, 12)]
    queries += [("medium", q) for q in rng.sample(medium, 16)]
    queries += [("rare", q) for q in rng.sample(rare, min(8, len(rare)))]
    queries += [("absent", q) for q in ABSENT]
    long_words = [w for w in thai[:3000] if len(w) >= 7]
    for word in rng.sample(long_words, 6):  # a part of a longer indexed word
        cut = rng.randint(1, len(word) - 4)
        queries.append(("substring", word[cut:]))
    while len(queries) < 100:
        queries.append(("two", f"{rng.choice(common)} {rng.choice(medium)}"))
    return queries[:100]


class SqliteCursor:
    """sqlite3 with Django's ``%s`` placeholders, as the site's backend code writes them."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    @contextmanager
    def __call__(self) -> Iterator[Any]:
        cursor = self.db.cursor()

        class Wrapped:
            def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
                cursor.execute(sql.replace("%s", "?"), list(params))

            def fetchall(self) -> list[Any]:
                return cursor.fetchall()

        yield Wrapped()


def build_sqlite(path: Path, raw: list[str], seg: list[str]) -> tuple[sqlite3.Connection, float]:
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE reports (id INTEGER PRIMARY KEY, created INTEGER, body TEXT)")
    db.executemany(
        "INSERT INTO reports VALUES (?, ?, ?)",
        ((i + 1, BASE_CREATED + i * 60, text) for i, text in enumerate(raw)),
    )
    db.commit()
    started = time.perf_counter()
    db.execute(
        "CREATE VIRTUAL TABLE bench_fts USING fts5(words, content='', "
        "tokenize=\"unicode61 categories 'L* N* Co M*' remove_diacritics 0\")"
    )
    db.execute("CREATE TABLE bench_fts_words (word TEXT PRIMARY KEY) WITHOUT ROWID")
    db.executemany(
        "INSERT INTO bench_fts(rowid, words) VALUES (?, ?)",
        ((i + 1, words) for i, words in enumerate(seg)),
    )
    vocabulary = {w for words in seg for w in words.split(" ") if w}
    db.executemany("INSERT INTO bench_fts_words VALUES (?)", ((w,) for w in vocabulary))
    db.execute("INSERT INTO bench_fts(bench_fts) VALUES ('optimize')")
    db.commit()
    return db, time.perf_counter() - started


def build_tantivy(path: Path, seg: list[str]) -> tuple[TantivyBackend, float]:
    backend = TantivyBackend(path)
    started = time.perf_counter()
    writer = backend.index.writer(heap_size=512_000_000, num_threads=2)
    for i, words in enumerate(seg):
        writer.add_document(document(i + 1, BASE_CREATED + i * 60, words))
    writer.commit()
    writer.wait_merging_threads()
    return backend, time.perf_counter() - started


def build_postgres(
    url: str, raw: list[str], seg: list[str], *, indexes: bool = True
) -> tuple[Any, float]:
    import psycopg

    conn = psycopg.connect(url, autocommit=True)
    conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    conn.execute("DROP TABLE IF EXISTS bench_search")
    conn.execute(
        "CREATE TABLE bench_search (case_id bigint PRIMARY KEY, created_at bigint, "
        "words text, body text)"
    )
    started = time.perf_counter()
    with conn.cursor().copy("COPY bench_search FROM STDIN") as copy:
        for i, (text, words) in enumerate(zip(raw, seg, strict=True)):
            copy.write_row((i + 1, BASE_CREATED + i * 60, words, text))
    conn.execute("SET maintenance_work_mem = '1GB'")
    if indexes:
        conn.execute("CREATE INDEX ON bench_search USING gin (to_tsvector('simple', words))")
        conn.execute(
            "CREATE INDEX ON bench_search USING gin ((replace(words, ' ', '')) gin_trgm_ops)"
        )
    conn.execute("VACUUM ANALYZE bench_search")
    conn.execute("SET work_mem = '64MB'")
    return conn, time.perf_counter() - started


def timed(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    result = run()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scan-every", type=int, default=5)
    parser.add_argument("--seed", type=int, default=thai_reports.DEFAULT_SEED)
    parser.add_argument("--dir", help="working directory (default: a temporary one)")
    parser.add_argument(
        "--pg-scan-only",
        action="store_true",
        help="with DATABASE_URL: load PostgreSQL only for the ILIKE scan baseline, without "
        "building or querying the PostgreSQL search backend (minutes per common word at 1M)",
    )
    args = parser.parse_args(argv)
    pg_url = os.environ.get("DATABASE_URL", "")
    if not pg_url.startswith("postgres"):
        pg_url = ""
    workdir = Path(args.dir or tempfile.mkdtemp(prefix="bench-search-"))
    workdir.mkdir(parents=True, exist_ok=True)

    print(f"# Case search benchmark: {args.size:,} generated reports, {os.cpu_count()} CPUs")
    started = time.perf_counter()
    raw = [r.text for r in thai_reports.generate(args.size, seed=args.seed)]
    print(f"generate: {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    segment(raw[:2000])  # load the dictionary before timing
    with Pool(args.workers) as pool:
        seg = [w for part in pool.imap(_segment, _chunks(raw, 2000)) for w in part]
    took = time.perf_counter() - started
    print(f"segmentation ({args.workers} processes): {took:.1f} s = {len(raw) / took:,.0f}/s")
    with Pool(args.workers) as pool:  # for the recall's substring scan (not timed)
        normalised = [t for part in pool.imap(_normalise, _chunks(raw, 2000)) for t in part]

    tantivy_backend, took = build_tantivy(workdir / "tantivy", seg)
    size_mb = sum(f.stat().st_size for f in (workdir / "tantivy").iterdir()) / 1e6
    print(f"tantivy build: {took:.1f} s = {len(seg) / took:,.0f}/s, {size_mb:.0f} MB")
    db, took = build_sqlite(workdir / "bench.sqlite3", raw, seg)
    words = db.execute("SELECT count(*) FROM bench_fts_words").fetchone()[0]
    print(f"sqlite fts5 build: {took:.1f} s = {len(seg) / took:,.0f}/s; {words:,} distinct words")
    sqlite_backend = DatabaseBackend(
        cursor=SqliteCursor(db), vendor="sqlite", fts_table="bench_fts"
    )
    pg = pg_backend = None
    if pg_url and args.pg_scan_only:
        pg, took = build_postgres(pg_url, raw, seg, indexes=False)
        print(f"postgresql table for the ILIKE scan (COPY, no index): {took:.1f} s")
    elif pg_url:
        pg, took = build_postgres(pg_url, raw, seg)
        print(f"postgresql build (COPY + 2 GIN): {took:.1f} s = {len(seg) / took:,.0f}/s")
        pg_backend = DatabaseBackend(
            cursor=pg.cursor, vendor="postgresql", text_table="bench_search"
        )

    queries = choose_queries(seg, args.seed)
    methods: dict[str, Callable[[list[Term]], Any]] = {
        "tantivy@1001": lambda t: tantivy_backend.candidates(t, limit=WINDOW),
        "tantivy@20": lambda t: tantivy_backend.candidates(t, limit=TOP),
        "fts5@20": lambda t: sqlite_backend.candidates(t, limit=TOP),
    }
    if pg_backend is not None:
        methods["pg@20"] = lambda t: pg_backend.candidates(t, limit=TOP)
    latency: dict[str, list[float]] = {name: [] for name in methods}
    scan: dict[str, list[float]] = {"sqlite-scan": [], "pg-scan": []}
    ratio_rows: list[tuple[str, float, float]] = []
    recalls: list[tuple[str, int, int, int]] = []
    print("\n| # | class | query | " + " | ".join(methods) + " | sqlite scan | pg scan |")
    print("|---|---|---|" + "---|" * (len(methods) + 2))
    for number, (kind, query) in enumerate(queries, 1):
        cells = []
        for name, method in methods.items():
            ms, result = timed(lambda m=method, q=query: m(parse(q)), args.repeat)  # type: ignore[misc]
            latency[name].append(ms)
            cells.append(f"{ms:.1f} ({len(result[0])})")
        scan_cells = ["", ""]
        if (number - 1) % args.scan_every == 0:
            like = "%" + query.split(" ")[0] + "%"
            sql = "SELECT id FROM reports WHERE body LIKE ?"
            params = [like]
            for extra in query.split(" ")[1:]:
                sql += " AND body LIKE ?"
                params.append(f"%{extra}%")
            started = time.perf_counter()
            hits = db.execute(sql + " ORDER BY created DESC LIMIT 20", params).fetchall()
            ms = (time.perf_counter() - started) * 1000
            scan["sqlite-scan"].append(ms)
            scan_cells[0] = f"{ms:.0f} ({len(hits)})"
            ratio_rows.append((query, ms, latency["tantivy@1001"][-1]))
            if pg is not None:
                pg_sql = sql.replace("LIKE ?", "ILIKE %s")
                pg_sql = pg_sql.replace("id FROM reports", "case_id FROM bench_search")
                started = time.perf_counter()
                pg_sql += " ORDER BY created_at DESC LIMIT 20"
                hits = pg.execute(pg_sql, params).fetchall()
                pg_ms = (time.perf_counter() - started) * 1000
                scan["pg-scan"].append(pg_ms)
                scan_cells[1] = f"{pg_ms:.0f} ({len(hits)})"
        print(f"| {number} | {kind} | {query} | " + " | ".join(cells + scan_cells) + " |")
        if " " not in query:
            needle = normalize(query)
            expected = {i + 1 for i, text in enumerate(normalised) if needle in text}
            got_t = set(tantivy_backend.candidates(parse(query), limit=len(raw) + 1)[0])
            got_s = set(sqlite_backend.candidates(parse(query), limit=len(raw) + 1)[0])
            recalls.append((query, len(expected), len(expected & got_t), len(expected & got_s)))

    print("\n## Latency (ms over 100 queries; median of runs per query)")
    print("| method | p50 | p95 | max |")
    print("|---|---|---|---|")
    for name, values in {**latency, **{k: v for k, v in scan.items() if v}}.items():
        print(f"| {name} | {_pct(values, 50):.1f} | {_pct(values, 95):.1f} | {max(values):.1f} |")
    scanned = [tantivy for _q, _s, tantivy in ratio_rows]
    scans = [s for _q, s, _t in ratio_rows]
    print(
        f"\nscan vs tantivy@1001 on the {len(ratio_rows)} scanned queries: "
        f"p50 {_pct(scans, 50) / max(_pct(scanned, 50), 1e-6):.0f}x, "
        f"p95 {_pct(scans, 95) / max(_pct(scanned, 95), 1e-6):.0f}x"
    )
    if scan["pg-scan"]:
        pg_scans = scan["pg-scan"]
        print(
            f"PostgreSQL ILIKE scan vs tantivy@1001 on the same {len(pg_scans)} queries: "
            f"p50 {_pct(pg_scans, 50) / max(_pct(scanned, 50), 1e-6):.0f}x, "
            f"p95 {_pct(pg_scans, 95) / max(_pct(scanned, 95), 1e-6):.0f}x"
        )
    total = sum(e for _q, e, _t, _s in recalls)
    print(
        f"recall vs substring scan, {len(recalls)} single-word queries, {total:,} matches: "
        f"tantivy {sum(t for *_x, t, _s in recalls) / max(total, 1):.4f}, "
        f"fts5 {sum(s for *_x, s in recalls) / max(total, 1):.4f}"
    )
    for query, expected, got_t, got_s in recalls:
        if got_t < expected or got_s < expected:
            print(f"  missed: {query}: scan {expected}, tantivy {got_t}, fts5 {got_s}")
    if pg is not None:
        pg.execute("DROP TABLE bench_search")


def segment(texts: list[str]) -> None:
    _segment(texts)


if __name__ == "__main__":
    main()
