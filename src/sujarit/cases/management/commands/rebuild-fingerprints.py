"""``sujarit rebuild-fingerprints``: compute the duplicate-finding fingerprints of cases."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from sujarit.cases.actions.duplicates import rebuild_fingerprints


class Command(BaseCommand):
    help = (
        "Compute the fingerprints used to list similar reports, for cases that have none or "
        "one from an older version of the method (every case with --all). Intake computes "
        "them for new reports; run this after an upgrade or an import. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Recompute every fingerprint.")
        parser.add_argument("--batch", type=int, default=500, help="Cases per transaction.")

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            self.stdout.write(_("%(done)s of %(total)s cases") % {"done": done, "total": total})

        count = rebuild_fingerprints(
            everything=options["all"], batch=options["batch"], progress=progress
        )
        self.stdout.write(_("Fingerprints computed: %(count)s") % {"count": count})
