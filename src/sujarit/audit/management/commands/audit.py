"""``sujarit audit verify [--anchor FILE]`` and ``sujarit audit anchor [--output FILE]``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sujarit.audit.actions import save_check
from sujarit.audit.chain import anchor_digest, read_anchor, verify_chain


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain (verify), or print its head as a digest a third "
        "party can keep (anchor). See docs/audit.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="COMMAND")
        verify = commands.add_parser(
            "verify",
            help=(
                "Recompute the whole chain; print the first event where it breaks and exit "
                "with status 1, or the number of events checked."
            ),
        )
        verify.add_argument(
            "--anchor",
            type=Path,
            help="A digest written by 'audit anchor': its event must still be in the chain.",
        )
        verify.add_argument(
            "--no-save",
            action="store_true",
            help="Do not keep the outcome for the auditors' status page (a read-only check).",
        )
        anchor = commands.add_parser(
            "anchor", help="Print the chain head (sequence, hash, time) as JSON."
        )
        anchor.add_argument("--output", type=Path, help="Write the digest to this file too.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "anchor":
            self.anchor(options["output"])
        else:
            self.verify(options["anchor"], options["no_save"])

    def anchor(self, output: Path | None) -> None:
        text = json.dumps(anchor_digest(), indent=2) + "\n"
        if output is not None:
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(
                    _("Cannot write %(path)s: %(error)s")
                    % {"path": output, "error": error.strerror}
                ) from None
        self.stdout.write(text, ending="")

    def verify(self, anchor_path: Path | None, no_save: bool) -> None:
        anchor = None
        if anchor_path is not None:
            try:
                anchor = read_anchor(anchor_path.read_text(encoding="utf-8"))
            except OSError as error:
                raise CommandError(
                    _("Cannot read %(path)s: %(error)s")
                    % {"path": anchor_path, "error": error.strerror}
                ) from None
            except ValueError as error:
                raise CommandError(
                    _("%(path)s is not an audit anchor: %(error)s")
                    % {"path": anchor_path, "error": error}
                ) from None
        # Progress only on a terminal: a scheduled run's output stays a single line.
        on_terminal = self.stderr.isatty()

        def progress(checked: int) -> None:
            self.stderr.write(_("%(count)s events checked…") % {"count": checked}, ending="\r")
            self.stderr.flush()

        result = verify_chain(anchor=anchor, progress=progress if on_terminal else None)
        if not no_save:
            save_check(result=result, anchored_seq=anchor["seq"] if anchor is not None else None)
        if on_terminal:
            self.stderr.write(" " * 40, ending="\r")
        broken = result.broken
        if broken is not None:
            raise CommandError(
                _(
                    "The audit chain is broken at event %(seq)s (id %(id)s): %(detail)s. "
                    "%(checked)s events before it are intact."
                )
                % {
                    "seq": broken.seq,
                    "id": broken.id if broken.id is not None else "-",
                    "detail": broken.detail,
                    "checked": result.checked,
                },
                returncode=1,
            )
        message = _("The audit chain is intact: %(count)s events, head %(hash)s.") % {
            "count": result.checked,
            "hash": result.head_hash or "-",
        }
        if anchor is not None:
            message += " " + _("The anchored event %(seq)s is in it unchanged.") % {
                "seq": anchor["seq"]
            }
        self.stdout.write(message)
