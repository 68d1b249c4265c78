"""``sujarit purge-login-throttles``: forget old counts of failed logins."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sujarit.accounts.actions import purge_login_throttles


class Command(BaseCommand):
    help = (
        "Delete failed-login counts (for unknown usernames and network addresses) that saw "
        "no failure for --days days and hold no lock. Run it daily, e.g. from cron. Keep the "
        "age long (30 days by default): an account's own count never expires, and an unknown "
        "username's count should not visibly behave differently."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="age in days (default 30)")

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_login_throttles(older_than=timedelta(days=max(options["days"], 0)))
        self.stdout.write(f"Deleted {deleted} login throttle rows.")
