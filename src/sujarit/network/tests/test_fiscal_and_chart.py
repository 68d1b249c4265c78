"""The Thai fiscal year in the Buddhist era, and the progress chart drawn as SVG."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from sujarit.network.charts import progress_chart
from sujarit.network.fiscal import fiscal_year_bounds, fiscal_year_months, fiscal_year_of


def test_fiscal_year_2569_runs_from_october_2025_to_september_2026() -> None:
    assert fiscal_year_bounds(2569) == (dt.date(2025, 10, 1), dt.date(2026, 9, 30))
    assert fiscal_year_of(dt.date(2025, 9, 30)) == 2568
    assert fiscal_year_of(dt.date(2025, 10, 1)) == 2569
    months = fiscal_year_months(2569)
    assert months[0] == dt.date(2025, 10, 1) and months[-1] == dt.date(2026, 9, 1)
    assert len(months) == 12


def test_chart_draws_a_line_and_escapes_its_text() -> None:
    start, end = fiscal_year_bounds(2569)
    with translation.override("th"):
        svg = progress_chart(
            [(dt.date(2025, 10, 31), 0.1), (dt.date(2026, 9, 30), 1.0)],
            start=start,
            end=end,
            months=fiscal_year_months(2569),
            title="<แผน>",
            description="ความก้าวหน้า",
        )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "&lt;แผน&gt;" in svg and "<แผน>" not in svg
    assert "ต.ค." in svg and "ก.ย." in svg
    # The last point is at the right edge and the top (100 %).
    assert '<polyline points="' in svg and "628.0,14.0" in svg
    assert "style=" not in svg


def test_chart_without_points_says_so() -> None:
    start, end = fiscal_year_bounds(2569)
    with translation.override("en"):
        svg = progress_chart([], start=start, end=end, months=[], title="t", description="d")
    assert "No progress recorded yet" in svg and "<polyline" not in svg
