"""Importing organizations and members from CSV (columns: docs/network.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from django.db import transaction

from sujarit.accounts.queries import AnyUser
from sujarit.agencies.importing import ImportReport
from sujarit.audit.actions import record
from sujarit.network.actions.common import actor
from sujarit.network.importing import members, organizations
from sujarit.network.importing.base import run_import

KINDS = ("organizations", "members")


@transaction.atomic
def import_network(
    *, kind: str, rows: Iterable[str] | TextIO, by: AnyUser | None, dry_run: bool
) -> ImportReport:
    """Create or update organizations or members from CSV lines.

    Each row is saved in its own savepoint, so a bad row is reported (with its line) and
    skipped while the good rows are kept; the run is one transaction, rolled back at the end
    of a dry run. Rows are matched on ``code``, so importing a file again updates the records
    instead of duplicating them. Rows are checked against ``by``'s rights (``None``: the
    system, from the command line).
    """
    if kind == "organizations":
        report = run_import(
            rows,
            columns=organizations.COLUMNS,
            required=organizations.REQUIRED,
            dry_run=dry_run,
            row_function=organizations.organization_rows(by),
        )
    elif kind == "members":
        report = run_import(
            rows,
            columns=members.COLUMNS,
            required=members.REQUIRED,
            dry_run=dry_run,
            row_function=members.member_rows(by),
        )
    else:
        raise ValueError(kind)
    record(
        actor=actor(by),
        action=f"network.{kind}_imported",
        data={**report.counts(), "dry_run": dry_run},
    )
    if dry_run:
        transaction.set_rollback(True)
    return report
