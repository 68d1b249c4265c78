"""Reads for the public pages: what anyone may see of the networks, with few queries.

Nothing here returns members' personal data: organizations come with member counts only.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from sujarit.geo.models import Subdistrict
from sujarit.lib.thaidate import MONTHS_EN, MONTHS_TH, be_year
from sujarit.network.coverage import mous_in_force
from sujarit.network.models import (
    Activity,
    Answer,
    Award,
    AwardContest,
    Member,
    Organization,
    Training,
    Visit,
)


def award_statistics(province_code: str) -> list[AwardContest]:
    """Contests won by the province's organizations, each with ``network_wins``: the
    "network winners 11 of 23" figure (``network_wins`` of ``total_awards``)."""
    return list(
        AwardContest.objects.annotate(
            network_wins=Count(
                "awards",
                filter=Q(awards__organization__province_id=province_code),
                distinct=True,
            )
        )
        .filter(network_wins__gt=0)
        .select_related("giver")
        .order_by("-year", "name_th")
    )


def contests_with_awards(province_code: str) -> list[AwardContest]:
    awards = Award.objects.select_related("organization").order_by(
        "category", "organization__name_th"
    )
    return list(
        AwardContest.objects.annotate(
            network_wins=Count(
                "awards",
                filter=Q(awards__organization__province_id=province_code),
                distinct=True,
            )
        )
        .filter(network_wins__gt=0)
        .select_related("giver")
        .prefetch_related(Prefetch("awards", queryset=awards))
        .order_by("-year", "name_th")
    )


def covered_subdistrict_count(province_code: str, day: dt.date) -> int:
    return int(
        Subdistrict.objects.filter(
            province_id=province_code,
            pk__in=mous_in_force(province_code, day).values("subdistricts"),
        ).count()
    )


def trained_member_count(organization: Organization) -> int:
    return int(
        Training.objects.filter(member__organization=organization, member__is_active=True)
        .values("member")
        .distinct()
        .count()
    )


def activities_of(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    """Activities with what a list shows: organizers, subdistrict and total attendance."""
    return (
        queryset.select_related("subdistrict", "plan_activity")
        .defer("subdistrict__boundary", "report")
        .annotate(people=Coalesce(Sum("attendance__count"), 0))
        .prefetch_related(
            Prefetch("organizers", queryset=Organization.objects.only("code", "name_th", "name_en"))
        )
    )


#: Day names from Sunday, the first day of the week on Thai calendars.
WEEKDAYS_TH = ("อา.", "จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.")
WEEKDAYS_EN = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")


@dataclass
class CalendarDay:
    day: dt.date | None
    activities: list[Activity]


@dataclass
class Month:
    first: dt.date
    weeks: list[list[CalendarDay]]
    activities: list[Activity]

    @property
    def label(self) -> str:
        """ "พฤศจิกายน 2569" in Thai (Buddhist era), "November 2026" in English."""
        if (get_language() or "th").startswith("en"):
            return f"{MONTHS_EN[self.first.month - 1]} {self.first.year}"
        return f"{MONTHS_TH[self.first.month - 1]} {be_year(self.first)}"

    @property
    def weekdays(self) -> tuple[str, ...]:
        english = (get_language() or "th").startswith("en")
        return WEEKDAYS_EN if english else WEEKDAYS_TH

    @property
    def previous(self) -> dt.date:
        return (self.first - dt.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> dt.date:
        return (self.first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def month_calendar(province_code: str, first: dt.date) -> Month:
    """The month's activities, laid out in weeks starting on Sunday as Thai calendars do.

    An activity over several days shows on each of its days within the month.
    """
    _weekday, days = calendar.monthrange(first.year, first.month)
    last = first.replace(day=days)
    activities = list(
        activities_of(
            Activity.objects.filter(province_id=province_code, held_on__lte=last).filter(
                Q(held_on__gte=first) | Q(ends_on__gte=first)
            )
        ).order_by("held_on", "pk")
    )
    by_day: dict[dt.date, list[Activity]] = {}
    for activity in activities:
        end = min(activity.ends_on or activity.held_on, last)
        day = max(activity.held_on, first)
        while day <= end:
            by_day.setdefault(day, []).append(activity)
            day += dt.timedelta(days=1)
    weeks = []
    for week in calendar.Calendar(firstweekday=calendar.SUNDAY).monthdatescalendar(
        first.year, first.month
    ):
        weeks.append(
            [
                CalendarDay(day if day.month == first.month else None, by_day.get(day, []))
                for day in week
            ]
        )
    return Month(first=first, weeks=weeks, activities=activities)


def subdistrict_section(code: str) -> dict[str, Any]:
    """What the geography's subdistrict page shows of the networks: one query.

    Visits appear as a public summary: the date, the visiting organization, the project and
    how many checklist questions were answered yes or no. Notes and photos stay private.
    """
    visits = list(
        Visit.objects.filter(subdistrict_id=code)
        .select_related("organization")
        .only(
            "visited_on",
            "project_title",
            "project_reference",
            "village",
            "is_demo",
            "organization__code",
            "organization__name_th",
            "organization__name_en",
        )
        .annotate(
            answered_yes=Count("answers", filter=Q(answers__answer=Answer.YES)),
            answered_no=Count("answers", filter=Q(answers__answer=Answer.NO)),
        )
        .order_by("-visited_on", "-pk")[:20]
    )
    return {"network_visits": visits}


def active_member_total(province_code: str) -> int:
    return int(
        Member.objects.filter(
            is_active=True,
            organization__is_active=True,
            organization__province_id=province_code,
        ).count()
    )
