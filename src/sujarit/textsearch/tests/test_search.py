"""Searching cases on both backends (the database's own full-text search, and the embedded
Tantivy index), and the permission gate on every hit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection

import pytest

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.cases.models import Case, ReportKind
from sujarit.cases.queues import TABS_BY_SLUG, Filters, queue_cases
from sujarit.cases.tests.agency_support import refer
from sujarit.textsearch import queries
from sujarit.textsearch.indexing import apply_pending, rebuild, tantivy_enabled
from sujarit.textsearch.models import CaseText, IndexChange
from sujarit.textsearch.queries import search_cases

ROAD = "ถนนลูกรังหมู่ 3 ตำบลบางคล้า ชำรุดเป็นหลุมบ่อ ผู้รับเหมาทิ้งงาน"
TABLE = "ผู้ใหญ่บ้านจัดเลี้ยงโต๊ะจีนแจกเงินก่อนเลือกตั้ง"
CANAL = "โครงการขุดลอกคลองท่าตะเกียบ ผักตบชวาเต็มคลอง งบประมาณ ๕๐๐,๐๐๐ บาท"
DAMRONG = "ร้องเรียนศูนย์ดำรงธรรมแล้วแต่ไม่มีความคืบหน้า Road repair delayed"


@pytest.fixture(params=["database", "tantivy"])
def search_backend(request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> str:
    settings.SUJARIT_SEARCH_BACKEND = request.param
    settings.SUJARIT_SEARCH_INDEX_DIR = tmp_path / "index"
    return str(request.param)


@pytest.fixture
def reports(search_backend: str, case_factory: Callable[..., Case]) -> Iterator[dict[str, Case]]:
    made = {
        "road": case_factory(description=ROAD),
        "table": case_factory(description=TABLE, kind=ReportKind.ELECTION_FRAUD),
        "canal": case_factory(description=CANAL),
        "damrong": case_factory(description=DAMRONG),
    }
    if tantivy_enabled():
        # Tests run inside a transaction that never commits, so the on-commit hook does not
        # fire; apply the queue as the hook would.
        apply_pending()
    yield made


def found(user: Any, query: str, **kwargs: Any) -> list[int]:
    return [case.pk for case in search_cases(user, query, **kwargs).rows]


def test_thai_word_inside_a_report_is_found(reports: dict[str, Case], coordinator: User) -> None:
    assert found(coordinator, "หลุมบ่อ") == [reports["road"].pk]
    assert found(coordinator, "ผักตบชวา") == [reports["canal"].pk]


def test_word_the_dictionary_keeps_inside_a_longer_word_is_found(
    reports: dict[str, Case], coordinator: User
) -> None:
    # newmm keeps เลี้ยงโต๊ะจีน as one word; a search for โต๊ะจีน must still find it.
    assert found(coordinator, "โต๊ะจีน") == [reports["table"].pk]


def test_two_words_must_both_match(reports: dict[str, Case], coordinator: User) -> None:
    assert found(coordinator, "ถนน บางคล้า") == [reports["road"].pk]
    assert found(coordinator, "ถนน ท่าตะเกียบ") == []


def test_thai_digits_and_arabic_digits_find_each_other(
    reports: dict[str, Case], coordinator: User
) -> None:
    assert found(coordinator, "500000") == [reports["canal"].pk]
    assert found(coordinator, "หมู่ ๓") == [reports["road"].pk]


def test_english_words_and_domain_words(reports: dict[str, Case], coordinator: User) -> None:
    assert found(coordinator, "ROAD Repair") == [reports["damrong"].pk]
    assert found(coordinator, "ศูนย์ดำรงธรรม") == [reports["damrong"].pk]


def test_zero_width_characters_in_the_query_are_ignored(
    reports: dict[str, Case], coordinator: User
) -> None:
    assert found(coordinator, "ผักตบ\u200bชวา") == [reports["canal"].pk]


def test_blank_or_punctuation_query_finds_nothing(
    reports: dict[str, Case], coordinator: User
) -> None:
    assert found(coordinator, "   ") == []
    assert found(coordinator, "!!! ...") == []


def test_better_match_ranks_first(
    search_backend: str, case_factory: Callable[..., Case], coordinator: User
) -> None:
    once = case_factory(description="น้ำท่วมถนนในหมู่บ้าน")
    often = case_factory(description="น้ำท่วม น้ำท่วมซ้ำ น้ำท่วมทุกปี ชาวบ้านเดือดร้อนจากน้ำท่วม")
    if tantivy_enabled():
        apply_pending()
    assert found(coordinator, "น้ำท่วม") == [often.pk, once.pk]


def test_search_is_restricted_to_the_queue_scope(
    reports: dict[str, Case], coordinator: User
) -> None:
    election = queue_cases(TABS_BY_SLUG["all"], Filters(kind=ReportKind.ELECTION_FRAUD))
    assert found(coordinator, "ผู้ใหญ่บ้าน", scope=election) == [reports["table"].pk]
    assert found(coordinator, "ถนน", scope=election) == []


def test_officer_finds_only_cases_referred_to_their_agency(
    reports: dict[str, Case],
    coordinator: User,
    officer_a: User,
    officer_b: User,
    agency_a: Agency,
) -> None:
    refer(reports["road"], agency_a, by=coordinator)
    assert found(officer_a, "ถนน") == [reports["road"].pk]
    # The canal report matches but was never referred to agency A; nor anything to B.
    assert found(officer_a, "งบประมาณ") == []
    assert found(officer_b, "ถนน") == []


def test_officer_search_reaches_past_many_invisible_matches(
    search_backend: str,
    case_factory: Callable[..., Case],
    coordinator: User,
    officer_a: User,
    agency_a: Agency,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The best visible match is found even when many better ones are invisible: the gate is
    applied before the page is cut, not after."""
    for _ in range(6):
        case_factory(description="ทุจริต ทุจริต ทุจริต ทุจริต")
    theirs = case_factory(description="มีการทุจริตในโครงการ")
    refer(theirs, agency_a, by=coordinator)
    if tantivy_enabled():
        apply_pending()
    assert found(officer_a, "ทุจริต", size=2) == [theirs.pk]
    # Also when the scope is too large to hand to the backend as a list of ids.
    monkeypatch.setattr(queries, "SMALL_SCOPE", 0)
    assert found(officer_a, "ทุจริต", size=2) == [theirs.pk]


@pytest.mark.parametrize("persona", ["member", "outsider", "anonymous"])
def test_citizens_outsiders_and_anonymous_users_find_nothing(
    reports: dict[str, Case], persona: str, request: pytest.FixtureRequest
) -> None:
    user = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    assert found(user, "ถนน") == []
    assert found(user, "ผู้ใหญ่บ้าน") == []


def test_paging(search_backend: str, case_factory: Callable[..., Case], coordinator: User) -> None:
    made = [case_factory(description=f"ไฟฟ้าดับ ครั้งที่ {i}") for i in range(5)]
    if tantivy_enabled():
        apply_pending()
    first = search_cases(coordinator, "ไฟฟ้าดับ", size=2)
    second = search_cases(coordinator, "ไฟฟ้าดับ", size=2, page=2)
    third = search_cases(coordinator, "ไฟฟ้าดับ", size=2, page=3)
    assert first.has_next and second.has_next and not third.has_next
    pages = [c.pk for c in first.rows + second.rows + third.rows]
    assert sorted(pages) == sorted(c.pk for c in made)


def test_new_case_is_indexed_in_its_transaction(
    search_backend: str, case_factory: Callable[..., Case]
) -> None:
    case = case_factory(description="เสาไฟฟ้าล้มขวางถนน", village="บ้านหนองไผ่")
    assert CaseText.objects.get(case=case).words == "เสาไฟฟ้า ล้ม ขวาง ถนน บ้าน หนอง ไผ่"
    assert IndexChange.objects.filter(case_id=case.pk).exists() == tantivy_enabled()


def test_tantivy_update_waits_in_the_queue_until_applied(
    settings: Any,
    tmp_path: Path,
    case_factory: Callable[..., Case],
    coordinator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.SUJARIT_SEARCH_BACKEND = "tantivy"
    settings.SUJARIT_SEARCH_INDEX_DIR = tmp_path / "index"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = case_factory(description="เสาไฟฟ้าล้มขวางถนน")
    assert found(coordinator, "เสาไฟฟ้า") == []
    assert callbacks, "the on-commit hook is registered"
    for callback in callbacks:
        callback()
    assert found(coordinator, "เสาไฟฟ้า") == [case.pk]
    assert not IndexChange.objects.exists()


def test_reindex_rebuilds_from_the_database(reports: dict[str, Case], coordinator: User) -> None:
    CaseText.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO textsearch_fts(textsearch_fts) VALUES ('delete-all')")
    progress: list[tuple[int, int]] = []
    assert rebuild(batch=3, progress=lambda done, total: progress.append((done, total))) == 4
    assert progress == [(3, 4), (4, 4)]
    assert found(coordinator, "ผักตบชวา") == [reports["canal"].pk]


def test_a_purge_keeps_the_case_findable(reports: dict[str, Case], coordinator: User) -> None:
    # The purge removes the complainant's details and messages; the case's own facts, which
    # are all the index holds, stay, so coordinators still find the earlier report.
    from sujarit.cases.actions.retention import PurgeReason, purge_personal_data

    purge_personal_data(case=reports["canal"], reason=PurgeReason.RETENTION)
    if tantivy_enabled():
        apply_pending()
    assert found(coordinator, "ผักตบชวา") == [reports["canal"].pk]


def test_machine_without_the_index_only_queues(
    settings: Any,
    tmp_path: Path,
    case_factory: Callable[..., Case],
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.SUJARIT_SEARCH_BACKEND = "tantivy"
    settings.SUJARIT_SEARCH_INDEX_DIR = tmp_path / "index"
    settings.SUJARIT_SEARCH_APPLY_ON_COMMIT = False
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = case_factory(description="เสาไฟฟ้าล้มขวางถนน")
    names = {getattr(c, "__name__", "") for c in callbacks}
    assert not names & {"apply_pending_quietly", "request_apply"}
    assert IndexChange.objects.filter(case_id=case.pk).exists()


def test_reindex_command_reports_progress(reports: dict[str, Case], coordinator: User) -> None:
    out = StringIO()
    call_command("reindex", "--batch", "2", stdout=out)
    text = out.getvalue()
    assert "2/4 cases" in text and "4/4 cases" in text and "Reindexed 4 cases" in text
    assert found(coordinator, "โต๊ะจีน") == [reports["table"].pk]
    assert not IndexChange.objects.exists()
