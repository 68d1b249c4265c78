"""``sujarit load-geo``: load Thailand's administrative divisions into the database.

The file name has a dash so that the command reads like the others (verb-noun). Django finds
commands with ``pkgutil.iter_modules`` and loads them with ``importlib.import_module``, and
neither minds a dash; only a plain ``import`` statement would.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from sujarit.geo.actions import load_geography
from sujarit.geo.loading import LoadReport, TableChanges


class Command(BaseCommand):
    help = (
        "Load all provinces, districts and subdistricts (with postal codes and map points) and "
        "the abolished codes from the geothai package, and the boundaries of the configured "
        "province (SUJARIT_PROVINCE). Safe to run again: only differences are written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all-boundaries",
            action="store_true",
            help="Store boundaries for every province, not only the configured one.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def progress(message: str) -> None:
            if options["verbosity"] >= 1:
                self.stdout.write(f"[{time.monotonic() - started:5.1f}s] {message}")

        scope = None if options["all_boundaries"] else {settings.SUJARIT_PROVINCE}
        report = load_geography(boundary_provinces=scope, progress=progress)
        if options["verbosity"] < 1:
            return
        self._report(report)
        self.stdout.write(
            self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f}s.")
            if report.changed
            else self.style.SUCCESS(
                f"Nothing to change: the database already matches geothai {report.data_version}."
            )
        )

    def _report(self, report: LoadReport) -> None:
        for label, changes in (
            ("provinces", report.provinces),
            ("districts", report.districts),
            ("subdistricts", report.subdistricts),
            ("abolished codes", report.abolished),
        ):
            self.stdout.write(self._line(label, changes))
        self.stdout.write(
            f"boundaries stored for province(s) {_codes(report.boundary_provinces, 10)}: "
            + ", ".join(f"{level} {n:,}" for level, n in report.boundaries_set.items())
        )
        if report.subdistricts_without_boundary:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.subdistricts_without_boundary):,} subdistricts have no boundary "
                    f"in the shipped file (changed after 2019): "
                    f"{_codes(report.subdistricts_without_boundary)}"
                )
            )
        else:
            self.stdout.write("every subdistrict in those provinces has a boundary")
        if report.boundaries_unmatched:
            self.stdout.write(
                f"{len(report.boundaries_unmatched):,} boundaries belong to codes no longer in "
                f"use and were skipped: {_codes(report.boundaries_unmatched)}"
            )
        if report.subdistricts_without_point:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.subdistricts_without_point):,} subdistricts have no map point: "
                    f"{_codes(report.subdistricts_without_point)}"
                )
            )

    def _line(self, label: str, changes: TableChanges) -> str:
        line = (
            f"{label}: {changes.total:,} in geothai; "
            f"{changes.created:,} created, {changes.updated:,} updated"
        )
        if changes.removed:
            line += f", {changes.removed:,} removed"
        if changes.stale and not changes.removed:
            line += (
                f"; {len(changes.stale):,} kept in the database but no longer in geothai: "
                f"{_codes(changes.stale)}"
            )
        return line


def _codes(codes: list[str], limit: int = 20) -> str:
    shown = " ".join(codes[:limit])
    return shown + (f" … (+{len(codes) - limit})" if len(codes) > limit else "")
