"""The coordination centre's work queues: which cases each tab lists, the filters, and paging.

Paging is by keyset ("seek"): a page is the next rows after the last one shown, found through
an index, so page 50 costs what page 1 costs however many cases there are. There is no OFFSET
and no count over the whole table; a tab shows its size only up to ``COUNT_CAP``.

Every tab but "overdue" lists the newest cases first, ordered by ``(created_at, id)``
descending, which the ``case_*_queue`` indexes of ``Case`` serve; "overdue" lists the oldest
deadline first, ordered by ``(due_at, id)``, which ``case_due`` serves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sujarit.cases.models import Case, CaseStatus, Message, Referral, ReferralStatus
from sujarit.cases.queries import overdue_cases
from sujarit.geo.models import Subdistrict

PAGE_SIZE = 50
#: Tabs show how many cases they hold up to this many ("1,000+" beyond): counting further
#: would read the whole queue.
COUNT_CAP = 1000

#: Statuses in which the case waits for an agency.
AWAITING_AGENCY = (CaseStatus.REFERRED, CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS)
#: Statuses in which an unrouted case still waits for the coordinator's routing decision.
BEFORE_REFERRAL = (CaseStatus.RECEIVED, CaseStatus.SCREENING)


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str | Promise
    #: The cases of the tab at ``now``, before filters and ordering.
    cases: Callable[[datetime], QuerySet[Case]]
    #: The field the tab is ordered by (then ``id``), and whether newest first.
    order_field: str = "created_at"
    descending: bool = True


TABS: tuple[Tab, ...] = (
    Tab("new", _("New"), lambda now: Case.objects.filter(status=CaseStatus.RECEIVED)),
    Tab("screening", _("Screening"), lambda now: Case.objects.filter(status=CaseStatus.SCREENING)),
    Tab(
        "overdue",
        _("Overdue"),
        lambda now: overdue_cases(now).order_by(),
        order_field="due_at",
        descending=False,
    ),
    # A referral not acknowledged in time keeps its case in "referred" (only the agency moves
    # it on): such cases are here, flagged on their row, and in "overdue" once the case's
    # own deadline has passed.
    Tab(
        "awaiting",
        _("Awaiting agency"),
        lambda now: Case.objects.filter(status__in=AWAITING_AGENCY),
    ),
    Tab(
        "unrouted",
        _("Unrouted"),
        lambda now: Case.objects.filter(unrouted=True, status__in=BEFORE_REFERRAL),
    ),
    Tab("all", _("All cases"), lambda now: Case.objects.all()),
)
TABS_BY_SLUG = {tab.slug: tab for tab in TABS}
DEFAULT_TAB = "new"


@dataclass(frozen=True)
class Filters:
    """The queue filters; each one set narrows the tab, and they combine."""

    kind: str = ""
    status: str = ""
    district: str = ""
    subdistrict: str = ""
    agency: int | None = None
    received_from: date | None = None
    received_to: date | None = None

    def apply(self, cases: QuerySet[Case]) -> QuerySet[Case]:
        if self.kind:
            cases = cases.filter(kind=self.kind)
        if self.status:
            cases = cases.filter(status=self.status)
        if self.subdistrict:
            cases = cases.filter(subdistrict_id=self.subdistrict)
        elif self.district:
            # A subquery, not a join: the case indexes stay usable for the ordering.
            in_district = Subdistrict.objects.filter(district_id=self.district).values("code")
            cases = cases.filter(subdistrict_id__in=in_district)
        if self.agency is not None:
            referred = Referral.objects.filter(case=OuterRef("pk"), agency_id=self.agency)
            cases = cases.filter(Exists(referred))
        if self.received_from is not None:
            cases = cases.filter(created_at__gte=_start_of(self.received_from))
        if self.received_to is not None:
            cases = cases.filter(created_at__lt=_start_of(self.received_to + timedelta(days=1)))
        return cases


def _start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the site's time zone (Asia/Bangkok)."""
    return timezone.make_aware(datetime.combine(day, time.min))


# --- keyset cursors -----------------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """A position in a queue: the ordering value and id of a row."""

    value: datetime
    id: int

    def encode(self) -> str:
        """A short URL-safe token: microseconds since the epoch (UTC), a dot, the id."""
        delta = self.value.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
        micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        return f"{micros}.{self.id}"

    @classmethod
    def decode(cls, token: str) -> Cursor | None:
        """The cursor a token stands for; ``None`` for anything malformed."""
        micros_text, _dot, id_text = token.partition(".")
        try:
            micros, pk = int(micros_text), int(id_text)
            value = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)
        except (ValueError, OverflowError):
            return None
        if pk < 1:
            return None
        return cls(value=value, id=pk)

    @classmethod
    def of(cls, case: Case, field: str) -> Cursor:
        return cls(value=getattr(case, field), id=case.pk)


def _beyond(field: str, cursor: Cursor, *, forward: bool) -> Q:
    """Rows strictly beyond ``cursor`` in the direction of travel, on ``(field, id)``.

    Written as ``field >= v AND (field > v OR id > i)`` (or the mirror) rather than an
    OR alone, so that the database starts the index range at the cursor instead of filtering
    from the first row: this is what keeps page 50 as fast as page 1.
    """
    if forward:
        return Q(**{f"{field}__gte": cursor.value}) & (
            Q(**{f"{field}__gt": cursor.value}) | Q(id__gt=cursor.id)
        )
    return Q(**{f"{field}__lte": cursor.value}) & (
        Q(**{f"{field}__lt": cursor.value}) | Q(id__lt=cursor.id)
    )


@dataclass(frozen=True)
class Page:
    rows: list[Case]
    #: Token of the page after this one, if there is one.
    next_cursor: str | None
    #: Token of the page before this one, if there is one.
    previous_cursor: str | None


def page_rows(
    cases: QuerySet[Case], tab: Tab, *, after: str = "", before: str = "", size: int = PAGE_SIZE
) -> QuerySet[Case]:
    """The query of one page, ``size + 1`` rows in the direction of travel: after ``after``,
    before ``before`` (rows then come in reverse order), or from the start."""
    field = tab.order_field
    descending = tab.descending
    before_cursor = Cursor.decode(before) if before else None
    if before_cursor is not None:
        # Walk backwards from the cursor: the reverse of the tab's order.
        return cases.filter(_beyond(field, before_cursor, forward=descending)).order_by(
            *_ordering(field, descending=not descending)
        )[: size + 1]
    after_cursor = Cursor.decode(after) if after else None
    if after_cursor is not None:
        cases = cases.filter(_beyond(field, after_cursor, forward=not descending))
    return cases.order_by(*_ordering(field, descending=descending))[: size + 1]


def page_of(
    cases: QuerySet[Case],
    tab: Tab,
    *,
    after: str = "",
    before: str = "",
    size: int = PAGE_SIZE,
) -> Page:
    """One page of ``cases`` in ``tab``'s order: the first page, the page after the row
    ``after`` names, or the page before the row ``before`` names. Reads ``size + 1`` rows
    to know whether there is more, and nothing else."""
    field = tab.order_field
    if before and Cursor.decode(before) is not None:
        rows = list(page_rows(cases, tab, before=before, size=size))
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return Page(
            rows=rows,
            next_cursor=Cursor.of(rows[-1], field).encode() if rows else None,
            previous_cursor=Cursor.of(rows[0], field).encode() if rows and more_before else None,
        )
    moved = bool(after) and Cursor.decode(after) is not None
    rows = list(page_rows(cases, tab, after=after if moved else "", size=size))
    more_after = len(rows) > size
    rows = rows[:size]
    return Page(
        rows=rows,
        next_cursor=Cursor.of(rows[-1], field).encode() if rows and more_after else None,
        previous_cursor=Cursor.of(rows[0], field).encode() if rows and moved else None,
    )


def _ordering(field: str, *, descending: bool) -> tuple[str, str]:
    sign = "-" if descending else ""
    return (f"{sign}{field}", f"{sign}id")


# --- the queue page -----------------------------------------------------------------------


def queue_cases(tab: Tab, filters: Filters, *, now: datetime | None = None) -> QuerySet[Case]:
    """The cases of ``tab`` narrowed by ``filters``, with what a queue row shows: one query
    for the rows, one for their referrals (see ``mark_rows`` for the rest)."""
    now = now or timezone.now()
    return (
        filters.apply(tab.cases(now))
        .select_related("subdistrict", "subdistrict__district", "assigned_to")
        .only(
            "id",
            "kind",
            "status",
            "created_at",
            "due_at",
            "unrouted",
            "is_published",
            "is_demo",
            "subdistrict__code",
            "subdistrict__name_th",
            "subdistrict__name_en",
            "subdistrict__district__code",
            "subdistrict__district__name_th",
            "subdistrict__district__name_en",
            "assigned_to__id",
            "assigned_to__username",
        )
        .prefetch_related(
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related("agency").only(
                    "id",
                    "case_id",
                    "status",
                    "due_at",
                    "agency__id",
                    "agency__name_th",
                    "agency__name_en",
                    "agency__short_name_th",
                    "agency__short_name_en",
                ),
            )
        )
    )


def mark_rows(rows: list[Case], *, now: datetime | None = None) -> None:
    """Flag each row of a page: ``has_late_referral`` (an agency has not acknowledged in
    time, from the prefetched referrals) and ``has_unread_message`` (one query for the page).

    Done per page rather than as subqueries of the queue's query: over a million cases the
    database would otherwise hash every referral and message to answer for 50 rows."""
    now = now or timezone.now()
    unread = (
        set(
            Message.objects.filter(
                case_id__in=[row.pk for row in rows],
                sender=Message.Sender.COMPLAINANT,
                read_by_centre_at__isnull=True,
            ).values_list("case_id", flat=True)
        )
        if rows
        else set()
    )
    for row in rows:
        row.has_late_referral = any(  # type: ignore[attr-defined]
            referral.status == ReferralStatus.SENT
            and referral.due_at is not None
            and referral.due_at < now
            for referral in row.referrals.all()
        )
        row.has_unread_message = row.pk in unread  # type: ignore[attr-defined]


def tab_sizes(*, now: datetime | None = None) -> dict[str, int]:
    """How many cases each tab but "all" holds, counted up to ``COUNT_CAP`` (one bounded
    query per tab)."""
    now = now or timezone.now()
    return {
        tab.slug: tab.cases(now).order_by()[:COUNT_CAP].count() for tab in TABS if tab.slug != "all"
    }


def page_query(params: dict[str, Any], **changes: Any) -> str:
    """The query string of the queue page with ``changes`` applied (empty values dropped)."""
    merged = {**params, **changes}
    return urlencode({key: value for key, value in merged.items() if value not in ("", None)})
