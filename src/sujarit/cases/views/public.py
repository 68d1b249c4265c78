"""Public accountability pages: published cases and the province's figures.

Everything here reads through ``queries.published_cases()`` (the one door through which the
public sees cases), so a page can show only what a coordinator approved for publication: the
public title, summary and outcome, the kind, area, agencies and status. Never identities,
the report's own words, evidence or staff names.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sujarit.cases import queries
from sujarit.cases.models import CaseStatus, ReportKind
from sujarit.geo.models import Province
from sujarit.lib.thaidate import MONTHS_EN, MONTHS_TH, be_year, to_thai_digits

PER_PAGE = 20
#: Geometry of the SVG bar charts (user units; the chart scales to its box).
CHART_WIDTH = 640
LABEL_WIDTH = 240
BAR_SPACE = 330
ROW_HEIGHT = 26


def month_label(value: date | datetime) -> str:
    """``มีนาคม 2566`` in Thai (Buddhist era), ``March 2023`` in English."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if (get_language() or "th").startswith("en"):
        return f"{MONTHS_EN[value.month - 1]} {value.year}"
    text = f"{MONTHS_TH[value.month - 1]} {be_year(value)}"
    return to_thai_digits(text) if settings.SUJARIT_THAI_DIGITS else text


@require_GET
def published(request: HttpRequest) -> HttpResponse:
    cases = queries.published_cases().prefetch_related(queries.published_referral_agencies())
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "cases/public/list.html", {"page": page})


@require_GET
def published_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_published_case(pk)
    prefetch_related_objects([case], queries.published_referral_agencies())
    return render(
        request,
        "cases/public/detail.html",
        {"case": case, "received_month": month_label(case.created_at)},
    )


def _bars(rows: list[tuple[str, int]]) -> dict[str, Any]:
    """A horizontal bar chart of ``(label, count)`` rows, laid out for an inline SVG."""
    top = max((count for _label, count in rows), default=0) or 1
    bars = [
        {
            "label": label,
            "count": count,
            "y": index * ROW_HEIGHT,
            "text_y": index * ROW_HEIGHT + ROW_HEIGHT - 9,
            "width": max(1, round(BAR_SPACE * count / top)),
            "count_x": LABEL_WIDTH + max(1, round(BAR_SPACE * count / top)) + 6,
        }
        for index, (label, count) in enumerate(rows)
    ]
    return {
        "rows": bars,
        "height": max(ROW_HEIGHT, len(rows) * ROW_HEIGHT),
        "width": CHART_WIDTH,
        "label_width": LABEL_WIDTH,
        "bar_x": LABEL_WIDTH,
        "bar_height": ROW_HEIGHT - 8,
        "total": sum(count for _label, count in rows),
    }


@require_GET
def published_stats(request: HttpRequest) -> HttpResponse:
    code = settings.SUJARIT_PROVINCE
    counts = queries.published_counts(code)
    english = (get_language() or "th").startswith("en")

    def area(row: dict[str, Any]) -> str:
        # The English name when English is chosen and the row has one, else the Thai name.
        suffix = "_en" if english else "_th"
        sub = row[f"subdistrict__name{suffix}"] or row["subdistrict__name_th"]
        district = (
            row[f"subdistrict__district__name{suffix}"] or row["subdistrict__district__name_th"]
        )
        return f"{sub} · {district}"

    charts: list[dict[str, Any]] = [
        {
            "slug": "kind",
            "heading": _("By kind"),
            "chart": _bars(
                [(str(ReportKind(row["kind"]).label), row["n"]) for row in counts["kind"]]
            ),
        },
        {
            "slug": "status",
            "heading": _("By status"),
            "chart": _bars(
                [(str(CaseStatus(row["status"]).label), row["n"]) for row in counts["status"]]
            ),
        },
        {
            "slug": "subdistrict",
            "heading": _("By subdistrict"),
            "chart": _bars([(area(row), row["n"]) for row in counts["subdistrict"]]),
        },
        {
            "slug": "month",
            "heading": _("By month received"),
            "chart": _bars(
                [(month_label(row["month"]), row["n"]) for row in counts["month"] if row["month"]]
            ),
        },
    ]
    context = {
        "province": Province.objects.defer("boundary").filter(code=code).first(),
        "charts": charts,
        "total": charts[0]["chart"]["total"],
    }
    return render(request, "cases/public/stats.html", context)


urlpatterns: list[URLPattern] = [
    path("published/", published, name="published"),
    path("published/figures/", published_stats, name="published-stats"),
    path("published/<int:pk>/", published_case, name="published-case"),
]
