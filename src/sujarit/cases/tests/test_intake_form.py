"""The report form at /report/: what it asks, how it refuses, and the receipt code shown once."""

from __future__ import annotations

import re
import time
import uuid
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
from sujarit.audit.models import AuditEvent
from sujarit.cases import receipts
from sujarit.cases.models import Case, Complainant
from sujarit.cases.views.intake import RECEIPT_SESSION_KEY, RECEIPT_SHOWN_FOR_SECONDS

REPORT = reverse("cases:report")
DONE = reverse("cases:report-done")
SUBDISTRICT = "240101"


def valid_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "corruption",
        "description": "เจ้าหน้าที่เรียกเงินใต้โต๊ะเพื่อออกใบอนุญาตก่อสร้าง",
        "subdistrict": SUBDISTRICT,
        "village": "หมู่ 3",
        "occurred_on": "2024-03-16",
        "accused_rank": "official",
        "amount": "5,000",
        "identity": "confidential",
        "name": "นายสมชาย",
        "phone": "081 234 5678",
        "idempotency_key": uuid.uuid4().hex,
        "channel": "web",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_form_page_in_thai_lists_the_kinds_and_the_province_subdistricts(
    client: Client, cases_area: str
) -> None:
    response = client.get(REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="th"' in html
    assert html.count('name="kind"') == 5
    assert 'value="240101"' in html and "<optgroup" in html
    assert 'name="idempotency_key"' in html
    assert "no-store" in response["Cache-Control"]
    key = response.context["form"].initial["idempotency_key"]
    assert uuid.UUID(key).version == 4


def test_each_form_page_gets_a_new_idempotency_key(client: Client, cases_area: str) -> None:
    first = client.get(REPORT).context["form"].initial["idempotency_key"]
    second = client.get(REPORT).context["form"].initial["idempotency_key"]
    assert first != second


def test_form_page_queries_are_bounded(client: Client, cases_area: str) -> None:
    client.get(REPORT)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(REPORT).status_code == 200
    assert len(queries) <= 10


def test_form_explains_kinds_and_identity_in_plain_thai(client: Client, cases_area: str) -> None:
    html = client.get(REPORT).content.decode()
    assert "เราไม่เก็บชื่อ" in html  # anonymous: what it means
    assert "ศูนย์ประสานงาน" in html


def test_prefill_takes_only_whitelisted_parameters(client: Client, cases_area: str) -> None:
    response = client.get(
        REPORT,
        {
            "kind": "procurement",
            "subdistrict": "240102",
            "description": "ถนนที่สร้างเสร็จแล้วแตกร้าว",
            "village": "หมู่ 5",
            "channel": "visit",
            "identity": "named",
            "name": "ใครบางคน",
            "idempotency_key": "chosen-by-the-link",
        },
    )
    initial = response.context["form"].initial
    assert initial["kind"] == "procurement"
    assert initial["subdistrict"] == "240102"
    assert initial["description"] == "ถนนที่สร้างเสร็จแล้วแตกร้าว"
    assert initial["village"] == "หมู่ 5"
    assert initial["channel"] == "visit"
    assert "identity" not in initial and "name" not in initial
    assert initial["idempotency_key"] != "chosen-by-the-link"
    html = response.content.decode()
    procurement = re.search(r'<input[^>]*value="procurement"[^>]*>', html)
    assert procurement is not None and " checked" in procurement.group(0)
    assert 'value="visit"' in html
    assert "ใครบางคน" not in html


def test_prefill_refuses_unknown_values(client: Client, cases_area: str) -> None:
    initial = (
        client.get(REPORT, {"kind": "theft", "subdistrict": "24<b>", "channel": "api"})
        .context["form"]
        .initial
    )
    assert "kind" not in initial and "subdistrict" not in initial and "channel" not in initial


def test_a_valid_report_is_stored_and_the_code_shown_once(client: Client, cases_area: str) -> None:
    response = client.post(REPORT, valid_post())
    assert response.status_code == 302
    assert response["Location"] == DONE
    case = Case.objects.get()
    assert case.kind == "corruption" and case.subdistrict_id == SUBDISTRICT
    assert str(case.amount) == "5000.00"
    assert case.occurred_on is not None and case.occurred_on.isoformat() == "2024-03-16"
    assert case.channel == "web"
    complainant = Complainant.objects.get(case=case)
    assert complainant.phone == "0812345678"
    code = client.session[RECEIPT_SESSION_KEY]["code"]
    assert receipts.matches(code, case.receipt_hash)
    assert code not in response["Location"]

    done = client.get(DONE)
    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    html = done.content.decode()
    assert receipts.display(code).replace(" ", "</span> <span>") in html
    assert RECEIPT_SESSION_KEY not in client.session

    again = client.get(DONE).content.decode()
    assert not any(group in again for group in receipts.display(code).split(" "))
    assert "แสดงไปแล้ว" in again
    assert AuditEvent.objects.filter(action="case.submitted", target_id=str(case.pk)).exists()


def test_done_page_tells_whether_a_passphrase_is_needed(client: Client, cases_area: str) -> None:
    client.post(REPORT, valid_post(passphrase="ลับเฉพาะ1234", passphrase_confirm="ลับเฉพาะ1234"))
    english(client)
    html = client.get(DONE).content.decode()
    assert "You also set a passphrase" in html
    assert Case.objects.get().passphrase_hash.startswith("argon2")


def test_a_receipt_older_than_a_few_minutes_is_not_shown(client: Client, cases_area: str) -> None:
    client.post(REPORT, valid_post())
    session = client.session
    entry = session[RECEIPT_SESSION_KEY]
    entry["at"] = int(time.time()) - RECEIPT_SHOWN_FOR_SECONDS - 1
    session[RECEIPT_SESSION_KEY] = entry
    session.save()
    html = client.get(DONE).content.decode()
    assert receipts.display(entry["code"]) not in html
    assert RECEIPT_SESSION_KEY not in client.session


def test_anonymous_report_keeps_no_contact_even_if_the_form_carried_some(
    client: Client, cases_area: str
) -> None:
    response = client.post(
        REPORT,
        valid_post(identity="anonymous", consent_to_disclose="on", email="not-an-email"),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.identity == "anonymous" and not case.consent_to_disclose
    assert not Complainant.objects.exists()


def test_visit_channel_is_kept_and_names_the_network_member(
    verified_client: Callable[[User], Client], member: User, cases_area: str
) -> None:
    client = verified_client(member)
    assert client.post(REPORT, valid_post(channel="visit")).status_code == 302
    case = Case.objects.get()
    assert case.channel == "visit"
    event = AuditEvent.objects.get(action="case.submitted", target_id=str(case.pk))
    assert event.actor == member


def test_logged_in_user_is_not_tied_to_a_web_report(
    verified_client: Callable[[User], Client], member: User, cases_area: str
) -> None:
    client = verified_client(member)
    client.post(REPORT, valid_post(identity="anonymous"))
    event = AuditEvent.objects.get(action="case.submitted")
    assert event.actor is None


def test_buddhist_era_and_thai_digits_are_understood(client: Client, cases_area: str) -> None:
    client.post(REPORT, valid_post(occurred_on="๑๖/๐๓/๒๕๖๗", amount="๑,๒๐๐.๕๐"))
    case = Case.objects.get()
    assert case.occurred_on is not None and case.occurred_on.isoformat() == "2024-03-16"
    assert str(case.amount) == "1200.50"


def test_map_point_is_rounded_to_six_decimals(client: Client, cases_area: str) -> None:
    client.post(REPORT, valid_post(latitude="13.690412345", longitude="101.0779987"))
    case = Case.objects.get()
    assert str(case.latitude) == "13.690412" and str(case.longitude) == "101.077999"


def test_get_and_post_only(client: Client, cases_area: str) -> None:
    assert client.put(REPORT).status_code == 405
    assert client.post(DONE).status_code == 405


TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()

INVALID: list[tuple[str, dict[str, Any], str, str]] = [
    ("kind", {"kind": None}, "เลือกว่ารายงานนี้เกี่ยวกับเรื่องใด", "Choose what the report is about."),
    ("kind", {"kind": "theft"}, "เลือกหนึ่งในห้าประเภท", "Choose one of the five kinds of report."),
    ("description", {"description": ""}, "เล่าให้เราฟังว่าเกิดอะไรขึ้น", "Tell us what happened."),
    ("description", {"description": "สั้นไป"}, "อย่างน้อย 10 ตัวอักษร", "at least 10 characters"),
    (
        "subdistrict",
        {"subdistrict": ""},
        "เลือกตำบลที่เกิดเหตุ",
        "Choose the subdistrict where it happened.",
    ),
    ("subdistrict", {"subdistrict": "100101"}, "ฉะเชิงเทรา", "Chachoengsao"),
    (
        "latitude",
        {"latitude": "abc", "longitude": "101.1"},
        "ละติจูด",
        "Enter the latitude as a number",
    ),
    ("latitude", {"latitude": "35.0", "longitude": "101.1"}, "นอกประเทศไทย", "outside Thailand"),
    ("longitude", {"latitude": "13.7", "longitude": "120.0"}, "นอกประเทศไทย", "outside Thailand"),
    ("longitude", {"latitude": "13.7"}, "ทั้งละติจูดและลองจิจูด", "both the latitude and the longitude"),
    ("occurred_on", {"occurred_on": TOMORROW}, "อนาคต", "in the future"),
    ("occurred_on", {"occurred_on": "31/02/2024"}, "16/03/2567", "16/03/2567"),
    (
        "accused_agency",
        {"accused_agency": "no-such-agency"},
        "เลือกหน่วยงานจากรายการ",
        "Choose an agency from the list",
    ),
    ("accused_rank", {"accused_rank": "king"}, "เลือกระดับตำแหน่ง", "Choose one of the levels"),
    ("amount", {"amount": "-5"}, "ติดลบ", "cannot be negative"),
    ("amount", {"amount": "ห้าพัน"}, "จำนวนบาท", "number of baht"),
    ("identity", {"identity": None}, "ไม่เปิดเผยตัวตน", "anonymous, confidential or named"),
    (
        "phone",
        {"phone": "", "name": "นายสมชาย"},
        "อย่างน้อยหนึ่งช่องทาง",
        "at least one way to reach you",
    ),
    ("phone", {"phone": "12"}, "9 หรือ 10 หลัก", "9 or 10 digits"),
    ("email", {"phone": "", "email": "not-an-email"}, "somchai@example.com", "somchai@example.com"),
    ("name", {"identity": "named", "name": ""}, "ต้องมีชื่อของคุณ", "needs your name"),
    (
        "passphrase",
        {"passphrase": "short", "passphrase_confirm": "short"},
        "อย่างน้อย 8 ตัวอักษร",
        "at least 8 characters",
    ),
    (
        "passphrase_confirm",
        {"passphrase": "long enough one", "passphrase_confirm": "another"},
        "ไม่ตรงกัน",
        "not the same",
    ),
    ("idempotency_key", {"idempotency_key": "guessable"}, "หมดอายุ", "expired"),
]


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize(
    ("field", "changes", "thai", "english_text"),
    INVALID,
    ids=[f"{row[0]}-{index}" for index, row in enumerate(INVALID)],
)
def test_invalid_field_is_refused_with_a_message_beside_it_and_nothing_saved(
    client: Client,
    cases_area: str,
    language: str,
    field: str,
    changes: dict[str, Any],
    thai: str,
    english_text: str,
) -> None:
    if language == "en":
        english(client)
    data = valid_post(**changes)
    response = client.post(REPORT, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    message = " ".join(form.errors[field])
    assert (thai if language == "th" else english_text) in message
    html = response.content.decode()
    if field not in ("idempotency_key", "kind", "identity"):
        assert f'id="id_{field}_error"' in html
        assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in html or (
            f'aria-describedby="id_{field}_error"' in html
        )
    # What was typed is kept (except passphrases, which are never sent back).
    if data.get("description"):
        assert data["description"] in html
    assert not Case.objects.exists()
    assert not Complainant.objects.exists()
    assert not AuditEvent.objects.filter(action="case.submitted").exists()
