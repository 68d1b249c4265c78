"""Buddhist-era dates and Thai digits for display.

Thai readers expect the Buddhist era (BE = CE + 543) and Thai month names: 16 มีนาคม 2566.
Dates are stored as ordinary (Gregorian, timezone-aware) values; only display converts.
"""

from __future__ import annotations

import datetime as dt

BE_OFFSET = 543

MONTHS_TH = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
MONTHS_TH_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def to_thai_digits(text: str) -> str:
    """Replace Arabic digits with Thai digits: ``"2566"`` → ``"๒๕๖๖"``."""
    return text.translate(_THAI_DIGITS)


def to_arabic_digits(text: str) -> str:
    """Replace Thai digits with Arabic digits: ``"๒๕๖๖"`` → ``"2566"``."""
    return text.translate(_ARABIC_DIGITS)


def be_year(value: dt.date) -> int:
    return value.year + BE_OFFSET


def format_date(
    value: dt.date,
    *,
    language: str = "th",
    short: bool = False,
    thai_digits: bool = False,
) -> str:
    """Format a date for display.

    Thai: ``16 มีนาคม 2566`` (or ``16 มี.ค. 2566`` when short), in the Buddhist era.
    English: ``16 March 2023`` with the Gregorian year, as English readers expect.
    A datetime is formatted by its own (already localised) calendar date.
    """
    if language.startswith("en"):
        month = MONTHS_EN[value.month - 1]
        return f"{value.day} {month[:3] if short else month} {value.year}"
    month = (MONTHS_TH_SHORT if short else MONTHS_TH)[value.month - 1]
    text = f"{value.day} {month} {be_year(value)}"
    return to_thai_digits(text) if thai_digits else text


def format_datetime(value: dt.datetime, *, language: str = "th", thai_digits: bool = False) -> str:
    """``16 มีนาคม 2566 เวลา 14:05 น.`` in Thai, ``16 March 2023, 14:05`` in English."""
    day = format_date(value, language=language)
    if language.startswith("en"):
        return f"{day}, {value:%H:%M}"
    text = f"{day} เวลา {value:%H:%M} น."
    return to_thai_digits(text) if thai_digits else text


def fiscal_year_be(value: dt.date) -> int:
    """The Thai government fiscal year (BE) a date falls in: it starts on 1 October."""
    return be_year(value) + (1 if value.month >= 10 else 0)
