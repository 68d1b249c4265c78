"""The work queues: which cases each tab holds, the filters, and keyset paging that neither
skips nor repeats a case, in either direction, even among cases received at the same instant."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

import pytest

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.cases import queues
from sujarit.cases.models import Case, CaseStatus, Message, Referral, ReferralStatus
from sujarit.cases.queues import Cursor, Filters, page_of, queue_cases
from sujarit.cases.tests.staff_support import put_in

pytestmark = pytest.mark.django_db

S = CaseStatus
BANGKOK = ZoneInfo("Asia/Bangkok")
NOW = datetime(2025, 3, 16, 10, 0, tzinfo=BANGKOK)


def _ids(tab: str, filters: Filters | None = None, now: datetime = NOW) -> set[int]:
    cases = queue_cases(queues.TABS_BY_SLUG[tab], filters or Filters(), now=now)
    return set(cases.values_list("pk", flat=True))


def _received(case: Case, when: datetime) -> Case:
    Case.objects.filter(pk=case.pk).update(created_at=when)
    case.refresh_from_db()
    return case


def _refer(case: Case, agency: Agency, by: User, *, due: datetime, status: str = "sent") -> None:
    Referral.objects.create(
        case=case,
        agency=agency,
        referred_by=by,
        referred_at=due - timedelta(days=15),
        due_at=due,
        status=status,
    )


def test_each_tab_holds_its_cases(
    case_factory: Callable[..., Case], coordinator: User, agency_a: Agency
) -> None:
    new = case_factory(accused_rank="official")
    unrouted_new = case_factory()
    screening = put_in(case_factory(accused_rank="official"), S.SCREENING)
    referred = put_in(case_factory(accused_rank="official"), S.REFERRED)
    acknowledged = put_in(case_factory(accused_rank="official"), S.ACKNOWLEDGED)
    in_progress = put_in(case_factory(accused_rank="official"), S.IN_PROGRESS)
    closed = put_in(case_factory(), S.CLOSED)
    rejected_unrouted = put_in(case_factory(), S.REJECTED)
    late = put_in(case_factory(accused_rank="official"), S.REFERRED)
    _refer(late, agency_a, coordinator, due=NOW - timedelta(days=1))
    # Once an agency has resolved the case, one that never acknowledged does not keep it here.
    resolved = put_in(case_factory(accused_rank="official"), S.RESOLVED)
    _refer(resolved, agency_a, coordinator, due=NOW - timedelta(days=1))
    # Overdue: a service level that ran out, on an open case; a closed case never is.
    Case.objects.filter(pk__in=[screening.pk, closed.pk]).update(due_at=NOW - timedelta(hours=1))
    Case.objects.filter(pk=referred.pk).update(due_at=NOW + timedelta(days=3))

    assert _ids("new") == {new.pk, unrouted_new.pk}
    assert _ids("screening") == {screening.pk}
    assert _ids("overdue") >= {screening.pk}
    assert closed.pk not in _ids("overdue") and referred.pk not in _ids("overdue")
    assert _ids("awaiting") == {referred.pk, acknowledged.pk, in_progress.pk, late.pk}
    assert _ids("unrouted") == {unrouted_new.pk}
    assert rejected_unrouted.pk not in _ids("unrouted")
    assert len(_ids("all")) == 10


def test_the_overdue_tab_follows_the_due_time(case_factory: Callable[..., Case]) -> None:
    case = case_factory()
    assert case.due_at is not None
    assert case.pk not in _ids("overdue", now=case.due_at - timedelta(minutes=1))
    assert case.pk in _ids("overdue", now=case.due_at + timedelta(minutes=1))


def test_filters_combine(
    case_factory: Callable[..., Case], coordinator: User, agency_a: Agency, agency_b: Agency
) -> None:
    # 240101 and 240102 are in district 2401 (Mueang Chachoengsao); 240201 is in 2402.
    a = case_factory(kind="corruption", subdistrict="240101")
    b = case_factory(kind="grievance", subdistrict="240102")
    c = case_factory(kind="corruption", subdistrict="240201")
    _received(a, NOW - timedelta(days=10))
    _received(b, NOW - timedelta(days=2))
    _received(c, NOW - timedelta(days=1))
    put_in(b, S.SCREENING)
    _refer(a, agency_a, coordinator, due=NOW)
    _refer(c, agency_b, coordinator, due=NOW)

    assert _ids("all", Filters(kind="corruption")) == {a.pk, c.pk}
    assert _ids("all", Filters(status="screening")) == {b.pk}
    assert _ids("all", Filters(district="2401")) == {a.pk, b.pk}
    assert _ids("all", Filters(subdistrict="240102")) == {b.pk}
    assert _ids("all", Filters(agency=agency_a.pk)) == {a.pk}
    day = timezone.localdate(NOW)
    assert _ids("all", Filters(received_from=day - timedelta(days=2))) == {b.pk, c.pk}
    assert _ids("all", Filters(received_to=day - timedelta(days=2))) == {a.pk, b.pk}
    assert _ids(
        "all",
        Filters(kind="corruption", district="2401", received_from=day - timedelta(days=30)),
    ) == {a.pk}
    assert _ids("all", Filters(kind="grievance", agency=agency_b.pk)) == set()
    assert _ids("screening", Filters(district="2401")) == {b.pk}


def test_date_filters_use_the_local_day(case_factory: Callable[..., Case]) -> None:
    case = case_factory()
    # 23:30 on 15 March in Bangkok is 16:30 UTC the same day.
    _received(case, datetime(2025, 3, 15, 23, 30, tzinfo=BANGKOK))
    assert _ids("all", Filters(received_to=date(2025, 3, 15))) == {case.pk}
    assert _ids("all", Filters(received_from=date(2025, 3, 16))) == set()


@pytest.fixture
def twelve(case_factory: Callable[..., Case]) -> list[Case]:
    """Twelve cases, several received at the very same instant (ties broken by id)."""
    cases = [case_factory() for _ in range(12)]
    times = [NOW - timedelta(minutes=n // 3) for n in range(12)]
    for case, when in zip(cases, times, strict=True):
        _received(case, when)
    return cases


def _walk(tab: str, size: int) -> list[list[int]]:
    spec = queues.TABS_BY_SLUG[tab]
    cases = queue_cases(spec, Filters(), now=NOW)
    pages = []
    page = page_of(cases, spec, size=size)
    pages.append([case.pk for case in page.rows])
    while page.next_cursor:
        page = page_of(cases, spec, after=page.next_cursor, size=size)
        pages.append([case.pk for case in page.rows])
    return pages


def test_keyset_pages_cover_every_case_once_in_order(twelve: list[Case]) -> None:
    expected = list(Case.objects.order_by("-created_at", "-id").values_list("pk", flat=True))
    pages = _walk("all", size=5)
    assert [len(page) for page in pages] == [5, 5, 2]
    assert [pk for page in pages for pk in page] == expected


def test_keyset_pages_walk_back(twelve: list[Case]) -> None:
    spec = queues.TABS_BY_SLUG["all"]
    cases = queue_cases(spec, Filters(), now=NOW)
    forward = _walk("all", size=5)
    first = page_of(cases, spec, size=5)
    assert first.previous_cursor is None
    second = page_of(cases, spec, after=first.next_cursor or "", size=5)
    third = page_of(cases, spec, after=second.next_cursor or "", size=5)
    assert third.next_cursor is None
    back = page_of(cases, spec, before=third.previous_cursor or "", size=5)
    assert [c.pk for c in back.rows] == forward[1]
    assert back.next_cursor is not None and back.previous_cursor is not None
    start = page_of(cases, spec, before=back.previous_cursor, size=5)
    assert [c.pk for c in start.rows] == forward[0]
    assert start.previous_cursor is None


def test_the_overdue_tab_pages_oldest_deadline_first(twelve: list[Case]) -> None:
    for n, case in enumerate(twelve):
        Case.objects.filter(pk=case.pk).update(due_at=NOW - timedelta(hours=1 + n % 4))
    expected = list(
        Case.objects.filter(due_at__lt=NOW).order_by("due_at", "id").values_list("pk", flat=True)
    )
    pages = _walk("overdue", size=5)
    assert [pk for page in pages for pk in page] == expected


@pytest.mark.parametrize("token", ["", "x", "1.", ".5", "12.0", "9" * 40 + ".1", "-5.-5"])
def test_a_bad_cursor_shows_the_first_page(token: str, twelve: list[Case]) -> None:
    spec = queues.TABS_BY_SLUG["all"]
    cases = queue_cases(spec, Filters(), now=NOW)
    assert Cursor.decode(token) is None or token == ""
    page = page_of(cases, spec, after=token, size=5)
    assert [c.pk for c in page.rows] == _walk("all", size=5)[0]


def test_cursor_round_trip() -> None:
    cursor = Cursor(value=datetime(2025, 3, 16, 10, 0, 0, 123456, tzinfo=BANGKOK), id=42)
    decoded = Cursor.decode(cursor.encode())
    assert decoded == cursor


def test_tab_sizes_stop_at_the_cap(
    monkeypatch: pytest.MonkeyPatch, case_factory: Callable[..., Case]
) -> None:
    for _ in range(4):
        case_factory()
    put_in(case_factory(), S.SCREENING)
    monkeypatch.setattr(queues, "COUNT_CAP", 3)
    sizes = queues.tab_sizes(now=NOW)
    assert sizes["new"] == 3
    assert sizes["screening"] == 1
    assert "all" not in sizes


def test_late_acknowledgement_is_flagged(
    case_factory: Callable[..., Case], coordinator: User, agency_a: Agency
) -> None:
    late = put_in(case_factory(), S.REFERRED)
    on_time = put_in(case_factory(), S.REFERRED)
    acknowledged = put_in(case_factory(), S.ACKNOWLEDGED)
    _refer(late, agency_a, coordinator, due=NOW - timedelta(days=1))
    _refer(on_time, agency_a, coordinator, due=NOW + timedelta(days=1))
    _refer(
        acknowledged,
        agency_a,
        coordinator,
        due=NOW - timedelta(days=1),
        status=ReferralStatus.ACKNOWLEDGED,
    )
    rows = list(queue_cases(queues.TABS_BY_SLUG["awaiting"], Filters(), now=NOW))
    queues.mark_rows(rows, now=NOW)
    flags = {row.pk: row.has_late_referral for row in rows}  # type: ignore[attr-defined]
    assert flags == {
        late.pk: True,
        on_time.pk: False,
        acknowledged.pk: False,
    }


def test_unread_messages_are_flagged(case_factory: Callable[..., Case]) -> None:
    unread = case_factory()
    read = case_factory()
    quiet = case_factory()
    Message.objects.create(case=unread, at=NOW, sender=Message.Sender.COMPLAINANT, body="news?")
    Message.objects.create(
        case=read, at=NOW, sender=Message.Sender.COMPLAINANT, body="news?", read_by_centre_at=NOW
    )
    Message.objects.create(case=quiet, at=NOW, sender=Message.Sender.CENTRE, body="we look")
    rows = list(queue_cases(queues.TABS_BY_SLUG["all"], Filters(), now=NOW))
    queues.mark_rows(rows, now=NOW)
    flags = {row.pk: row.has_unread_message for row in rows}  # type: ignore[attr-defined]
    assert flags == {
        unread.pk: True,
        read.pk: False,
        quiet.pk: False,
    }
    queues.mark_rows([], now=NOW)
