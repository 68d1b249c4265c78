"""The ``redflags`` command line, compatible with Cardinal's ``ocdscardinal``.

    redflags indicators [--settings FILE] [--count] [--no-meta] [--map] [--explain]
                        [--backend {duckdb,spark}] FILE
    redflags coverage FILE
    redflags init FILE [--force]
    redflags import [--output FILE] [--errors FILE] PATH...

``FILE`` may be ``-`` for standard input and may be gzip-compressed. A Cardinal user can switch
by replacing ``ocdscardinal`` with ``sujarit redflags``: the settings file, the flags and the
output are the same (``--explain`` and ``import`` are additions). Exit status: 0 on success,
2 for a usage, settings or input-file error, 1 for any other failure.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import duckdb
import orjson

from sujarit.redflags import coverage, engine, progress, settings, source

logger = logging.getLogger("sujarit.redflags")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sujarit redflags",
        description="Procurement red flags over OCDS compiled releases (Cardinal-compatible).",
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="increase verbosity (repeatable)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    indicators = commands.add_parser(
        "indicators",
        help="calculate procurement indicators from compiled releases in a JSON-lines file",
        description=(
            "Print one JSON object whose keys are OCID, Buyer, ProcuringEntity and Tenderer, "
            "mapping identifiers to the results of the indicators that flagged them; with a "
            "Meta key (quartiles and fences) unless --no-meta, and a Maps key with --map."
        ),
    )
    indicators.add_argument("file", help='JSON lines, one compiled release per line ("-": stdin)')
    indicators.add_argument("-s", "--settings", help="the settings file (see `init`)")
    indicators.add_argument(
        "-c", "--count", action="store_true", help="print the number of results per group to stderr"
    )
    indicators.add_argument("--no-meta", action="store_true", help='omit the "Meta" key')
    indicators.add_argument(
        "--map", action="store_true", help='add the "Maps" key (processes to organisations)'
    )
    indicators.add_argument(
        "--explain",
        action="store_true",
        help='add an "Explanations" key: why each flag was raised, in English and Thai',
    )
    indicators.add_argument(
        "--backend",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="the engine that runs the indicators (spark needs PySpark and Java 17+)",
    )
    indicators.add_argument(
        "--memory-limit",
        help=f"DuckDB's memory limit, e.g. 1GB (default {engine.DEFAULT_MEMORY}; beyond it "
        "DuckDB writes to a temporary directory)",
    )
    indicators.add_argument("--threads", type=int, help="DuckDB's number of threads")

    cover = commands.add_parser(
        "coverage", help="count the non-empty values of each field in a JSON-lines file"
    )
    cover.add_argument("file", help='JSON lines ("-": stdin)')

    init = commands.add_parser("init", help="write a default settings file")
    init.add_argument("file", help='the settings file to write ("-": stdout)')
    init.add_argument("-f", "--force", action="store_true", help="overwrite an existing file")

    convert = commands.add_parser(
        "import",
        help="turn OCDS files (packages, records, releases, OCDS 1.0) into compiled releases",
        description=(
            "Read release packages, record packages, single releases or records (JSON, or "
            "JSON lines), upgrade OCDS 1.0 to 1.1, merge the releases of each ocid into a "
            "compiled release, and write one compiled release per line. Files or lines that "
            "cannot be read are reported (file, line, reason) and skipped."
        ),
    )
    convert.add_argument("paths", nargs="+", help="files or directories (searched for *.json*)")
    convert.add_argument("-o", "--output", default="-", help='output JSON lines ("-": stdout)')
    convert.add_argument(
        "-e", "--errors", help="write the problems as CSV (file, line, reason) to this file"
    )
    return parser


def _configure_logging(verbosity: int, stream: TextIO) -> None:
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = progress.LogHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


def _print_json(parts: Iterable[tuple[str, Any]], stream: TextIO) -> None:
    """Write a JSON object, given as (key, value) pairs, on one line. A value that is an
    iterator of pairs is an object written the same way. Each value is encoded and written
    on its own, so that a document of hundreds of megabytes (``--explain`` over a million
    releases) is never whole in memory as text; the result is what encoding the whole
    object at once gives."""
    # orjson writes the document five times faster than ``json`` (a million releases flag
    # hundreds of thousands of keys). Like serde_json, it writes UTF-8 as is, no spaces, and
    # NaN or an infinity as null (``Result.to_cardinal`` already turns those into None).
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        write = buffer.write
    else:

        def write(data: bytes) -> Any:
            return stream.write(data.decode())

    def write_object(pairs: Iterable[tuple[str, Any]]) -> None:
        write(b"{")
        for number, (key, value) in enumerate(pairs):
            write((b"," if number else b"") + orjson.dumps(key) + b":")
            if isinstance(value, Iterator):
                write_object(value)
            else:
                write(orjson.dumps(value))
        write(b"}")

    write_object(parts)
    write(b"\n")
    if buffer is not None:
        buffer.flush()


def _indicators(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    options = settings.load(args.settings) if args.settings else settings.Settings()
    both = options.price_comparison_procurement_methods and (
        options.no_price_comparison_procurement_methods
    )
    if both:
        logger.warning(
            "no_price_comparison_procurement_methods has no effect if "
            "price_comparison_procurement_methods is set."
        )
    if args.backend == "spark":
        # Imported here: PySpark is optional and slow to load.
        from sujarit.redflags import spark

        result = spark.run_spark(
            options,
            args.file,
            spark.session(progress=stderr.isatty()),
            maps=args.map,
            explanations=args.explain,
        )
    else:
        result = engine.run(
            args.file,
            options,
            maps=args.map,
            explanations=args.explain,
            progress=progress.on_terminal(stderr),
            memory_limit=args.memory_limit,
            threads=args.threads,
        )
    _print_json(
        result.document_parts(meta=not args.no_meta, maps=args.map, explanations=args.explain),
        stdout,
    )
    if args.count:
        for group, count in result.counts().items():
            stderr.write(f"{group}: {count}\n")
    return 0


def _init(args: argparse.Namespace, stdout: TextIO) -> int:
    if args.file == "-":
        stdout.write(settings.DEFAULT_INI)
        return 0
    path = Path(args.file)
    if path.exists() and not args.force:
        raise source.SourceError(f"{path}: already exists (use --force to overwrite)")
    path.write_text(settings.DEFAULT_INI, encoding="utf-8")
    stdout.write(f"Settings written to {path}.\n")
    return 0


def _import(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    # Imported here: ocdskit and ocdsmerge take a tenth of a second to load, which every
    # `indicators` run would otherwise pay.
    from sujarit.redflags import importer

    report = importer.import_paths(
        [Path(p) for p in args.paths],
        stdout if args.output == "-" else Path(args.output),
        progress=progress.on_terminal(stderr, "import"),
    )
    for problem in report.problems:
        logger.warning("%s", problem)
    if args.errors:
        report.write_csv(Path(args.errors))
    logger.info(
        "%d files read, %d compiled releases written, %d problems.",
        report.files,
        report.releases,
        len(report.problems),
    )
    return 0


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line; returns the exit status."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    _configure_logging(args.verbose, err)
    try:
        if args.command == "indicators":
            return _indicators(args, out, err)
        if args.command == "coverage":
            counts = coverage.coverage(
                args.file if args.file == "-" else _readable(args.file),
                progress=progress.on_terminal(err, "coverage"),
            )
            out.write(json.dumps(counts, ensure_ascii=False) + "\n")
            return 0
        if args.command == "init":
            return _init(args, out)
        return _import(args, out, err)
    except (settings.SettingsError, source.SourceError, engine.OptionError) as error:
        err.write(f"error: {error}\n")
        return 2
    except ImportError as error:
        # Only an optional backend is imported late (sujarit.redflags.spark raises
        # SparkUnavailable, an ImportError, when PySpark is missing).
        err.write(f"error: {error}\n")
        return 2
    except BrokenPipeError:
        return 1
    except duckdb.OutOfMemoryException:
        limit = getattr(args, "memory_limit", None) or engine.DEFAULT_MEMORY
        err.write(
            f"error: DuckDB ran out of memory under its limit of {limit}; "
            "give it more with --memory-limit (e.g. --memory-limit 2GB)\n"
        )
        return 1
    except Exception as error:  # noqa: BLE001 - the command line reports, it does not crash
        err.write(f"Application error: {error}\n")
        return 1


def _readable(name: str) -> Path:
    path = Path(name)
    source.check_readable(path)
    return path


if __name__ == "__main__":
    raise SystemExit(main())
