"""Benchmark of duplicate listing: prints figures, asserts nothing.

It generates the shared demo corpus (``bench/corpus/thai_reports.py``: N reports with one
planted near-duplicate group per 1,000), computes every report's shingles (newmm words,
``sujarit.textsearch.similar.shingles``) in worker processes, builds the similarity index,
then for each planted group takes its newest member as a new report and lists the 10 most
similar among all the others. It prints:

* the time to compute shingles and to build the index, and the index's size;
* p50/p95/max latency of one listing from the raw text (segmentation of the query included);
* recall@10 of the planted near-duplicates (earlier group members found / all of them);
* peak resident memory of the process that holds the index (``resource.getrusage``);
* a baseline measured in the same run: exact brute-force Jaccard of the same shingles over
  every report, on a sample of the queries (latency, recall@10 on that sample, and ours on
  the same sample).

    python bench/dedupe/run.py [--size 1000000] [--workers 2] [--baseline-queries 20]

Shingles are cached under ``--cache`` (default: the temporary directory) per size, seed and
shingle version, so a second run skips the slow part.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from array import array
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

import thai_reports  # noqa: E402

from sujarit.textsearch.similar import (  # noqa: E402
    SHINGLE_VERSION,
    SimilarityIndex,
    shingles,
)
from sujarit.textsearch.tokens import forget_pieces  # noqa: E402

CHUNK = 5_000


def _shingle_chunk(texts: list[str]) -> tuple[bytes, bytes]:
    """Shingles of a chunk of reports: (sizes, concatenated hashes) as bytes."""
    sizes = array("q")
    flat = array("I")
    for text in texts:
        hashes = shingles(text)
        sizes.append(len(hashes))
        flat.extend(hashes)
    return sizes.tobytes(), flat.tobytes()


def compute_shingles(size: int, workers: int) -> tuple[array[int], array[int]]:
    """CSR offsets and hashes of the whole corpus, computed by ``workers`` processes.

    The corpus is generated here and sent in chunks, at most two per worker in flight, so
    the texts are never all in memory at once.
    """
    offsets = array("q", [0])
    flat = array("I")
    pending: deque[Future[tuple[bytes, bytes]]] = deque()

    def collect() -> None:
        chunk_sizes, chunk_flat = pending.popleft().result()
        sizes = array("q")
        sizes.frombytes(chunk_sizes)
        for n in sizes:
            offsets.append(offsets[-1] + n)
        flat.frombytes(chunk_flat)
        if (len(offsets) - 1) % (20 * CHUNK) == 0:
            print(f"  shingles: {len(offsets) - 1:,} / {size:,}", file=sys.stderr, flush=True)

    with ProcessPoolExecutor(max_workers=workers) as pool:
        chunk: list[str] = []
        for report in thai_reports.generate(size):
            chunk.append(report.text)
            if len(chunk) == CHUNK:
                pending.append(pool.submit(_shingle_chunk, chunk))
                chunk = []
                while len(pending) > 2 * workers:
                    collect()
        if chunk:
            pending.append(pool.submit(_shingle_chunk, chunk))
        while pending:
            collect()
    return offsets, flat


def brute_force(query: list[int], offsets: array[int], flat: array[int], k: int) -> list[int]:
    """Exact top-k by plain Jaccard over every report (0-based positions)."""
    q = set(query)
    scored = []
    for i in range(len(offsets) - 1):
        other = set(flat[offsets[i] : offsets[i + 1]])
        shared = len(q & other)
        if shared:
            scored.append((shared / (len(q) + len(other) - shared), -i))
    scored.sort(reverse=True)
    return [-neg for _, neg in scored[:k]]


SETTINGS = ((0.005, 30_000, 150), (0.005, 30_000, 100), (0.01, 60_000, 150), (0.002, 30_000, 150))


def sweep(
    index: SimilarityIndex,
    members: dict[int, list[tuple[int, str]]],
    offsets: array[int],
    flat: array[int],
) -> None:
    """Recall and index-only latency (query shingles precomputed) for other settings."""
    for max_df, budget, candidates in SETTINGS:
        index.max_df, index.budget, index.candidates = max_df, budget, candidates
        latencies: list[float] = []
        found = total = 0
        for rows in members.values():
            query_id = rows[-1][0]
            hashes = flat[offsets[query_id - 1] : offsets[query_id]]
            t1 = time.perf_counter()
            got = {m.id for m in index.top(hashes, k=10, exclude=[query_id])}
            latencies.append((time.perf_counter() - t1) * 1000)
            found += len({row[0] for row in rows[:-1]} & got)
            total += len(rows) - 1
        latencies.sort()
        print(
            f"  sweep max_df {max_df} budget {budget:,} candidates {candidates}: "
            f"recall@10 {found / total:.4f}, index-only p50 {statistics.median(latencies):.1f} ms, "
            f"p95 {latencies[int(0.95 * (len(latencies) - 1))]:.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description="duplicate listing benchmark")
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline-queries", type=int, default=3)
    parser.add_argument(
        "--sweep", action="store_true", help="also try other settings (index time only)"
    )
    parser.add_argument("--cache", default=tempfile.gettempdir())
    parser.add_argument("--max-df", type=float, default=0.01)
    parser.add_argument("--budget", type=int, default=60_000)
    parser.add_argument("--candidates", type=int, default=150)
    args = parser.parse_args()
    size = args.size

    print(f"corpus: {size:,} generated demo reports (seed {thai_reports.DEFAULT_SEED})")
    t0 = time.perf_counter()
    members: dict[int, list[tuple[int, str]]] = {}
    for report in thai_reports.generate(size):
        if report.group is not None:
            members.setdefault(report.group, []).append((report.id, report.text))
    print(f"  generated in {time.perf_counter() - t0:.1f} s; {len(members)} planted groups")

    name = f"sujarit_dedupe_{size}_{thai_reports.DEFAULT_SEED}_v{SHINGLE_VERSION}"
    cache = Path(args.cache) / name
    t0 = time.perf_counter()
    offsets, flat = array("q"), array("I")
    if cache.with_suffix(".flat").exists():
        offsets.frombytes(cache.with_suffix(".offsets").read_bytes())
        flat.frombytes(cache.with_suffix(".flat").read_bytes())
        print(f"shingles: loaded from {cache}.*")
    else:
        offsets, flat = compute_shingles(size, args.workers)
        cache.with_suffix(".offsets").write_bytes(offsets.tobytes())
        cache.with_suffix(".flat").write_bytes(flat.tobytes())
        took = time.perf_counter() - t0
        print(
            f"shingles: {took:.1f} s with {args.workers} processes ({size / took:,.0f} reports/s)"
        )
    print(f"  {len(flat) / size:.1f} shingles per report")

    t0 = time.perf_counter()
    index = SimilarityIndex(max_df=args.max_df, budget=args.budget, candidates=args.candidates)
    for i in range(size):
        index.add(i + 1, flat[offsets[i] : offsets[i + 1]])
    build = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"index: built in {build:.1f} s; process peak so far {rss:.0f} MiB")

    # Warm up the tokenizer (its dictionary loads on first use).
    shingles("ถนนชำรุด")
    latencies: list[float] = []
    segmenting: list[float] = []
    found = total = 0
    ours_by_group: dict[int, set[int]] = {}
    for group, rows in sorted(members.items()):
        query_id, text = rows[-1]
        earlier = {row[0] for row in rows[:-1]}
        # Each query is timed with nothing of its text segmented before (worst case).
        forget_pieces()
        t1 = time.perf_counter()
        hashes = shingles(text)
        t2 = time.perf_counter()
        matches = index.top(hashes, k=10, exclude=[query_id])
        latencies.append((time.perf_counter() - t1) * 1000)
        segmenting.append((t2 - t1) * 1000)
        got = {m.id for m in matches}
        ours_by_group[group] = got
        found += len(earlier & got)
        total += len(earlier)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"listing ({len(latencies)} queries): p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"max {latencies[-1]:.1f} ms"
    )
    segmenting.sort()
    print(
        f"  of which segmenting the new report (cold): p50 {statistics.median(segmenting):.1f} ms,"
        f" p95 {segmenting[int(0.95 * (len(segmenting) - 1))]:.1f} ms"
    )
    print(f"recall@10: {found / total:.4f} ({found} of {total} planted pairs)")

    step = max(1, len(members) // max(1, args.baseline_queries))
    sample = sorted(members)[::step][: args.baseline_queries]
    base_lat: list[float] = []
    base_found = ours_found = sample_total = 0
    for group in sample:
        rows = members[group]
        query_id, text = rows[-1]
        earlier = {row[0] for row in rows[:-1]}
        t1 = time.perf_counter()
        top = brute_force(shingles(text), offsets, flat, 11)
        base_lat.append((time.perf_counter() - t1) * 1000)
        got = [p + 1 for p in top if p + 1 != query_id][:10]
        base_found += len(earlier & set(got))
        ours_found += len(earlier & ours_by_group[group])
        sample_total += len(earlier)
    if base_lat:
        base_p50 = statistics.median(base_lat)
        print(
            f"baseline, brute-force exact Jaccard over all {size:,} ({len(sample)} queries): "
            f"p50 {base_p50:.0f} ms, recall@10 {base_found / sample_total:.4f}; "
            f"ours on the same queries {ours_found / sample_total:.4f}; "
            f"speed-up at p50 {base_p50 / p50:.0f}x"
        )
    if args.sweep:
        sweep(index, members, offsets, flat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (this process: corpus arrays, index, queries): {peak:.0f} MiB")
    print(f"cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
