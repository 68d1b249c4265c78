"""Duplicate reports: the similar-reports list, who sees it, links, merges and what a merge
keeps; the complainant of a merged report sees only their own report."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from io import StringIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from sujarit.accounts.models import User
from sujarit.cases import duplicates as duplicates_index
from sujarit.cases import queries
from sujarit.cases.actions import duplicates, triage
from sujarit.cases.actions.intake import Submission
from sujarit.cases.duplicates import IndexNotReady, reset_index
from sujarit.cases.models import (
    Case,
    CaseEvent,
    CaseFingerprint,
    CaseLink,
    CaseMerge,
    CaseStatus,
    Complainant,
    Message,
)
from sujarit.cases.tests.staff_support import audit_events, main_html, put_in
from sujarit.textsearch.similar import SHINGLE_VERSION

pytestmark = pytest.mark.django_db

S = CaseStatus

ORIGINAL = (
    "โครงการขุดลอกคลองสะแกใหญ่ หมู่ที่ 6 ตำบลบางตีนเป็ด อำเภอเมืองฉะเชิงเทรา งบประมาณ 450,000 บาท "
    "ทำไม่ครบตามสัญญา รถแบ็กโฮมาทำงานแค่ 3 วันแล้วก็ย้ายออกไป "
    "ผู้รับจ้างคือหจก.ศรีสมบูรณ์ก่อสร้าง ได้งานนี้มาหลายปีติดกัน "
    "ขอให้เจ้าหน้าที่ตรวจสอบการเบิกจ่ายเงินโครงการนี้ด้วยครับ"
)
# Another person's account of the same incident: sentences in another order, Thai digits,
# abbreviations (ต., จนท., ม.), ประชาชน for ชาวบ้าน, the amount written another way.
VARIANT = (
    "ผู้รับจ้างคือหจก.ศรีสมบูรณ์ก่อสร้าง ได้งานนี้มาหลายปีติดกัน "
    "โครงการขุดลอกคลองสะแกใหญ่ ม.๖ ต.บางตีนเป็ด อ.เมืองฉะเชิงเทรา งบ ๔.๕ แสนบาท "
    "ทำไม่ครบตามสัญญา รถแบ็กโฮมาทำงานแค่ ๓ วันแล้วก็ย้ายออกไป ประชาชนเดือดร้อน "
    "ขอให้จนท.ตรวจสอบการเบิกจ่ายเงินโครงการนี้ด้วยค่ะ"
)
UNRELATED = (
    "ผู้สูงอายุในหมู่ 2 ตำบลท่าไข่ ไม่ได้รับเบี้ยยังชีพมาตั้งแต่เดือนมกราคม 2568 "
    "เจ้าหน้าที่บอกว่ารายชื่อตกหล่นแต่ไม่ยอมแก้ไขให้ ขอให้ช่วยติดตามเรื่องนี้ให้ด้วยครับ"
)
SAME_TOPIC = (
    "โครงการขุดลอกคลองตาลน้อย หมู่ 11 ตำบลสนามจันทร์ อำเภอบ้านโพธิ์ งบประมาณ 80,000 บาท "
    "ผักตบชวายังเต็มคลอง ดินที่ขุดก็กองไว้ริมตลิ่ง ขอให้ตรวจสอบว่าผู้รับจ้างทำงานครบตามสัญญาหรือไม่"
)
OTHER_NAME = "นายทรงศักดิ์ ผู้แจ้งคนแรก"
OTHER_MESSAGE = "ข้อความจากผู้แจ้งคนแรก ห้ามให้ผู้แจ้งคนอื่นเห็น 5521"


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    # The per-process index must not carry cases of another test's (rolled-back) database.
    reset_index()
    yield
    reset_index()


@pytest.fixture
def reports(case_factory: Callable[..., Case]) -> dict[str, Case]:
    original = case_factory(description=ORIGINAL, name=OTHER_NAME)
    unrelated = case_factory(description=UNRELATED)
    same_topic = case_factory(description=SAME_TOPIC)
    variant = case_factory(description=VARIANT, name="นางสาวผู้แจ้ง คนที่สอง")
    return {
        "original": original,
        "unrelated": unrelated,
        "same_topic": same_topic,
        "variant": variant,
    }


def test_intake_stores_the_fingerprint(reports: dict[str, Case]) -> None:
    fingerprint = CaseFingerprint.objects.get(case=reports["variant"])
    assert fingerprint.version == SHINGLE_VERSION
    assert len(bytes(fingerprint.shingles)) > 40


def test_planted_near_duplicate_is_listed_first(
    reports: dict[str, Case], coordinator: User
) -> None:
    listed = queries.similar_cases_for(coordinator, reports["variant"])
    assert listed, "the near-duplicate should be listed"
    first, score = listed[0]
    assert first == reports["original"]
    assert 0.3 < score <= 1.0
    others = {case.pk: s for case, s in listed[1:]}
    assert reports["unrelated"].pk not in others
    # A report on the same topic elsewhere may be listed, but well below the duplicate.
    assert all(s < score / 2 for s in others.values())


def test_the_list_works_both_ways(reports: dict[str, Case], coordinator: User) -> None:
    listed = queries.similar_cases_for(coordinator, reports["original"])
    assert listed[0][0] == reports["variant"]
    assert reports["original"] not in [case for case, _ in listed]


def test_unrelated_report_has_no_duplicate(reports: dict[str, Case], coordinator: User) -> None:
    listed = queries.similar_cases_for(coordinator, reports["unrelated"])
    assert reports["original"] not in [case for case, _ in listed]
    assert reports["variant"] not in [case for case, _ in listed]


def test_only_coordinators_get_the_list(
    reports: dict[str, Case], auditor: User, officer_a: User, outsider: User, admin_user: User
) -> None:
    for user in (auditor, officer_a, outsider, admin_user):
        assert queries.similar_cases_for(user, reports["variant"]) == []


def test_a_case_added_after_the_index_was_loaded_is_found(
    reports: dict[str, Case], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    # The first listing loads the index; the case stored afterwards is added to it.
    assert reports["original"] in [
        c for c, _ in queries.similar_cases_for(coordinator, reports["variant"])
    ]
    later = case_factory(description=UNRELATED.replace("ท่าไข่", "ท่าไข่ ม.2"))
    listed = queries.similar_cases_for(coordinator, later)
    assert listed[0][0] == reports["unrelated"]


def test_case_page_shows_the_panel_to_coordinators_only(
    reports: dict[str, Case],
    coordinator: User,
    auditor: User,
    verified_client: Callable[[User], Client],
) -> None:
    variant, original = reports["variant"], reports["original"]
    page = main_html(verified_client(coordinator).get(f"/cases/{variant.pk}/"))
    assert 'id="duplicates"' in page
    assert f'href="/cases/{original.pk}/"' in page
    assert reverse("cases:case-link", args=[variant.pk, original.pk]) in page
    assert reverse("cases:case-merge", args=[variant.pk, original.pk]) in page
    # Auditors read cases but do not manage duplicates: no list, no buttons.
    page = main_html(verified_client(auditor).get(f"/cases/{variant.pk}/"))
    assert 'id="duplicates"' not in page
    assert f"/cases/{original.pk}/" not in page


def test_link_shows_on_both_pages_and_is_audited(
    reports: dict[str, Case], coordinator: User, verified_client: Callable[[User], Client]
) -> None:
    variant, original = reports["variant"], reports["original"]
    client = verified_client(coordinator)
    response = client.post(
        reverse("cases:case-link", args=[variant.pk, original.pk]), {"score": "0.61"}
    )
    assert response.status_code == 302
    link = CaseLink.objects.get()
    assert (link.first, link.second, link.score) == (original, variant, 0.61)
    for case, other in ((variant, original), (original, variant)):
        page = main_html(client.get(f"/cases/{case.pk}/"))
        assert other.reference in page.split('id="duplicates"', 1)[1]
    [event] = audit_events("case.linked", variant)
    assert event.data == {"case": variant.pk, "other": original.pk, "score": 0.61}
    assert event.actor == coordinator


def test_linking_twice_or_to_itself_is_refused(reports: dict[str, Case], coordinator: User) -> None:
    variant, original = reports["variant"], reports["original"]
    duplicates.link_cases(case=variant, other=original, by=coordinator)
    with pytest.raises(ValidationError):
        duplicates.link_cases(case=original, other=variant, by=coordinator)
    with pytest.raises(ValidationError):
        duplicates.link_cases(case=variant, other=variant, by=coordinator)
    assert CaseLink.objects.count() == 1


def _rows_of(case: Case) -> dict[str, set[int]]:
    """Every row of every model that belongs to ``case`` (messages, events, the complainant,
    routing, referrals, and files or anything else other apps attach to a case)."""
    rows: dict[str, set[int]] = {}
    for relation in Case._meta.related_objects:
        model: type[Model] = relation.related_model
        if relation.many_to_many or model in (CaseMerge, CaseLink):
            continue
        filters = {relation.field.name: case}
        rows[model._meta.label] = set(
            model._default_manager.filter(**filters).values_list("pk", flat=True)
        )
    return rows


def test_merge_keeps_everything_and_is_audited(reports: dict[str, Case], coordinator: User) -> None:
    variant, original = reports["variant"], reports["original"]
    now = timezone.now()
    Message.objects.create(case=variant, at=now, sender=Message.Sender.COMPLAINANT, body="เพิ่มเติม")
    Message.objects.create(
        case=original, at=now, sender=Message.Sender.COMPLAINANT, body=OTHER_MESSAGE
    )
    triage.begin_screening(case=variant, by=coordinator)
    before = {case.pk: _rows_of(case) for case in (variant, original)}
    texts = {case.pk: case.description for case in (variant, original)}
    complainants = {c.case_id: (c.name, c.phone) for c in Complainant.objects.all()}

    duplicates.merge_cases(case=variant, into=original, by=coordinator, score=0.6, note="same")

    variant.refresh_from_db()
    original.refresh_from_db()
    assert variant.status == S.MERGED
    assert CaseMerge.objects.get(case=variant).into == original
    for case in (variant, original):
        after = _rows_of(case)
        for label, ids in before[case.pk].items():
            assert ids <= after[label], f"{label} rows of {case.reference} were lost"
        assert after["cases.Message"] == before[case.pk]["cases.Message"]
        assert case.description == texts[case.pk]
    assert {c.case_id: (c.name, c.phone) for c in Complainant.objects.all()} == complainants
    # The merge is on both timelines: B's status change, an internal note on A.
    assert CaseEvent.objects.filter(case=variant, to_status=S.MERGED).exists()
    assert CaseEvent.objects.filter(case=original, kind="note", public=False).exists()
    [event] = audit_events("case.merged", variant)
    assert event.data == {"into": original.pk, "from": S.SCREENING, "to": S.MERGED, "score": 0.6}
    assert event.actor == coordinator


def test_refused_merges(
    reports: dict[str, Case], coordinator: User, case_factory: Callable[..., Case]
) -> None:
    variant, original, unrelated = reports["variant"], reports["original"], reports["unrelated"]
    third = reports["same_topic"]
    with pytest.raises(ValidationError):
        duplicates.merge_cases(case=variant, into=variant, by=coordinator)
    duplicates.merge_cases(case=variant, into=original, by=coordinator)
    # Already merged.
    with pytest.raises(ValidationError):
        duplicates.merge_cases(case=variant, into=unrelated, by=coordinator)
    # Into a merged case (would make a chain, or a cycle back to the original).
    with pytest.raises(ValidationError):
        duplicates.merge_cases(case=original, into=variant, by=coordinator)
    with pytest.raises(ValidationError):
        duplicates.merge_cases(case=third, into=variant, by=coordinator)
    # A case others are merged into cannot itself be merged away.
    with pytest.raises(ValidationError):
        duplicates.merge_cases(case=original, into=third, by=coordinator)
    # Only reports still at intake or screening; never into a closed case.
    put_in(unrelated, S.REFERRED)
    with pytest.raises(ValidationError):
        duplicates.merge_cases(case=unrelated, into=third, by=coordinator)
    put_in(third, S.CLOSED)
    fresh = case_factory(description=SAME_TOPIC)
    with pytest.raises(ValidationError):
        duplicates.merge_cases(case=fresh, into=third, by=coordinator)
    assert CaseMerge.objects.count() == 1
    assert audit_events("case.merged", original) == []


def test_only_coordinators_link_or_merge(
    reports: dict[str, Case],
    auditor: User,
    officer_a: User,
    verified_client: Callable[[User], Client],
) -> None:
    variant, original = reports["variant"], reports["original"]
    with pytest.raises(PermissionDenied):
        duplicates.merge_cases(case=variant, into=original, by=auditor)
    with pytest.raises(PermissionDenied):
        duplicates.link_cases(case=variant, other=original, by=auditor)
    merge_url = reverse("cases:case-merge", args=[variant.pk, original.pk])
    assert verified_client(auditor).post(merge_url).status_code == 403
    # An officer may not even open these cases: 404, as for any case they cannot see.
    assert verified_client(officer_a).post(merge_url).status_code == 404
    assert not CaseMerge.objects.exists() and not CaseLink.objects.exists()


def test_merge_from_the_page_then_pages_of_both(
    reports: dict[str, Case], coordinator: User, verified_client: Callable[[User], Client]
) -> None:
    variant, original = reports["variant"], reports["original"]
    Message.objects.create(
        case=variant, at=timezone.now(), sender=Message.Sender.COMPLAINANT, body="ข้อความของบี 4410"
    )
    client = verified_client(coordinator)
    response = client.post(
        reverse("cases:case-merge", args=[variant.pk, original.pk]),
        {"score": "0.5"},
    )
    assert response.status_code == 302 and response["Location"] == f"/cases/{original.pk}/"
    page = main_html(client.get(f"/cases/{original.pk}/"))
    merged = page.split('id="duplicates"', 1)[1]
    assert variant.reference in merged and "ข้อความของบี 4410" in merged
    page = main_html(client.get(f"/cases/{variant.pk}/"))
    assert f'href="/cases/{original.pk}/"' in page


def test_refused_merge_from_the_page_says_why(
    reports: dict[str, Case], coordinator: User, verified_client: Callable[[User], Client]
) -> None:
    variant = reports["variant"]
    client = verified_client(coordinator)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("cases:case-merge", args=[variant.pk, variant.pk]), follow=True)
    assert "cannot be merged into itself" in response.content.decode()
    assert not CaseMerge.objects.exists()


def test_complainant_of_merged_report_sees_only_their_own(
    submit: Callable[..., Submission], coordinator: User
) -> None:
    first = submit(description=ORIGINAL, name=OTHER_NAME)
    second = submit(description=VARIANT, name="นางสาวผู้แจ้ง คนที่สอง")
    now = timezone.now()
    Message.objects.create(
        case=first.case, at=now, sender=Message.Sender.COMPLAINANT, body=OTHER_MESSAGE
    )
    Message.objects.create(
        case=second.case, at=now, sender=Message.Sender.COMPLAINANT, body="ข้อความของฉันเอง 3390"
    )
    duplicates.merge_cases(case=second.case, into=first.case, by=coordinator)
    client = Client()
    client.cookies["django_language"] = "en"
    client.post(reverse("cases:follow"), {"code": second.receipt_code, "passphrase": ""})
    page = client.get(reverse("cases:follow-case")).content.decode()
    assert "ข้อความของฉันเอง 3390" in page
    assert "joined to another case" in page
    for secret in (OTHER_NAME, OTHER_MESSAGE, ORIGINAL[:30], first.case.reference):
        assert secret not in page
    # They can still write; the message stays on their own report.
    client.post(reverse("cases:follow-message"), {"message-body": "ยังติดตามอยู่ 7781"})
    assert Message.objects.filter(case=second.case, body="ยังติดตามอยู่ 7781").exists()
    assert not Message.objects.filter(case=first.case, body="ยังติดตามอยู่ 7781").exists()


def test_rebuild_fingerprints_command(reports: dict[str, Case], coordinator: User) -> None:
    CaseFingerprint.objects.filter(case=reports["original"]).delete()
    CaseFingerprint.objects.filter(case=reports["variant"]).update(version=0)
    out = StringIO()
    call_command("rebuild-fingerprints", stdout=out)
    assert CaseFingerprint.objects.filter(version=SHINGLE_VERSION).count() == 4
    assert "2" in out.getvalue()
    listed = queries.similar_cases_for(coordinator, reports["variant"])
    assert listed[0][0] == reports["original"]


@pytest.mark.django_db(transaction=True)
def test_a_large_index_is_built_in_the_background_and_the_page_says_so(
    reports: dict[str, Case],
    coordinator: User,
    verified_client: Callable[[User], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Any number of fingerprints counts as large; the background build waits for a signal, so
    # the page is seen while it runs.
    monkeypatch.setattr(duplicates_index, "SYNC_LOAD_LIMIT", 0)
    release = threading.Event()
    rows_after = duplicates_index._rows_after

    def slow_rows_after(last_id: int) -> Iterator[tuple[int, bytes]]:
        if threading.current_thread().name == "duplicates-index-loader":
            release.wait(30)
        return rows_after(last_id)

    monkeypatch.setattr(duplicates_index, "_rows_after", slow_rows_after)
    client = verified_client(coordinator)
    variant, original = reports["variant"], reports["original"]

    page = main_html(client.get(f"/cases/{variant.pk}/"))
    assert "กำลังเตรียมรายการเรื่องที่มีถ้อยคำคล้ายกัน" in page
    assert original.reference not in page
    with pytest.raises(IndexNotReady):
        queries.similar_cases_for(coordinator, variant)

    release.set()
    assert duplicates_index.wait_until_loaded(30)
    page = main_html(client.get(f"/cases/{variant.pk}/"))
    assert "กำลังเตรียม" not in page
    assert original.reference in page
    assert queries.similar_cases_for(coordinator, variant)[0][0] == original
