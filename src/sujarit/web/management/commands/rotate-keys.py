"""``sujarit rotate-keys``: re-encrypt every sealed value under the current data key."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sujarit.audit.actions import record
from sujarit.lib import crypto, rotation

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Re-encrypt every sealed value (complainant contact details, evidence files) that is "
        "not under the current data key, the first one in SUJARIT_DATA_KEYS. Works in batches, "
        "one transaction each; if interrupted, run it again and it finishes. --check then tells "
        "whether the old keys can be removed. --new-key NAME prints a fresh key to put first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction.")
        parser.add_argument(
            "--max-batches",
            type=int,
            default=None,
            help="Stop after this many batches per model (a later run continues).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be re-encrypted; change nothing.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Count values still under old keys; exit with status 1 if there are any.",
        )
        parser.add_argument(
            "--new-key", metavar="NAME", help="Print a new random key named NAME and exit."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            try:
                line = crypto.new_key_text(options["new_key"])
                crypto.parse_keys(line)
            except ValueError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(line)
            return
        if options["batch_size"] < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        found = rotation.targets()
        current = crypto.current_key_name()
        if options["check"] or options["dry_run"]:
            self._count(found, current, fail=options["check"])
            return
        self._rotate(found, current, options["batch_size"], options["max_batches"])

    def _count(self, found: list[rotation.Target], current: str, *, fail: bool) -> None:
        stale: Counter[str] = Counter()
        for target in found:
            counts = target.stale()
            stale.update(counts)
            described = ", ".join(f"{key}: {n}" for key, n in sorted(counts.items())) or "-"
            self.stdout.write(f"{target.label}: {described}")
        left = sum(stale.values())
        if not left:
            self.stdout.write(
                _("Every sealed value is under the current key %(key)s; older keys can be removed.")
                % {"key": current}
            )
            return
        message = _(
            "%(count)s values are still under old keys (%(keys)s); keep those keys and run "
            "rotate-keys."
        ) % {"count": left, "keys": ", ".join(sorted(stale))}
        if fail:
            raise CommandError(message, returncode=1)
        self.stdout.write(message)

    def _rotate(
        self, found: list[rotation.Target], current: str, batch_size: int, max_batches: int | None
    ) -> None:
        values: dict[str, int] = {}
        finished = True
        for target in found:
            run = rotation.rotate(
                target,
                batch_size=batch_size,
                max_batches=max_batches,
                progress=self._progress_bar(target.label),
            )
            if self.stdout.isatty():
                self.stdout.write("")
            self.stdout.write(
                _("%(target)s: %(values)s values re-encrypted in %(rows)s rows.")
                % {"target": target.label, "values": run.values, "rows": run.rows}
            )
            values[target.label] = run.values
            finished = finished and run.finished
        record(
            actor=None,
            action="keys.rotated",
            data={"key": current, "values": values, "finished": finished},
        )
        if finished:
            self.stdout.write(
                _("Done: everything is under key %(key)s. Check with rotate-keys --check.")
                % {"key": current}
            )
        else:
            self.stdout.write(_("Stopped before the end: run rotate-keys again to continue."))

    def _progress_bar(self, label: str) -> rotation.Progress | None:
        # A bar redrawn in place on a terminal; nothing in a log file, where the summary lines
        # say enough.
        if not self.stdout.isatty():
            return None

        def draw(done: int, total: int) -> None:
            filled = BAR_WIDTH * done // total if total else BAR_WIDTH
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stdout.write(f"\r{label} [{bar}] {done}/{total}", ending="")
            self.stdout.flush()

        return draw
