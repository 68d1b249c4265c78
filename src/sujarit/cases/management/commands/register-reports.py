"""``sujarit register-reports``: make cases of the reports the API acknowledged."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils.translation import gettext as _

from sujarit.cases.actions.inbox import (
    TIDY_AFTER,
    burst_under_way,
    register_pending,
    tidy_inbox,
)
from sujarit.cases.management.scheduling import add_schedule_option, report_schedule
from sujarit.cases.tasks import schedule_inbox_check


class Command(BaseCommand):
    help = (
        "Register the reports the API acknowledged (the intake inbox) as cases, in the order "
        "they came, and keep doing so until stopped; with --once, register what is waiting "
        "and stop. Several may run at once. Run it beside the web server (make run does)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_schedule_option(parser, "every-minute safety-net")
        parser.add_argument("--once", action="store_true", help="Stop when nothing is waiting.")
        parser.add_argument(
            "--batch",
            type=int,
            default=10,
            help="Reports per transaction (a burst is noticed between two transactions).",
        )
        parser.add_argument(
            "--idle", type=float, default=0.2, help="Seconds to wait when nothing is waiting."
        )
        parser.add_argument(
            "--nice",
            type=int,
            default=19,
            help="Lower this process's CPU priority by this much (19, the most, by default), "
            "so that acknowledging citizens' reports comes first when the machine is busy "
            "and registering catches up when it is not (0: not at all).",
        )
        parser.add_argument(
            "--burst",
            type=int,
            default=20,
            help="Reports arriving within one second that make a burst: while one lasts, "
            "registering waits (at most --patience seconds) so that acknowledging citizens "
            "has the machine (0: never wait). Not with --once.",
        )
        parser.add_argument(
            "--patience",
            type=float,
            default=30.0,
            help="The longest a report waits for registration because of a burst (seconds).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            report_schedule(
                self.stdout,
                schedule_inbox_check(),
                already=_("The inbox check is already scheduled."),
                scheduled=_(
                    "Scheduled the inbox check (task %(id)s): the task worker registers "
                    "reports left waiting more than a minute, every minute."
                ),
            )
            return
        if options["nice"] > 0:
            os.nice(options["nice"])
        stopping = False

        def stop(*_args: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        total = failed = 0
        batch = max(options["batch"], 1)
        burst = 0 if options["once"] else max(options["burst"], 0)
        checked = 0.0
        since_tidy = 0
        while not stopping:
            if not connection.in_atomic_block:
                # A long-running loop: drop a connection the database has closed.
                close_old_connections()
            # Whether a burst is under way, asked at most five times a second.
            if burst and time.monotonic() - checked >= 0.2:
                checked = time.monotonic()
                if burst_under_way(busy=burst, patience=options["patience"]):
                    time.sleep(0.25)
                    continue
            done = register_pending(batch=batch)
            total += done.registered
            failed += done.failed
            since_tidy += done.registered
            if done.registered + done.failed == 0:
                if since_tidy >= TIDY_AFTER and tidy_inbox():
                    since_tidy = 0
                if options["once"]:
                    break
                time.sleep(options["idle"])
            elif options["verbosity"] > 1:
                self.stdout.write(
                    _("%(registered)s registered, %(failed)s failed")
                    % {"registered": done.registered, "failed": done.failed}
                )
        self.stdout.write(
            _("Reports registered as cases: %(count)s; failed: %(failed)s")
            % {"count": total, "failed": failed}
        )
