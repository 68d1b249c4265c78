"""Running the indicators: two DuckDB queries, then Cardinal's dataset-wide fences.

DuckDB parses the file once, keeping only the fields the enabled indicators read, into a
table of per-process values (:func:`sujarit.redflags.indicators.summary_select`); one
more query over that table returns per-process and per-organisation values
(:func:`sujarit.redflags.indicators.outputs_query`). This module turns those rows into
Cardinal's output: it computes the quartiles and fences of R024, R025, R038, R048 and R058
(:mod:`sujarit.redflags.stats`), applies them, and collects results, ``Meta``, ``Maps`` and, on
request, explanations.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from sujarit.redflags import explain, indicators, source, stats
from sujarit.redflags.indicators.matching import MEMBER_SEPARATOR
from sujarit.redflags.progress import Meter, Progress
from sujarit.redflags.settings import (
    OPTIONS,
    FenceOptions,
    R025Options,
    R038Options,
    R048Options,
    Settings,
)

logger = logging.getLogger("sujarit.redflags")

GROUPS = ("OCID", "Buyer", "ProcuringEntity", "Tenderer")
#: DuckDB's memory limit while it reads the file, unless ``memory_limit`` says otherwise.
#: Beyond it DuckDB spills to a temporary directory; the process's peak
#: stays under 1 GB for a million releases with every indicator.
DEFAULT_MEMORY = "700MB"
#: The share of that limit DuckDB keeps once the file is read, so that the rows and results
#: the Python side then builds (about 200 MB for a million releases) fit beside it: the part of
#: ``summary`` beyond it leaves memory.
AFTER_READING = 0.6
#: ``summary`` takes about an eighth of the JSON it comes from (520 MB for the benchmark's
#: million releases, 4.2 GB). When that estimate (gzip counted as ten times its size) fits the
#: memory limit, ``summary`` is an in-memory table, which DuckDB writes out to the temporary
#: directory beyond the limit; a larger one goes to a compressed database file there, which
#: DuckDB writes faster than it spills a table that outgrows memory.
SUMMARY_SHARE = 8
MEMORY = re.compile(r"([0-9]+(?:\.[0-9]+)?) ?([KMGT])(i?)B", re.IGNORECASE)
MAP_NAMES = (
    "ocid_buyer_r038",
    "ocid_procuringentity_r038",
    "ocid_tenderer",
    "ocid_tenderer_r024",
    "ocid_tenderer_r028",
    "ocid_tenderer_r030",
    "ocid_tenderer_r035",
    "ocid_tenderer_r058",
)
_CODE_ORDER = {code: index for index, code in enumerate(OPTIONS)}

Row = tuple[
    str, str | None, str | None, str | None, float | None, float | None, str | None, str | None
]


class OptionError(ValueError):
    """An option of a run (not of the settings file) that cannot be used."""


@dataclasses.dataclass
class ReadReport:
    """What was read: line counts and the lines that were skipped."""

    #: Non-blank lines.
    lines: int = 0
    #: Lines that are not valid JSON (including invalid UTF-8).
    invalid_lines: int = 0
    #: Valid JSON lines that are not objects (skipped silently, as in Cardinal).
    non_object_lines: int = 0
    #: The first invalid lines, with numbers and reasons.
    bad_lines: list[source.BadLine] = dataclasses.field(default_factory=list)
    #: Bids in another currency than the main one, skipped by price comparisons.
    currency: str | None = None
    other_currency_bids: int = 0
    seconds: float = 0.0


@dataclasses.dataclass
class Result:
    """The indicators' results in Cardinal's shape, plus what Cardinal does not give."""

    #: group → identifier → indicator code → value.
    results: dict[str, dict[str, dict[str, float]]]
    #: indicator code → name → value (quartiles and fences; NaN when there was no data).
    meta: dict[str, dict[str, float]]
    #: map name → ocid → organisation(s); filled only when maps were requested.
    maps: dict[str, dict[str, set[str] | str]]
    #: group → identifier → code → explanation; filled only when explanations were requested.
    explanations: dict[str, dict[str, dict[str, explain.Explanation]]]
    report: ReadReport

    def counts(self) -> dict[str, int]:
        return {
            group: len(self.results.get(group, {})) for group in GROUPS if group in self.results
        }

    def to_cardinal(
        self, *, meta: bool = True, maps: bool = False, explanations: bool = False
    ) -> dict[str, Any]:
        """The JSON document Cardinal's ``indicators`` command prints (keys sorted)."""
        return {
            key: dict(value) if key == "Explanations" else value
            for key, value in self.document_parts(meta=meta, maps=maps, explanations=explanations)
        }

    def document_parts(
        self, *, meta: bool = True, maps: bool = False, explanations: bool = False
    ) -> Iterator[tuple[str, Any]]:
        """The keys and values of :meth:`to_cardinal`'s document, each built when it is
        reached, so that a writer can let go of one before the next is built. The value of
        ``Explanations``, the largest, is itself an iterator of (group, explanations)."""
        for group in GROUPS:
            entries = self.results.get(group)
            if entries:
                yield (
                    group,
                    {key: _json_values(_in_code_order(entries[key])) for key in sorted(entries)},
                )
        if meta:
            yield (
                "Meta",
                {
                    code: {name: stats.round4(value) for name, value in values.items()}
                    for code, values in sorted(self.meta.items(), key=lambda i: _CODE_ORDER[i[0]])
                },
            )
        if maps:
            yield (
                "Maps",
                {
                    name: {
                        ocid: value if isinstance(value, str) else sorted(value)
                        for ocid, value in sorted(self.maps.get(name, {}).items())
                    }
                    for name in MAP_NAMES
                },
            )
        if explanations:
            yield "Explanations", self._explanation_parts()

    def _explanation_parts(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for group, entries in self.explanations.items():
            if entries:
                yield (
                    group,
                    {
                        key: {code: item.as_dict() for code, item in codes.items()}
                        for key, codes in sorted(entries.items())
                    },
                )


class Collector:
    """Turns the output rows of the indicator SQL into a :class:`Result` (any backend)."""

    def __init__(self, settings: Settings, *, maps: bool, explain_flags: bool) -> None:
        self.settings = settings
        self.want_maps = maps
        self.want_explanations = explain_flags
        self.results: dict[str, dict[str, dict[str, float]]] = {g: {} for g in GROUPS}
        self.meta: dict[str, dict[str, float]] = {}
        self.maps: dict[str, dict[str, Any]] = {name: {} for name in MAP_NAMES}
        self.explanations: dict[str, dict[str, dict[str, explain.Explanation]]] = {
            g: {} for g in GROUPS
        }
        self.rows: dict[str, list[Row]] = defaultdict(list)
        self.report = ReadReport()

    def set(self, group: str, key: str, code: str, value: float) -> None:
        self.results[group].setdefault(key, {})[code] = value

    def keep_max(self, group: str, key: str, code: str, value: float) -> None:
        codes = self.results[group].setdefault(key, {})
        if code not in codes or value > codes[code]:
            codes[code] = value

    def why(self, group: str, key: str, code: str, values: dict[str, Any]) -> None:
        if not self.want_explanations:
            return
        entry = self.explanations[group].setdefault(key, {})
        item = explain.explain(code, group, values)
        if code in entry:
            entry[code].merge(item, group)
        else:
            entry[code] = item

    def map_add(self, name: str, ocid: str, key: str) -> None:
        if self.want_maps:
            self.maps[name].setdefault(ocid, set()).add(key)

    # Rows of indicators that need no dataset-wide statistics.

    def take(self, row: Row) -> None:
        code, group, ocid, key, n1, n2, s1, s2 = row
        if code in ("R003", "R018", "R036", "R055") and group == "OCID" and ocid is not None:
            value = {"R003": 1.0, "R018": 1.0, "R036": 1.0}.get(code, n1 or 0.0)
            self.keep_max("OCID", ocid, code, value)
            self.why("OCID", ocid, code, {"n1": n1, "n2": n2, "s1": s1, "s2": s2})
        elif code in ("R030", "R035", "R044") and ocid is not None and key is not None:
            self._tenderer_flag(code, ocid, key, n1, s1, s2)
        elif code == "R055" and ocid is not None and key is not None:
            self.set("Tenderer", key, code, 0.0)
            self.why("Tenderer", key, code, {"ocid": ocid, "n1": n1, "n2": n2, "s1": s1, "s2": s2})
        elif code == "X001" and key is not None and s1 is not None:
            values = {"n1": n1, "n2": n2, "s2": s2, "ocid": ocid, "buyer": s1, "supplier": key}
            self.keep_max("Tenderer", key, code, n1 or 0.0)
            self.why("Tenderer", key, code, values)
            self.keep_max("Buyer", s1, code, n1 or 0.0)
            self.why("Buyer", s1, code, values)
        elif code == "X002" and key is not None:
            self.set("Buyer", key, code, n1 or 0.0)
            self.why("Buyer", key, code, {"n1": n1, "n2": n2, "s1": s1, "s2": s2})
        elif code == "~map_Buyer" and ocid is not None and key is not None:
            self.maps["ocid_buyer_r038"][ocid] = key
        elif code == "~map_ProcuringEntity" and ocid is not None and key is not None:
            self.maps["ocid_procuringentity_r038"][ocid] = key
        elif code == "~map_tenderer" and ocid is not None and key is not None:
            self.map_add("ocid_tenderer", ocid, key)
        elif code == "~stats":
            self.report.lines = int(n1 or 0)
            self.report.invalid_lines = int(n2 or 0)
        elif code == "~currency":
            self.report.currency = s1
            self.report.other_currency_bids = int(n1 or 0)
        else:
            self.rows[code].append(row)

    def _tenderer_flag(
        self, code: str, ocid: str, key: str, n1: float | None, s1: str | None, s2: str | None
    ) -> None:
        if code == "R035":
            self.keep_max("OCID", ocid, code, n1 or 0.0)
            self.set("Tenderer", key, code, 0.0)
        elif code == "R044":
            self.set("OCID", ocid, code, 1.0)
            self.set("Tenderer", key, code, 1.0)
        else:
            self.set("OCID", ocid, code, 1.0)
            self.set("Tenderer", key, code, 1.0)
        if code != "R044":
            self.map_add(f"ocid_tenderer_{code.lower()}", ocid, key)
        values = {"ocid": ocid, "id": key, "n1": n1, "s1": s1, "s2": s2}
        self.why("OCID", ocid, code, values)
        self.why("Tenderer", key, code, values)

    # Indicators with dataset-wide fences.

    def ordered(self, name: str) -> tuple[int, dict[int, float]]:
        """The number of values and the order statistics the SQL returned for ``name``
        (``~order`` rows): the k-th smallest value for each k near a quantile's position."""
        n = 0
        ordered: dict[int, float] = {}
        for _, _, _, key, k, value, count, _ in self.rows.get("~order", []):
            if key == name and k is not None and value is not None:
                ordered[int(k)] = value
                n = int(count or 0)
        return n, ordered

    def order_statistics(self, name: str) -> tuple[float, float]:
        """(Q1, Q3) from the ``~order`` rows the SQL returned for ``name``."""
        n, ordered = self.ordered(name)
        return stats.quantile_at(n, 0.25, ordered), stats.quantile_at(n, 0.75, ordered)

    def second_lowest_bid(self) -> None:
        candidates = []
        for _, _, ocid, winner, low, other, second, currency in self.rows.pop("~slbr", []):
            if ocid is None or winner is None or second is None:
                continue
            assert low is not None and other is not None
            candidates.append((ocid, _ratio(other, low), winner, second, low, other, currency))
        settings = self.settings
        q1, q3 = self.order_statistics("slbr")
        for code in ("R024", "R058"):
            if not settings.enabled(code):
                continue
            options: FenceOptions = settings.options(code)
            meta = self.meta.setdefault(code, {})
            if options.threshold is None:
                meta.update(q1=q1, q3=q3)
                fence = stats.lower_fence(q1, q3) if code == "R024" else stats.upper_fence(q1, q3)
                # Cardinal skips R024 when Q1 is not positive (most ratios would be flagged).
                applies = fence > 0.0 and (q1 > 0.0 or code == "R058")
            else:
                fence = options.threshold
                applies = fence > 0.0
            meta["lower_fence" if code == "R024" else "upper_fence"] = fence
            if not applies:
                continue
            for ocid, ratio, winner, second, low, other, currency in candidates:
                if (ratio <= fence) if code == "R024" else (ratio >= fence):
                    # An ocid on several lines (which compiled releases should not have), or
                    # with several lots, keeps its largest flagged ratio.
                    self.keep_max("OCID", ocid, code, ratio)
                    flagged = _members(winner)
                    if code == "R024":
                        flagged += _members(second)
                    for key in flagged:
                        self.set("Tenderer", key, code, 0.0)
                        self.map_add(f"ocid_tenderer_{code.lower()}", ocid, key)
                    detail = {
                        "ratio": ratio,
                        "fence": fence,
                        "winner": ", ".join(_members(winner)),
                        "second": ", ".join(_members(second)),
                        "low": low,
                        "other": other,
                        "currency": currency,
                        "ocid": ocid,
                    }
                    self.why("OCID", ocid, code, detail)
                    for key in flagged:
                        self.why("Tenderer", key, code, detail)

    def r025(self) -> None:
        options: R025Options = self.settings.options("R025")
        # Only the tenderers near or past both fences come back from the SQL, with the order
        # statistics of every tenderer's ratio and number of processes.
        tenderers = [
            (key, n1 or 0.0, n2 or 0.0)
            for _, _, _, key, n1, n2, _, _ in self.rows.pop("R025", [])
            if key is not None
        ]
        n, counts = self.ordered("r025_count")
        upper = stats.quantile_at(n, options.percentile / 100.0, counts)
        ratios = [won / count for _, won, count in tenderers]
        meta = self.meta.setdefault("R025", {})
        if options.threshold is None:
            q1, q3 = self.order_statistics("r025_ratio")
            meta.update(q1=q1, q3=q3)
            lower = stats.lower_fence(q1, q3)
        else:
            q1, lower = 1.0, options.threshold
        meta.update(upper_fence=upper, lower_fence=lower)
        if q1 > 0.0 and lower > 0.0:
            for (key, won, count), ratio in zip(tenderers, ratios, strict=True):
                if count >= upper and ratio <= lower:
                    self.set("Tenderer", key, "R025", ratio)
                    self.why(
                        "Tenderer",
                        key,
                        "R025",
                        {
                            "won": won,
                            "count": count,
                            "ratio": ratio,
                            "lower": lower,
                            "upper": upper,
                        },
                    )

    def r038(self) -> None:
        options: R038Options = self.settings.options("R038")
        by_group: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
        for _, group, _, key, n1, n2, _, _ in self.rows.pop("R038", []):
            if group is not None and key is not None and n2:
                by_group[group].append((key, n1 or 0.0, n2))
        for group in ("Buyer", "ProcuringEntity", "Tenderer"):
            entries = by_group.get(group, [])
            # Tenderers are many: only those near or past the fence come back from the SQL,
            # with the order statistics of every tenderer's ratio.
            tenderers = group == "Tenderer"
            if not entries and not (tenderers and self.ordered("r038_tenderer")[0]):
                continue
            ratios = [disqualified / submitted for _, disqualified, submitted in entries]
            meta = self.meta.setdefault("R038", {})
            if options.threshold is None:
                if tenderers:
                    q1, q3 = self.order_statistics("r038_tenderer")
                else:
                    q1, q3 = _quartiles(ratios)
                meta[f"{group}_q1"] = q1
                meta[f"{group}_q3"] = q3
                fence = stats.upper_fence(q1, q3)
            else:
                fence = options.threshold
            meta[f"{group}_upper_fence"] = fence
            if fence > 0.0:
                for (key, disqualified, submitted), ratio in zip(entries, ratios, strict=True):
                    if ratio >= fence:
                        self.set(group, key, "R038", ratio)
                        self.why(
                            group,
                            key,
                            "R038",
                            {
                                "disqualified": disqualified,
                                "submitted": submitted,
                                "ratio": ratio,
                                "fence": fence,
                            },
                        )

    def r048(self) -> None:
        options: R048Options = self.settings.options("R048")
        entries = [
            (key, n1 or 0.0, n2 or 0.0, s1 or "")
            for _, _, _, key, n1, n2, s1, _ in self.rows.pop("R048", [])
            if key is not None
        ]
        lengths = [length for _, _, length, _ in entries]
        meta = self.meta.setdefault("R048", {})
        if options.threshold is None:
            q1, q3 = _quartiles(lengths)
            meta.update(q1=q1, q3=q3)
            fence = stats.upper_fence(q1, q3)
        else:
            fence = float(options.threshold)
        meta["upper_fence"] = fence
        for key, count, length, classes in entries:
            if length >= fence:
                self.set("Tenderer", key, "R048", length)
                self.why(
                    "Tenderer",
                    key,
                    "R048",
                    {"classes": length, "fence": fence, "processes": count, "list": classes},
                )

    def r028(self) -> None:
        prices: dict[tuple[str, float | None, str | None], set[str]] = defaultdict(set)
        for _, _, ocid, key, amount, _, currency, _ in self.rows.pop("R028", []):
            if ocid is not None and key is not None:
                prices[(ocid, amount, currency)].add(key)
        for (ocid, amount, currency), keys in prices.items():
            # In identifier order: a set's order changes from one run to the next.
            for key in sorted(keys):
                others = ", ".join(sorted(keys - {key}))
                self._tenderer_flag("R028", ocid, key, amount, currency, others)

    def finish(self) -> Result:
        if self.settings.enabled("R028"):
            self.r028()
        if self.settings.enabled("R024") or self.settings.enabled("R058"):
            self.second_lowest_bid()
        if self.settings.enabled("R025"):
            self.r025()
        if self.settings.enabled("R038"):
            self.r038()
        if self.settings.enabled("R048"):
            self.r048()
        results = {group: entries for group, entries in self.results.items() if entries}
        return Result(
            results=results,
            meta=self.meta,
            maps=self.maps if self.want_maps else {},
            explanations=self.explanations if self.want_explanations else {},
            report=self.report,
        )


def _members(key: str) -> list[str]:
    """The organisations of a bidder's key (several for a consortium; see
    :mod:`sujarit.redflags.indicators.matching`)."""
    return key.split(MEMBER_SEPARATOR)


def _in_code_order(codes: dict[str, float]) -> dict[str, float]:
    if len(codes) == 1:
        return codes
    return dict(sorted(codes.items(), key=lambda item: _CODE_ORDER.get(item[0], 99)))


def _json_values(codes: dict[str, float]) -> dict[str, Any]:
    """The values as Cardinal prints them: an infinite or NaN value (a winning bid of 0 makes
    an infinite R058 ratio) is ``null``, as serde_json writes it, since JSON has no such
    numbers."""
    # The sum is finite when every value is (an overflowing sum only takes the slow path).
    if math.isfinite(sum(codes.values())):
        return codes
    return {code: value if math.isfinite(value) else None for code, value in codes.items()}


def _ratio(second: float, winner: float) -> float:
    # IEEE division, as in Rust: a zero winning bid gives infinity (or NaN for 0/0).
    difference = second - winner
    if winner == 0.0:
        if difference == 0.0 or math.isnan(difference):
            return math.nan
        return math.copysign(math.inf, difference) * math.copysign(1.0, winner)
    return difference / winner


def _sort_key(value: float) -> tuple[bool, float]:
    return (math.isnan(value), value)


def _quartiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values, key=_sort_key)
    return stats.quantile(ordered, 0.25), stats.quantile(ordered, 0.75)


def _fetch(cursor: Any, size: int = 50_000) -> Iterator[Row]:
    while True:
        batch = cursor.fetchmany(size)
        if not batch:
            return
        yield from batch


def run(
    path: str | Path,
    settings: Settings,
    *,
    maps: bool = False,
    explanations: bool = False,
    progress: Progress | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> Result:
    """Compute the enabled indicators over a JSON-lines file of compiled releases.

    ``path`` may be ``-`` (standard input) and may be gzip-compressed. Invalid lines are
    skipped and reported in ``Result.report``; a file that cannot be opened raises
    :class:`sujarit.redflags.source.SourceError`.
    """
    limit = _bytes(memory_limit or DEFAULT_MEMORY)
    started = time.monotonic()
    plan = indicators.plan_for(settings, maps=maps)
    watcher = progress or Progress(None)
    # What the line on the terminal says: standard input being received, then what DuckDB is
    # doing (its estimate is per query).
    received = Meter()
    doing = ["reading"]
    connection: Any = None

    def probe() -> str | None:
        if connection is None:
            return f"standard input, {received.text()}" if received.started else None
        percent = float(connection.query_progress())
        return f"{doing[0]} {percent:5.1f}%" if percent >= 0 else None

    watcher.follow(probe)
    try:
        with (
            source.materialised_stdin(path, received) as file,
            tempfile.TemporaryDirectory(prefix="redflags-") as spill,
        ):
            connection = source.connect(
                memory_limit=memory_limit or DEFAULT_MEMORY, threads=threads, temp_directory=spill
            )
            try:
                fields = indicators.fields_needed(settings.indicators, settings.matching)
                # The file is parsed once, into a table of per-process values (``summary``);
                # everything else reads that table. In memory or in a file (see SUMMARY_SHARE),
                # DuckDB keeps in memory only what fits its limit, so memory does not grow with
                # the number of processes.
                if _estimated_summary(file) <= limit:
                    database = "':memory:'"
                else:
                    database = source.sql_string(str(Path(spill) / "summary.duckdb"))
                connection.execute(f"ATTACH {database} AS rf")
                # A line longer than DuckDB's buffer stops the read (rare: a release of tens of
                # megabytes); it is then read again with room for the longest line.
                object_size = source.read_with_room(
                    file, lambda size: _summarise(connection, plan, file, fields, size)
                )
                connection.execute("USE rf")
                doing[0] = "comparing processes"
                collector = _compare(
                    connection, plan, settings, maps=maps, explanations=explanations, limit=limit
                )
                _set_limit(connection, limit)
                connection.execute(f"SET threads = {threads}" if threads else "RESET threads")
                if collector.report.invalid_lines:
                    doing[0] = "locating invalid lines"
                    invalid, not_object, bad = source.locate_bad_lines(
                        connection, file, object_size=object_size
                    )
                    collector.report.invalid_lines = invalid
                    collector.report.non_object_lines = not_object
                    collector.report.bad_lines = bad
            finally:
                watcher.stop()
                connection.close()
    finally:
        # Also when the input cannot be read or DuckDB cannot start.
        watcher.stop()

    return finish(collector, settings, started)


def _compare(
    connection: Any,
    plan: indicators.Plan,
    settings: Settings,
    *,
    maps: bool,
    explanations: bool,
    limit: int,
) -> Collector:
    """The rows of the output query, collected.

    The query runs under a lower limit; a run with explanations keeps the whole limit, since
    its query sorts every row and its Python side outgrows what a lower limit would save.
    Should DuckDB run out of memory all the same (its sorts and joins spill, but not always in
    time: with maps and explanations over a million releases it now and then did), the query
    runs again from the start, with the whole limit, then on one thread (the caller restores
    the limit and the threads)."""
    attempts = [(limit, False), (limit, True)]
    if not explanations:
        attempts.insert(0, (int(limit * AFTER_READING), False))

    def attempt(bytes_: int, one_thread: bool) -> Collector:
        _set_limit(connection, bytes_)
        if one_thread:
            connection.execute("SET threads = 1")
        collector = Collector(settings, maps=maps, explain_flags=explanations)
        _collect(connection, plan, collector, ordered=explanations)
        return collector

    *earlier, last = attempts
    for bytes_, one_thread in earlier:
        try:
            return attempt(bytes_, one_thread)
        except duckdb.OutOfMemoryException:
            logger.info("Out of memory under %d bytes; comparing again.", bytes_)
    return attempt(*last)


def _set_limit(connection: Any, limit: int) -> None:
    connection.execute(f"SET memory_limit = '{limit}B'")


def _collect(
    connection: Any, plan: indicators.Plan, collector: Collector, *, ordered: bool
) -> None:
    cursor = connection.execute(indicators.outputs_query(plan, ordered=ordered))
    for row in _fetch(cursor):
        collector.take(row)


def _estimated_summary(file: Path) -> int:
    size = file.stat().st_size
    if source.is_gzip(file):
        size *= 10
    return size // SUMMARY_SHARE


def _bytes(size: str) -> int:
    """A size as DuckDB reads it (KB = 1,000 bytes, KiB = 1,024) in bytes."""
    match = MEMORY.fullmatch(size)
    if match is None:
        raise OptionError(f"memory limit {size!r}: expected a size such as 700MB or 2GB")
    number, unit, binary = match.groups()
    return int(float(number) * (1024 if binary else 1000) ** ("KMGT".index(unit.upper()) + 1))


def _summarise(
    connection: Any, plan: indicators.Plan, file: Path, fields: frozenset[str], object_size: int
) -> None:
    releases = source.normalised_select(source.read_json_sql(file, object_size), fields)
    connection.execute(
        "CREATE OR REPLACE TABLE rf.summary AS " + indicators.summary_select(plan, releases)
    )


def finish(collector: Collector, settings: Settings, started: float) -> Result:
    """Log what was skipped, apply the dataset-wide fences and return the result (shared by
    every backend: the quartiles never depend on the engine that ran the SQL)."""
    report = collector.report
    for bad_line in report.bad_lines:
        logger.warning("Line %d is invalid JSON, skipping. [%s]", bad_line.line, bad_line.reason)
    if report.invalid_lines > len(report.bad_lines):
        logger.warning(
            "%d more invalid lines were skipped.", report.invalid_lines - len(report.bad_lines)
        )
    if report.other_currency_bids:
        log = logger.info if settings.info_currency_mismatches else logger.warning
        log(
            "%d bids not in the main currency (%s) were skipped by price comparisons.",
            report.other_currency_bids,
            report.currency,
        )
    result = collector.finish()
    result.report.seconds = time.monotonic() - started
    return result


__all__ = ["Collector", "Progress", "ReadReport", "Result", "finish", "run"]
