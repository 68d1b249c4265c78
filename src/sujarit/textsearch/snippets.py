"""A short extract of a case's text around the first place a search term occurs, marked."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sujarit.lib.thaidate import to_arabic_digits
from sujarit.textsearch.query import Term

WIDTH = 60


def snippet(text: str, terms: Sequence[Term], *, width: int = WIDTH) -> SafeString:
    """About ``2 * width`` characters of ``text`` around the first term found, the term in
    ``<mark>``; the start of the text when no term is found as typed (it matched through
    normalisation or segmentation only). Everything else is escaped."""
    # Same length as the text, so positions found in it are positions in the text.
    haystack = to_arabic_digits(text).lower()
    if len(haystack) != len(text):  # a rare letter whose lower case is longer (İ)
        haystack = to_arabic_digits(text)
    best: tuple[int, int] | None = None
    for term in terms:
        for needle in (term.text, *term.tokens):
            at = haystack.find(needle)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, len(needle))
                break
    if best is None:
        cut = text[: 2 * width]
        return mark_safe(escape(cut) + ("…" if len(text) > len(cut) else ""))  # noqa: S308
    at, length = best
    start, end = max(0, at - width), min(len(text), at + length + width)
    return mark_safe(  # noqa: S308 - every piece of text is escaped
        ("…" if start > 0 else "")
        + escape(text[start:at])
        + "<mark>"
        + escape(text[at : at + length])
        + "</mark>"
        + escape(text[at + length : end])
        + ("…" if end < len(text) else "")
    )
