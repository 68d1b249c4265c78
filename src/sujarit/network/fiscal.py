"""The Thai government fiscal year, in the Buddhist era: FY 2569 runs 1 Oct 2025 – 30 Sep 2026."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sujarit.lib.thaidate import BE_OFFSET, fiscal_year_be


def fiscal_year_of(day: dt.date) -> int:
    return fiscal_year_be(day)


def current_fiscal_year() -> int:
    return fiscal_year_be(timezone.localdate())


def fiscal_year_bounds(year_be: int) -> tuple[dt.date, dt.date]:
    """First and last day of a fiscal year given in the Buddhist era."""
    year_ce = year_be - BE_OFFSET
    return dt.date(year_ce - 1, 10, 1), dt.date(year_ce, 9, 30)


def fiscal_year_months(year_be: int) -> list[dt.date]:
    """The first day of each of the twelve months of a fiscal year, October first."""
    start, _end = fiscal_year_bounds(year_be)
    months = []
    year, month = start.year, start.month
    for _ in range(12):
        months.append(dt.date(year, month, 1))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return months
