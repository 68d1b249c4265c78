"""``sujarit reindex``: rebuild the case search index from the database."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sujarit.cases.actions.duplicates import rebuild_fingerprints
from sujarit.textsearch.indexing import BATCH, apply_pending, rebuild, tantivy_enabled


class Command(BaseCommand):
    help = (
        "Recompute every case's segmented text and rebuild the search indexes from it "
        "(safe while the site runs: changes made meanwhile are queued and applied at the end). "
        "Also computes the duplicate-finding fingerprints that are missing or out of date. "
        "With --pending, only apply queued changes to the embedded index."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=BATCH, help="cases per batch")
        parser.add_argument(
            "--pending", action="store_true", help="only apply the queued index changes"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["pending"]:
            applied = apply_pending() if tantivy_enabled() else 0
            self.stdout.write(f"{applied} queued changes applied.")
            return
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-9)
            self.stdout.write(f"{done:,}/{total:,} cases ({rate:,.0f}/s)")

        done = rebuild(batch=max(options["batch"], 1), progress=progress)
        if tantivy_enabled():
            apply_pending()
        fingerprints = rebuild_fingerprints(everything=False, batch=max(options["batch"], 1))
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Reindexed {done:,} cases and computed {fingerprints:,} missing duplicate "
                f"fingerprints in {elapsed:.1f} s."
            )
        )
