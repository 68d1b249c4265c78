"""``sujarit purge-personal-data``: apply the retention policy now, or schedule the daily task."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sujarit.cases.management.scheduling import add_schedule_option, report_schedule
from sujarit.cases.tasks import purge_expired, schedule_purge


class Command(BaseCommand):
    help = (
        "Purge the personal data (contact details, the text of messages, evidence files) of "
        "cases whose retention period has passed, keeping the anonymised case. With --schedule, "
        "enqueue the background task that does this every day instead; a worker "
        "(`sujarit db_worker`) runs it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List the cases that are due; purge nothing."
        )
        add_schedule_option(parser, "daily")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            report_schedule(
                self.stdout,
                schedule_purge(),
                already=_("The retention task is already scheduled."),
                scheduled=_("Retention task scheduled (%(id)s); a worker runs it every day."),
            )
            return
        run = purge_expired(dry_run=options["dry_run"])
        references = ", ".join(f"C-{pk:06d}" for pk in run.cases)
        if options["dry_run"]:
            message = ngettext(
                "%(count)s case is past its retention period: %(cases)s",
                "%(count)s cases are past their retention period: %(cases)s",
                len(run.cases),
            )
        else:
            message = ngettext(
                "Personal data purged from %(count)s case: %(cases)s",
                "Personal data purged from %(count)s cases: %(cases)s",
                len(run.cases),
            )
        self.stdout.write(message % {"count": len(run.cases), "cases": references or "-"})
