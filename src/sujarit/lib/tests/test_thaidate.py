from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sujarit.lib.thaidate import (
    fiscal_year_be,
    format_date,
    format_datetime,
    to_arabic_digits,
    to_thai_digits,
)


def test_workshop_day_is_written_in_the_buddhist_era() -> None:
    assert format_date(dt.date(2023, 3, 16)) == "16 มีนาคม 2566"


def test_short_thai_month() -> None:
    assert format_date(dt.date(2023, 3, 16), short=True) == "16 มี.ค. 2566"


def test_thai_digits_option() -> None:
    assert format_date(dt.date(2023, 3, 16), thai_digits=True) == "๑๖ มีนาคม ๒๕๖๖"


def test_english_keeps_the_gregorian_year() -> None:
    assert format_date(dt.date(2023, 3, 16), language="en") == "16 March 2023"
    assert format_date(dt.date(2023, 3, 16), language="en", short=True) == "16 Mar 2023"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2024, 1, 1), "1 มกราคม 2567"),
        (dt.date(2024, 2, 29), "29 กุมภาพันธ์ 2567"),
        (dt.date(2023, 12, 31), "31 ธันวาคม 2566"),
    ],
)
def test_year_boundaries_and_leap_day(day: dt.date, expected: str) -> None:
    assert format_date(day) == expected


def test_datetime_with_time_in_thai_style() -> None:
    moment = dt.datetime(2023, 3, 16, 14, 5, tzinfo=ZoneInfo("Asia/Bangkok"))
    assert format_datetime(moment) == "16 มีนาคม 2566 เวลา 14:05 น."
    assert format_datetime(moment, thai_digits=True) == "๑๖ มีนาคม ๒๕๖๖ เวลา ๑๔:๐๕ น."
    assert format_datetime(moment, language="en") == "16 March 2023, 14:05"


def test_digits_round_trip() -> None:
    assert to_thai_digits("เลขที่ 1567 ปี 2566") == "เลขที่ ๑๕๖๗ ปี ๒๕๖๖"
    assert to_arabic_digits("๑๖ มีนาคม ๒๕๖๖") == "16 มีนาคม 2566"
    assert to_arabic_digits(to_thai_digits("0123456789")) == "0123456789"


@pytest.mark.parametrize(
    ("day", "year"),
    [(dt.date(2023, 9, 30), 2566), (dt.date(2023, 10, 1), 2567), (dt.date(2024, 1, 15), 2567)],
)
def test_fiscal_year_starts_in_october(day: dt.date, year: int) -> None:
    assert fiscal_year_be(day) == year
