"""Progress over time as an inline SVG line chart, drawn on the server.

No script and no chart library: the SVG is part of the page, readable by screen readers
through its title and description, and the page lists the same figures in a table. Colours
are presentation attributes (the content security policy forbids inline styles).
"""

from __future__ import annotations

import datetime as dt

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sujarit.lib.thaidate import MONTHS_EN, MONTHS_TH_SHORT

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 36


def _n(value: float) -> str:
    # Numbers are formatted before they reach format_html, which escapes its arguments.
    return f"{value:.1f}"


def _month_label(day: dt.date) -> str:
    if (get_language() or "th").startswith("en"):
        return MONTHS_EN[day.month - 1][:3]
    return MONTHS_TH_SHORT[day.month - 1]


def progress_chart(
    points: list[tuple[dt.date, float]],
    *,
    start: dt.date,
    end: dt.date,
    title: str,
    description: str,
    months: list[dt.date],
) -> SafeString:
    """A line from the (day, progress 0–1) points over the period from ``start`` to ``end``,
    with a gridline every 25 % and a label on each month in ``months``."""
    span = max((end - start).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return LEFT + plot_w * min(max((day - start).days, 0), span) / span

    def y(value: float) -> float:
        return TOP + plot_h * (1 - min(max(value, 0.0), 1.0))

    grid = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#d0d0d0" stroke-width="1"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#4a4a4a">{}%</text>',
        (
            (
                LEFT,
                _n(y(level / 100)),
                WIDTH - RIGHT,
                _n(y(level / 100)),
                LEFT - 6,
                _n(y(level / 100) + 4),
                level,
            )
            for level in (0, 25, 50, 75, 100)
        ),
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#4a4a4a">{}</text>',
        ((_n(x(month)), HEIGHT - BOTTOM + 16, _month_label(month)) for month in months),
    )
    line = SafeString("")
    dots = SafeString("")
    if points:
        coordinates = " ".join(f"{x(day):.1f},{y(value):.1f}" for day, value in points)
        line = format_html(
            '<polyline points="{}" fill="none" stroke="#0b4f8a" stroke-width="3" '
            'stroke-linejoin="round"/>',
            coordinates,
        )
        dots = format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="3.5" fill="#0b4f8a"/>',
            ((_n(x(day)), _n(y(value))) for day, value in points),
        )
    else:
        line = format_html(
            '<text x="{}" y="{}" text-anchor="middle" font-size="14" fill="#4a4a4a">{}</text>',
            WIDTH // 2,
            HEIGHT // 2,
            _("No progress recorded yet"),
        )
    return format_html(
        '<svg class="progress-chart" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        "chart",
        "chart",
        "chart",
        title,
        "chart",
        description,
        grid,
        ticks,
        line,
        dots,
    )
