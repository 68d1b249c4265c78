"""Following a report at /follow/: only the case of the code, only what the complainant may
read, messages, added information and disputes."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.audit.models import AuditEvent
from sujarit.cases import receipts
from sujarit.cases.actions.followup import DisputeRefused, dispute_outcome
from sujarit.cases.actions.intake import Submission
from sujarit.cases.models import Case, CaseEvent, CaseStatus, Dispute, Message, Referral
from sujarit.cases.views.followup import FOLLOW_IDLE_SECONDS, FOLLOW_SESSION_KEY
from sujarit.cases.workflow import move

FOLLOW = reverse("cases:follow")
CASE = reverse("cases:follow-case")
MESSAGE = reverse("cases:follow-message")
INFORMATION = reverse("cases:follow-information")
DISPUTE = reverse("cases:follow-dispute")
LEAVE = reverse("cases:follow-leave")

STAFF_NOTE = "บันทึกภายในของศูนย์ ห้ามเผยแพร่ 7731"
STAFF_REASON = "เหตุผลภายในของผู้ประสานงาน 8842"
PROGRESS_NOTE = "หน่วยงานตรวจสอบพื้นที่แล้ว"
OUTCOME = "ซ่อมถนนเรียบร้อยแล้ว"


def open_case(client: Client, code: str, passphrase: str = "") -> Any:
    return client.post(FOLLOW, {"code": code, "passphrase": passphrase})


def resolve(case: Case, by: User, *, at: Any = None) -> None:
    now = at or timezone.now()
    move(case, CaseStatus.SCREENING, by=by, note=STAFF_REASON, now=now)
    move(case, CaseStatus.REFERRED, by=by, now=now)
    move(case, CaseStatus.RESOLVED, by=by, outcome=OUTCOME, now=now)


@pytest.fixture
def busy_case(
    submit: Callable[..., Submission], coordinator: User, officer_a: User, agency_a: Agency
) -> Submission:
    """A case with everything staff write on it: internal notes, a staff name on a centre
    message, an agency officer's progress, and the complainant's stored contact."""
    coordinator.first_name, coordinator.last_name = "อลิซาเบธ", "ผู้ประสานงานลับ"
    coordinator.save()
    officer_a.first_name = "ชัยวัฒน์เจ้าหน้าที่"
    officer_a.save()
    submission = submit(name="นางสมศรี ใจดี", phone="0812345678", email="somsri@example.org")
    case = submission.case
    now = timezone.now()
    move(case, CaseStatus.SCREENING, by=coordinator, note=STAFF_REASON, now=now)
    CaseEvent.objects.create(
        case=case, at=now, kind="note", note=STAFF_NOTE, public=False, actor=coordinator
    )
    # A staff note marked public by mistake still never shows its kind "note".
    CaseEvent.objects.create(
        case=case, at=now, kind="note", note=STAFF_NOTE, public=True, actor=coordinator
    )
    Referral.objects.create(case=case, agency=agency_a, referred_by=coordinator, referred_at=now)
    move(case, CaseStatus.REFERRED, by=coordinator, note=STAFF_REASON, now=now)
    move(case, CaseStatus.ACKNOWLEDGED, by=officer_a, now=now)
    CaseEvent.objects.create(
        case=case,
        at=now,
        kind=CaseEvent.Kind.PROGRESS,
        actor=officer_a,
        note=STAFF_NOTE,
        public_note=PROGRESS_NOTE,
    )
    CaseEvent.objects.create(
        case=case,
        at=now,
        kind=CaseEvent.Kind.IDENTITY,
        actor=officer_a,
        note=STAFF_NOTE,
        public_note="หน่วยงานขอทราบตัวตนของคุณ ผู้ประสานงานอีกคนปฏิเสธคำขอ",
    )
    Message.objects.create(
        case=case,
        at=now,
        sender=Message.Sender.CENTRE,
        author=coordinator,
        body="ขอภาพถ่ายเพิ่มเติมได้ไหมคะ",
    )
    return submission


def forbidden_strings(case: Case, coordinator: User, officer_a: User) -> list[str]:
    return [
        STAFF_NOTE,
        STAFF_REASON,
        coordinator.username,
        coordinator.first_name,
        coordinator.last_name,
        officer_a.username,
        officer_a.first_name,
        "นางสมศรี",
        "0812345678",
        "somsri@example.org",
        case.reference,
        case.receipt_hash,
    ]


def test_start_page(client: Client, db: None) -> None:
    response = client.get(FOLLOW)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'name="code"' in response.content.decode()
    assert client.put(FOLLOW).status_code == 405


def test_right_code_opens_the_case_and_rotates_the_session(
    client: Client, submit: Callable[..., Submission]
) -> None:
    submission = submit()
    client.get(FOLLOW)
    before = client.session.session_key
    response = open_case(client, receipts.display(submission.receipt_code))
    assert response.status_code == 302 and response["Location"] == CASE
    assert client.session.session_key != before
    entry = client.session[FOLLOW_SESSION_KEY]
    assert entry["case"] == submission.case.pk
    assert submission.receipt_code not in str(dict(client.session.items()))


def test_case_page_shows_the_timeline_in_plain_thai(
    client: Client, busy_case: Submission, coordinator: User, officer_a: User
) -> None:
    open_case(client, busy_case.receipt_code)
    response = client.get(CASE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "เรื่องของคุณส่งถึงแล้ว" in html  # received
    assert "ศูนย์ประสานงานกำลังตรวจสอบเรื่องของคุณ" in html  # screening
    assert "หน่วยงานยืนยันว่าได้รับเรื่องของคุณแล้ว" in html  # acknowledged
    assert PROGRESS_NOTE in html
    assert "ผู้ประสานงานอีกคนปฏิเสธคำขอ" in html  # the identity notice, as plain text
    assert "ขอภาพถ่ายเพิ่มเติมได้ไหมคะ" in html
    assert "ศูนย์ประสานงาน" in html
    assert "การทุจริตหรือประพฤติมิชอบของเจ้าหน้าที่รัฐ" in html  # kind
    assert "หน้าเมือง" in html  # the subdistrict of 240101
    for secret in forbidden_strings(busy_case.case, coordinator, officer_a):
        assert secret not in html, secret


def test_api_answer_holds_no_staff_secrets_either(
    client: Client, busy_case: Submission, coordinator: User, officer_a: User
) -> None:
    response = client.post(
        "/api/v1/reports/follow-up",
        data={"code": busy_case.receipt_code},
        content_type="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    text = json.dumps(data, ensure_ascii=False)
    assert PROGRESS_NOTE in text
    assert data["messages"][0]["sender"] == "centre"
    assert "note" not in {entry["kind"] for entry in data["timeline"]}
    for secret in forbidden_strings(busy_case.case, coordinator, officer_a):
        assert secret not in text, secret


def test_code_of_one_case_never_shows_another(
    client: Client, submit: Callable[..., Submission]
) -> None:
    mine = submit(description="เรื่องของฉันเกี่ยวกับถนนในหมู่บ้าน")
    other = submit(description="เรื่องของคนอื่นที่ต้องไม่ปรากฏ")
    open_case(client, mine.receipt_code)
    html = client.get(CASE).content.decode()
    assert "เรื่องของคนอื่นที่ต้องไม่ปรากฏ" not in html
    client.post(MESSAGE, {"message-body": "ข้อความของฉัน", "case": other.case.pk})
    assert Message.objects.get().case == mine.case


def test_a_tampered_session_opens_nothing(
    client: Client, submit: Callable[..., Submission]
) -> None:
    mine = submit()
    other = submit(description="เรื่องของคนอื่นที่ต้องไม่ปรากฏ")
    open_case(client, mine.receipt_code)
    session = client.session
    entry = session[FOLLOW_SESSION_KEY]
    entry["case"] = other.case.pk
    session[FOLLOW_SESSION_KEY] = entry
    session.save()
    response = client.get(CASE)
    assert response.status_code == 302 and response["Location"] == FOLLOW
    assert FOLLOW_SESSION_KEY not in client.session
    assert client.post(MESSAGE, {"message-body": "x"}).status_code == 302
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    "entry",
    [
        "not a dict",
        {"case": "1", "receipt": "x", "seen": 0},
        {"case": 1, "seen": "yesterday"},
        {"receipt": "abc", "seen": 1},
    ],
)
def test_garbage_in_the_session_opens_nothing(
    client: Client, submit: Callable[..., Submission], entry: Any
) -> None:
    submit()
    client.get(FOLLOW)
    session = client.session
    if isinstance(entry, dict) and "seen" in entry and entry["seen"] == 1:
        entry["seen"] = int(time.time())
    session[FOLLOW_SESSION_KEY] = entry
    session.save()
    assert client.get(CASE)["Location"] == FOLLOW


def test_without_an_open_case_the_pages_send_to_the_start(client: Client, db: None) -> None:
    assert client.get(CASE)["Location"] == FOLLOW
    for url in (MESSAGE, INFORMATION, DISPUTE):
        assert client.post(url, {})["Location"] == FOLLOW


def test_write_pages_accept_only_post(client: Client, db: None) -> None:
    for url in (MESSAGE, INFORMATION, DISPUTE, LEAVE):
        assert client.get(url).status_code == 405
    assert client.post(CASE).status_code == 405


def test_the_opening_lapses_after_30_idle_minutes(
    client: Client, submit: Callable[..., Submission]
) -> None:
    open_case(client, submit().receipt_code)
    session = client.session
    entry = session[FOLLOW_SESSION_KEY]
    entry["seen"] = int(time.time()) - FOLLOW_IDLE_SECONDS - 5
    session[FOLLOW_SESSION_KEY] = entry
    session.save()
    response = client.get(CASE, follow=True)
    assert response.redirect_chain[-1][0] == FOLLOW
    assert "30 นาที" in response.content.decode()


def test_use_keeps_the_opening_alive(client: Client, submit: Callable[..., Submission]) -> None:
    open_case(client, submit().receipt_code)
    session = client.session
    entry = session[FOLLOW_SESSION_KEY]
    entry["seen"] = int(time.time()) - FOLLOW_IDLE_SECONDS + 60
    session[FOLLOW_SESSION_KEY] = entry
    session.save()
    assert client.get(CASE).status_code == 200
    assert client.session[FOLLOW_SESSION_KEY]["seen"] >= int(time.time()) - 5


def test_leave_closes_the_case_in_this_browser(
    client: Client, submit: Callable[..., Submission]
) -> None:
    open_case(client, submit().receipt_code)
    before = client.session.session_key
    response = client.post(LEAVE)
    assert response["Location"] == FOLLOW
    assert FOLLOW_SESSION_KEY not in client.session
    assert client.session.session_key != before
    assert client.get(CASE)["Location"] == FOLLOW


def test_passphrase_is_asked_when_set(client: Client, submit: Callable[..., Submission]) -> None:
    code = submit(passphrase="ขอให้เป็นความลับ").receipt_code
    asked = open_case(client, code)
    assert asked.status_code == 200
    assert "ตั้งรหัสผ่านเพิ่มเติมไว้" in asked.content.decode()
    wrong = open_case(client, code, "ผิดแน่นอน")
    assert "รหัสผ่านไม่ถูกต้อง" in wrong.content.decode()
    assert "ผิดแน่นอน" not in wrong.content.decode()
    assert open_case(client, code, "ขอให้เป็นความลับ").status_code == 302


def test_start_page_offers_to_continue_an_open_case(
    client: Client, submit: Callable[..., Submission]
) -> None:
    open_case(client, submit().receipt_code)
    assert CASE in client.get(FOLLOW).content.decode()


def test_message_and_information_are_stored_with_their_audit(
    client: Client, submit: Callable[..., Submission]
) -> None:
    submission = submit()
    open_case(client, submission.receipt_code)
    sent = client.post(MESSAGE, {"message-body": "ติดต่อฉันทางไลน์ได้"})
    assert sent.status_code == 302 and sent["Location"] == CASE
    message = Message.objects.get()
    assert message.sender == "complainant" and not message.is_information
    added = client.post(INFORMATION, {"information-body": "เห็นรถขนวัสดุออกไปตอนกลางคืน"})
    assert added["Location"] == CASE
    info = Message.objects.get(is_information=True)
    assert info.body == "เห็นรถขนวัสดุออกไปตอนกลางคืน"
    event = CaseEvent.objects.get(case=submission.case, kind="information")
    assert event.public and not event.note
    audit = AuditEvent.objects.filter(target_id=str(submission.case.pk))
    assert audit.filter(action="case.complainant_message").exists()
    added_event = audit.get(action="case.information_added")
    assert "เห็นรถ" not in str(added_event.data)
    html = client.get(CASE).content.decode()
    assert "ติดต่อฉันทางไลน์ได้" in html and "คุณเพิ่มข้อมูลในเรื่องของคุณ" in html


def test_an_empty_message_is_refused_beside_the_field(
    client: Client, submit: Callable[..., Submission]
) -> None:
    open_case(client, submit().receipt_code)
    response = client.post(MESSAGE, {"message-body": "   "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "กรุณาพิมพ์ข้อความก่อน" in html
    assert 'id="id_message-body_error"' in html
    assert not Message.objects.exists()
    assert client.post(INFORMATION, {"information-body": ""}).status_code == 200
    assert not Message.objects.exists()


def test_dispute_inside_the_window_reopens_the_case(
    client: Client, submit: Callable[..., Submission], coordinator: User
) -> None:
    submission = submit()
    resolve(submission.case, coordinator)
    open_case(client, submission.receipt_code)
    html = client.get(CASE).content.decode()
    assert OUTCOME in html
    assert DISPUTE in html
    response = client.post(DISPUTE, {"dispute-text": "ถนนยังเป็นหลุมเหมือนเดิม"})
    assert response["Location"] == CASE
    case = Case.objects.get(pk=submission.case.pk)
    assert case.status == CaseStatus.SCREENING and case.resolved_at is None
    dispute = Dispute.objects.get(case=case)
    assert dispute.text == "ถนนยังเป็นหลุมเหมือนเดิม"
    event = AuditEvent.objects.get(action="case.outcome_disputed")
    assert event.data["from"] == "resolved" and event.data["to"] == "screening"
    assert "ถนน" not in str(event.data)
    html = client.get(CASE).content.decode()
    assert "ศูนย์ประสานงานกำลังพิจารณาเรื่องของคุณอีกครั้ง" in html
    assert DISPUTE not in html


def test_dispute_outside_the_window_is_refused(
    client: Client, submit: Callable[..., Submission], coordinator: User
) -> None:
    submission = submit()
    long_ago = timezone.now() - timedelta(days=settings.SUJARIT_DISPUTE_DAYS + 1)
    resolve(submission.case, coordinator, at=long_ago)
    open_case(client, submission.receipt_code)
    assert DISPUTE not in client.get(CASE).content.decode()
    response = client.post(DISPUTE, {"dispute-text": "ยังไม่ได้แก้"}, follow=True)
    assert "พ้นกำหนดที่จะโต้แย้งแล้ว" in response.content.decode()
    assert not Dispute.objects.exists()
    assert Case.objects.get(pk=submission.case.pk).status == CaseStatus.RESOLVED


def test_dispute_window_edges(submit: Callable[..., Submission], coordinator: User) -> None:
    case = submit().case
    resolved_at = timezone.now() - timedelta(days=10)
    resolve(case, coordinator, at=resolved_at)
    last_moment = resolved_at + timedelta(days=settings.SUJARIT_DISPUTE_DAYS)
    with pytest.raises(DisputeRefused):
        dispute_outcome(case=case, text="late", now=last_moment + timedelta(seconds=1))
    dispute_outcome(case=case, text="just in time", now=last_moment)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SCREENING


def test_a_case_that_is_not_resolved_cannot_be_disputed(
    client: Client, submit: Callable[..., Submission]
) -> None:
    submission = submit()
    open_case(client, submission.receipt_code)
    assert DISPUTE not in client.get(CASE).content.decode()
    client.post(DISPUTE, {"dispute-text": "ยังไม่ได้แก้"})
    assert not Dispute.objects.exists()
    with pytest.raises(DisputeRefused):
        dispute_outcome(case=submission.case, text="x")


def test_a_dispute_twice_reopens_once(submit: Callable[..., Submission], coordinator: User) -> None:
    case = submit().case
    resolve(case, coordinator)
    dispute_outcome(case=case, text="first")
    with pytest.raises(DisputeRefused):
        dispute_outcome(case=case, text="second")
    assert Dispute.objects.count() == 1


def test_case_page_queries_are_bounded(client: Client, busy_case: Submission) -> None:
    open_case(client, busy_case.receipt_code)
    client.get(CASE)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CASE).status_code == 200
    # Ten for the case, its timeline and messages; one for the files the complainant sent.
    assert len(queries) <= 11


def test_english_follow_up_page(client: Client, submit: Callable[..., Submission]) -> None:
    open_case(client, submit().receipt_code)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(CASE).content.decode()
    assert "Your report has arrived" in html
    assert "Messages with the coordination centre" in html
