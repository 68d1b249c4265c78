"""``sujarit load-agencies``: load the reference agencies of the configured province."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sujarit.agencies.actions import GeoNotLoaded, load_reference_agencies


class Command(BaseCommand):
    help = (
        "Create or update the national, regional and provincial agencies of the configured "
        "province (SUJARIT_PROVINCE) from the reference data shipped with Sujarit. Needs "
        "`sujarit load-geo` first. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            default=None,
            help="DOPA code of the province (default: SUJARIT_PROVINCE).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["province"] or settings.SUJARIT_PROVINCE
        try:
            report = load_reference_agencies(province_code=code)
        except GeoNotLoaded:
            raise CommandError(
                _("Province %(code)s is not in the database: run “sujarit load-geo” first.")
                % {"code": code}
            ) from None
        self.stdout.write(
            _(
                "Agencies for province %(code)s: %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged."
            )
            % {
                "code": code,
                "created": len(report.created),
                "updated": len(report.updated),
                "unchanged": len(report.unchanged),
            }
        )
        for note in report.notes:
            self.stdout.write(_("Note: %(note)s") % {"note": note})
