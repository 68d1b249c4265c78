"""``sujarit import-network {organizations|members} FILE``: create or update from CSV."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sujarit.agencies.importing import CsvFileError, decode_csv
from sujarit.network.actions.imports import KINDS, import_network


class Command(BaseCommand):
    help = (
        "Create or update network organizations or members from a UTF-8 CSV file (columns: "
        "see docs/network.md). Bad rows are reported with their line number and skipped; good "
        "rows are kept; rows are matched on their code, so a second import updates. Exits "
        "with an error when any row was refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS, help="What the file holds.")
        parser.add_argument("file", type=Path, help="The CSV file to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and report, but write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            text = decode_csv(path.read_bytes())
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        except CsvFileError as error:
            raise CommandError(error.message) from None
        report = import_network(
            kind=options["kind"],
            rows=io.StringIO(text, newline=""),
            by=None,
            dry_run=options["dry_run"],
        )
        if report.file_errors:
            raise CommandError(" ".join(report.file_errors))
        for name in report.ignored_columns:
            self.stderr.write(_("Unknown column ignored: %(name)s") % {"name": name})
        for issue in report.errors:
            self.stderr.write(self.style.ERROR(_("line %(line)s: %(message)s") % vars(issue)))
        counts = report.counts()
        if report.dry_run:
            summary = _(
                "Dry run, nothing was written. Would create %(created)s, update %(updated)s, "
                "leave %(unchanged)s unchanged; %(bad_rows)s bad rows."
            )
        else:
            summary = _(
                "Created %(created)s, updated %(updated)s, unchanged %(unchanged)s; "
                "%(bad_rows)s bad rows."
            )
        self.stdout.write(summary % counts)
        if report.bad_rows:
            raise CommandError(_("%(bad_rows)s rows were not imported (see above).") % counts)
