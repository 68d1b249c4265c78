"""``sujarit sweep-evidence``: find (and with --delete, delete) stored evidence files that no
live row needs, or schedule the daily task that does it."""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from sujarit.cases.management.scheduling import add_schedule_option, report_schedule
from sujarit.evidence.sweep import DEFAULT_MIN_AGE, sweep
from sujarit.evidence.tasks import schedule_sweep


class Command(BaseCommand):
    help = (
        "Find evidence files still stored although their case's personal data was purged, and "
        "files no row refers to (left by a crash). Lists counts only; --delete deletes them. "
        "With --schedule, enqueue the daily background task that deletes them instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete", action="store_true", help="Delete what is found.")
        parser.add_argument(
            "--min-age-hours",
            type=float,
            default=DEFAULT_MIN_AGE.total_seconds() / 3600,
            help="Files without a row are left alone until this old (an upload may be under "
            "way). Default: %(default)s.",
        )
        add_schedule_option(parser, "daily")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            report_schedule(
                self.stdout,
                schedule_sweep(),
                already=_("The evidence sweep is already scheduled."),
                scheduled=_("Evidence sweep scheduled (%(id)s); a worker runs it every day."),
            )
            return
        if options["min_age_hours"] < 0:
            self.stderr.write(_("--min-age-hours cannot be negative."))
            sys.exit(2)

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\r{done}/{total}", ending="")

        report = sweep(
            delete=options["delete"],
            min_age=timedelta(hours=options["min_age_hours"]),
            progress=progress if sys.stderr.isatty() else None,
        )
        if sys.stderr.isatty():
            self.stderr.write("")
        self.stdout.write(
            _(
                "Examined %(examined)s files: %(kept)s in use, %(purged_leftovers)s of purged "
                "cases, %(orphans)s without a row, %(recent)s without a row but too recent to "
                "judge. Deleted: %(deleted)s."
            )
            % report.as_dict()
        )
        if not options["delete"] and (report.purged_leftovers or report.orphans):
            self.stdout.write(_("Nothing was deleted: run again with --delete."))
