"""The ``--schedule`` option shared by the commands whose work a recurring task repeats
(``sla-reminders``, ``purge-personal-data``, ``sweep-evidence``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser, OutputWrapper


def add_schedule_option(parser: CommandParser, period: str) -> None:
    """``--schedule``: enqueue the recurring task instead of doing the work now."""
    parser.add_argument(
        "--schedule",
        action="store_true",
        help=f"Enqueue the recurring {period} task (nothing happens if a run is already waiting).",
    )


def report_schedule(
    out: OutputWrapper, queued: Any | None, *, already: str, scheduled: str
) -> None:
    """Say whether the task was enqueued (``scheduled``, with ``%(id)s``) or was waiting."""
    out.write(already if queued is None else scheduled % {"id": queued.pk})
