"""``sujarit sla-reminders``: send the overdue reminders now, or schedule the hourly task."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from sujarit.cases.management.scheduling import add_schedule_option, report_schedule
from sujarit.cases.tasks import remind_overdue, schedule_reminders


class Command(BaseCommand):
    help = (
        "E-mail reminders of overdue cases (to their coordinators) and of referrals not "
        "acknowledged in time (to the agencies' officers), once per case and state. With "
        "--schedule, enqueue the background task that does this every hour instead; a worker "
        "(`sujarit db_worker`) runs it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_schedule_option(parser, "hourly")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            report_schedule(
                self.stdout,
                schedule_reminders(),
                already=_("The reminder task is already scheduled."),
                scheduled=_("Reminder task scheduled (%(id)s); a worker runs it every hour."),
            )
            return
        run = remind_overdue()
        self.stdout.write(
            _(
                "Reminders sent: %(cases)s overdue cases, %(referrals)s referrals not "
                "acknowledged, in %(emails)s e-mails."
            )
            % {"cases": run.cases, "referrals": run.referrals, "emails": run.emails}
        )
