"""``sujarit load-routing-rules``: load the default routing rules and admissibility items."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sujarit.cases.rules import Counts, DefaultDataError, load_default_rules


class Command(BaseCommand):
    help = (
        "Create or update the default routing rules and admissibility checklists shipped with "
        "Sujarit (src/sujarit/cases/data). Rules an administrator created are never touched; "
        "defaults an administrator changed or switched off are kept as they are unless "
        "--restore is given. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--restore",
            action="store_true",
            help="Put the shipped version back on defaults an administrator changed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_default_rules(restore=options["restore"])
        except DefaultDataError as error:
            raise CommandError(str(error)) from None
        self._write(_("Routing rules"), report.rules)
        self._write(_("Admissibility items"), report.items)

    def _write(self, title: str, counts: Counts) -> None:
        self.stdout.write(
            _(
                "%(title)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                "%(kept)s kept as an administrator changed them, %(retired)s switched off "
                "(no longer shipped)."
            )
            % {
                "title": title,
                "created": len(counts.created),
                "updated": len(counts.updated),
                "unchanged": len(counts.unchanged),
                "kept": len(counts.kept),
                "retired": len(counts.retired),
            }
        )
        for code in counts.kept:
            self.stdout.write(_("Kept (changed by an administrator): %(code)s") % {"code": code})
        for code in counts.taken:
            self.stdout.write(
                _("Not loaded: an administrator's own entry uses the code %(code)s")
                % {"code": code}
            )
