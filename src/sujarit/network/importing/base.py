"""What both network imports share: the header check, cell parsers, the run loop.

The file handling (encoding, byte-order mark, header check, physical line numbers of rows that
span lines) is the agency importer's, reused as it is with each import's own columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import TextIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from sujarit.agencies.importing import CsvFileError, ImportReport, RowIssue, open_csv
from sujarit.lib.thaidate import BE_OFFSET, to_arabic_digits

#: Each row function returns "created", "updated" or "unchanged", or raises
#: ``RowError`` / ``ValidationError`` / ``PermissionDenied``.
RowFunction = Callable[[int, dict[str, str]], str]

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_THAI_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class RowError(Exception):
    """A row cannot be imported; ``messages`` are translated sentences."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def parse_date(text: str) -> dt.date:
    """``2566-03-16``, ``2023-03-16`` or ``16/03/2566``; a year from 2400 is Buddhist era."""
    value = to_arabic_digits(text.strip())
    match = _ISO_DATE.match(value)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _THAI_DATE.match(value)
        if not match:
            raise ValueError(value)
        day, month, year = (int(part) for part in match.groups())
    if year >= 2400:
        year -= BE_OFFSET
    return dt.date(year, month, day)


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in {"", "1", "yes", "true", "y", "ใช่"}:
        return True
    if value in {"0", "no", "false", "n", "ไม่"}:
        return False
    raise ValueError(value)


def run_import(
    rows: Iterable[str] | TextIO,
    *,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    dry_run: bool,
    row_function: Callable[[list[str]], RowFunction],
) -> ImportReport:
    """Read the file and hand each row to the row function in its own savepoint.

    ``row_function(header)`` returns the function that imports one row. A bad row is reported
    with its physical line number and skipped; the good rows are kept.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        csv_rows = open_csv(rows, columns=columns, required=required)
    except CsvFileError as error:
        report.file_errors.append(error.message)
        return report
    report.ignored_columns = csv_rows.ignored_columns
    import_row = row_function(csv_rows.header)
    try:
        for line, values in csv_rows:
            _one_row(import_row, line, values, report)
    except csv.Error as error:
        report.file_errors.append(_("The file cannot be read as CSV: %(error)s") % {"error": error})
    return report


def _one_row(
    import_row: RowFunction, line: int, values: dict[str, str], report: ImportReport
) -> None:
    if "__too_many__" in values:
        report.errors.append(
            RowIssue(
                line,
                _("The row has more cells than the header has columns (%(count)s).")
                % {"count": values["__too_many__"]},
            )
        )
        return
    try:
        with transaction.atomic():
            outcome = import_row(line, values)
    except RowError as error:
        report.errors.extend(RowIssue(line, message) for message in error.messages)
        return
    except PermissionDenied:
        report.errors.append(RowIssue(line, _("You may not change this record.")))
        return
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            report.errors.extend(
                RowIssue(line, f"{name}: {message}" if name != "__all__" else str(message))
                for name, messages in error.message_dict.items()
                for message in messages
            )
        else:
            report.errors.extend(RowIssue(line, str(message)) for message in error.messages)
        return
    except DatabaseError:
        report.errors.append(RowIssue(line, _("The database refused this row.")))
        return
    if outcome == "created":
        report.created += 1
    elif outcome == "updated":
        report.updated += 1
    else:
        report.unchanged += 1
