"""Template filters for Thai display: ``{% load thai %}`` then ``{{ value|thaidate }}``."""

from __future__ import annotations

import datetime as dt

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language

from sujarit.lib import thaidate as dates

register = template.Library()


def _thai_digits() -> bool:
    return bool(settings.SUJARIT_THAI_DIGITS) and (get_language() or "th").startswith("th")


@register.filter
def thaidate(value: dt.date | dt.datetime | None, style: str = "") -> str:
    """A date in the active language: Buddhist era in Thai. ``style`` may be ``"short"``."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return dates.format_date(
        value, language=get_language() or "th", short=style == "short", thai_digits=_thai_digits()
    )


@register.filter
def thaidatetime(value: dt.datetime | None) -> str:
    if value is None or value == "":
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return dates.format_datetime(local, language=get_language() or "th", thai_digits=_thai_digits())


@register.filter
def thainum(value: object) -> str:
    """A number with grouping, in Thai digits when the site is set to use them."""
    if value is None or value == "":
        return ""
    text = (
        number_format(value, force_grouping=True) if isinstance(value, int | float) else str(value)
    )
    return dates.to_thai_digits(text) if _thai_digits() else text
