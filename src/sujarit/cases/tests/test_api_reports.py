"""The reports API: submit, follow up and write with a receipt code; documented in OpenAPI."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any, get_args

from django.test import Client
from django.urls import reverse

import pytest

from sujarit.accounts.models import User
from sujarit.audit.models import AuditEvent
from sujarit.cases import receipts
from sujarit.cases.actions.intake import Submission
from sujarit.cases.api.reports import IdentityValue, KindValue, RankValue
from sujarit.cases.models import Case, CaseEvent, Complainant, Identity, Message, Rank, ReportKind
from sujarit.cases.views.followup import FOLLOW_SESSION_KEY

SUBMIT = "/api/v1/reports"
FOLLOW_UP = "/api/v1/reports/follow-up"
MESSAGES = "/api/v1/reports/messages"


def report_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "procurement",
        "description": "โครงการถนนคอนกรีตหมู่ 4 เบิกจ่ายครบแต่ถนนยังสร้างไม่เสร็จ",
        "subdistrict": "240101",
        "identity": "anonymous",
        "amount": 1250000.5,
        "occurred_on": "2024-01-10",
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def post(
    client: Client,
    url: str,
    body: Any,
    *,
    key: str | None = None,
    language: str = "",
    address: str = "203.0.113.9",
) -> Any:
    headers: dict[str, str] = {}
    if key is not None:
        headers["Idempotency-Key"] = key
    if language:
        headers["Accept-Language"] = language
    return client.post(
        url,
        data=body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
        headers=headers,
        REMOTE_ADDR=address,
    )


def new_key() -> str:
    return str(uuid.uuid4())


def test_the_schema_enums_match_the_models() -> None:
    assert set(get_args(KindValue)) == set(ReportKind.values)
    assert set(get_args(IdentityValue)) == set(Identity.values)
    assert set(get_args(RankValue)) == set(Rank.values)


def test_submit_creates_the_report_and_answers_with_the_code(
    client: Client, cases_area: str
) -> None:
    response = post(client, SUBMIT, report_body(), key=new_key())
    assert response.status_code == 201, response.content
    data = response.json()
    case = Case.objects.get()
    assert receipts.is_well_formed(data["receipt_code"])
    assert receipts.matches(data["receipt_code"], case.receipt_hash)
    assert data["receipt_code_display"] == receipts.display(data["receipt_code"])
    assert data["created"] is True
    assert data["status"] == "received"
    assert data["status_label"] == "รับเรื่องแล้ว"
    assert data["follow_up"]["web"].endswith("/follow/")
    assert data["follow_up"]["api"].endswith(FOLLOW_UP)
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Language"] == "th"
    assert case.channel == "api" and case.kind == "procurement"
    assert case.amount == Decimal("1250000.50")
    assert not Complainant.objects.exists()
    assert AuditEvent.objects.filter(action="case.submitted", target_id=str(case.pk)).exists()


def test_the_same_key_twice_gives_the_same_case_and_code(client: Client, cases_area: str) -> None:
    key = new_key()
    first = post(client, SUBMIT, report_body(), key=key)
    second = post(client, SUBMIT, report_body(), key=key)
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["receipt_code"] == second.json()["receipt_code"]
    assert second.json()["created"] is False
    assert Case.objects.count() == 1


def test_a_key_reused_for_another_report_is_refused(client: Client, cases_area: str) -> None:
    key = new_key()
    first = post(client, SUBMIT, report_body(), key=key)
    other = post(client, SUBMIT, report_body(description="เรื่องอื่นที่ไม่เกี่ยวกันเลยแม้แต่น้อย"), key=key)
    assert other.status_code == 409
    assert first.json()["receipt_code"] not in other.content.decode()
    assert set(other.json()["errors"]) == {"Idempotency-Key"}
    assert Case.objects.count() == 1


@pytest.mark.parametrize("key", [None, "", "short", "x" * 129, "has spaces in it ok?"])
def test_a_missing_or_weak_idempotency_key_is_refused(
    client: Client, cases_area: str, key: str | None
) -> None:
    response = post(client, SUBMIT, report_body(), key=key, language="en")
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "thai", "english"),
    [
        ({"kind": "theft"}, "kind", "เลือกหนึ่งในห้าประเภท", "Choose one of the five kinds"),
        ({"description": "สั้น"}, "description", "อย่างน้อย 10", "at least 10"),
        ({"subdistrict": "100101"}, "subdistrict", "ฉะเชิงเทรา", "Chachoengsao"),
        ({"amount": -1}, "amount", "ติดลบ", "cannot be negative"),
        ({"amount": "lots"}, "amount", "จำนวนบาท", "number of baht"),
        ({"occurred_on": "2999-01-01"}, "occurred_on", "อนาคต", "in the future"),
        ({"latitude": 40, "longitude": 100}, "latitude", "นอกประเทศไทย", "outside Thailand"),
        ({"identity": "named"}, "name", "ต้องมีชื่อ", "needs your name"),
        ({"identity": "confidential"}, "phone", "อย่างน้อยหนึ่งช่องทาง", "at least one way"),
        ({"passphrase": "short"}, "passphrase", "อย่างน้อย 8", "at least 8"),
        ({"accused_agency": "nope"}, "accused_agency", "เลือกหน่วยงาน", "Choose an agency"),
    ],
)
@pytest.mark.parametrize("language", ["th", "en-GB,en;q=0.8"])
def test_invalid_fields_answer_422_in_the_requests_language(
    client: Client,
    cases_area: str,
    changes: dict[str, Any],
    field: str,
    thai: str,
    english: str,
    language: str,
) -> None:
    response = post(client, SUBMIT, report_body(**changes), key=new_key(), language=language)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert field in errors
    message = errors[field][0]["message"]
    assert (thai if language == "th" else english) in message
    assert errors[field][0]["code"]
    assert response.json()["detail"]
    assert not Case.objects.exists()


def test_unknown_fields_and_structured_values_are_refused(client: Client, cases_area: str) -> None:
    response = post(
        client, SUBMIT, report_body(channel="visit", village=["a"]), key=new_key(), language="en"
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["channel"][0]["code"] == "unknown"
    assert errors["village"][0]["code"] == "invalid_type"
    assert not Case.objects.exists()


@pytest.mark.parametrize("body", ["not json", "[1, 2]", ""])
def test_a_body_that_is_not_a_json_object_answers_400(
    client: Client, cases_area: str, body: str
) -> None:
    response = post(client, SUBMIT, body, key=new_key())
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"][0]["code"] == "invalid_json"


def test_confidential_report_keeps_its_contact(client: Client, cases_area: str) -> None:
    body = report_body(identity="confidential", line_id="somsri", consent_to_disclose=True)
    assert post(client, SUBMIT, body, key=new_key()).status_code == 201
    case = Case.objects.get()
    assert case.consent_to_disclose is True
    assert Complainant.objects.get(case=case).line_id == "somsri"


def test_follow_up_answers_the_plain_language_view(
    client: Client, submit: Callable[..., Submission]
) -> None:
    submission = submit()
    response = post(client, FOLLOW_UP, {"code": receipts.display(submission.receipt_code)})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "received"
    assert data["kind"] == "corruption"
    assert data["subdistrict"]["code"] == "240101"
    assert data["timeline"][0]["text"].startswith("เรื่องของคุณส่งถึงแล้ว")
    assert data["messages"] == []
    assert data["can_dispute"] is False
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="case.followed_up").count() == 1


def test_follow_up_in_english(client: Client, submit: Callable[..., Submission]) -> None:
    submission = submit()
    data = post(client, FOLLOW_UP, {"code": submission.receipt_code}, language="en").json()
    assert data["status_label"] == "Received"
    assert data["timeline"][0]["text"].startswith("Your report has arrived")


def test_follow_up_refusals(client: Client, submit: Callable[..., Submission]) -> None:
    protected = submit(passphrase="correct horse battery")
    other_code = receipts.code_for("never-submitted")
    mistyped = other_code[:-1] + str((int(other_code[-1]) + 1) % 10)
    assert post(client, FOLLOW_UP, {"code": mistyped}).status_code == 422
    assert post(client, FOLLOW_UP, {"code": other_code}).status_code == 404
    missing = post(client, FOLLOW_UP, {"code": protected.receipt_code})
    assert missing.status_code == 403
    assert missing.json()["errors"]["passphrase"][0]["code"] == "passphrase_required"
    wrong = post(client, FOLLOW_UP, {"code": protected.receipt_code, "passphrase": "wrong one!"})
    assert wrong.status_code == 403
    right = post(
        client,
        FOLLOW_UP,
        {"code": protected.receipt_code, "passphrase": "correct horse battery"},
    )
    assert right.status_code == 200
    assert post(client, FOLLOW_UP, {}).status_code == 422
    assert post(client, FOLLOW_UP, {"code": other_code, "extra": 1}).status_code == 422


def test_follow_up_is_throttled_with_retry_after(
    client: Client, submit: Callable[..., Submission], settings: Any
) -> None:
    settings.SUJARIT_RECEIPT_MAX_FAILURES = 3
    submission = submit()
    wrong = receipts.code_for("not-a-report")
    assert post(client, FOLLOW_UP, {"code": wrong}).status_code == 404
    assert post(client, FOLLOW_UP, {"code": wrong}).status_code == 404
    locked = post(client, FOLLOW_UP, {"code": wrong})
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    # Even the right code waits, from this client; another client is not affected.
    assert post(client, FOLLOW_UP, {"code": submission.receipt_code}).status_code == 429
    other = post(client, FOLLOW_UP, {"code": submission.receipt_code}, address="198.51.100.7")
    assert other.status_code == 200


def test_a_follow_up_session_cookie_opens_nothing_in_the_api(
    client: Client, submit: Callable[..., Submission]
) -> None:
    submission = submit()
    client.post(reverse("cases:follow"), {"code": submission.receipt_code})
    assert FOLLOW_SESSION_KEY in client.session
    response = post(client, FOLLOW_UP, {"code": ""})
    assert response.status_code == 422
    assert submission.case.description not in response.content.decode()
    assert post(client, MESSAGES, {"body": "hello there"}).status_code == 422
    assert not Message.objects.exists()


def test_send_a_message_and_add_information(
    client: Client, submit: Callable[..., Submission]
) -> None:
    submission = submit()
    code = submission.receipt_code
    sent = post(client, MESSAGES, {"code": code, "body": "มีภาพถ่ายเพิ่มเติม ติดต่อได้ไหม"})
    assert sent.status_code == 201, sent.content
    assert sent.json()["message"]["sender"] == "complainant"
    info = post(
        client, MESSAGES, {"code": code, "body": "เกิดเหตุซ้ำเมื่อวานนี้", "adds_information": True}
    )
    assert info.status_code == 201
    assert info.json()["message"]["adds_information"] is True
    assert Message.objects.filter(case=submission.case).count() == 2
    assert CaseEvent.objects.filter(case=submission.case, kind="information").count() == 1
    assert AuditEvent.objects.filter(action="case.complainant_message").count() == 1
    assert AuditEvent.objects.filter(action="case.information_added").count() == 1
    thread = post(client, FOLLOW_UP, {"code": code}).json()["messages"]
    assert [m["body"] for m in thread] == ["มีภาพถ่ายเพิ่มเติม ติดต่อได้ไหม", "เกิดเหตุซ้ำเมื่อวานนี้"]


def test_message_refusals(client: Client, submit: Callable[..., Submission]) -> None:
    submission = submit()
    assert post(client, MESSAGES, {"code": submission.receipt_code}).status_code == 422
    assert (
        post(
            client,
            MESSAGES,
            {"code": submission.receipt_code, "body": "x", "adds_information": "yes"},
        ).status_code
        == 422
    )
    wrong = receipts.code_for("nobody")
    assert post(client, MESSAGES, {"code": wrong, "body": "hello"}).status_code == 404
    assert not Message.objects.exists()


def test_endpoints_refuse_other_methods(client: Client, db: None) -> None:
    assert client.get(SUBMIT).status_code == 405
    assert client.get(FOLLOW_UP).status_code == 405
    assert client.get(MESSAGES).status_code == 405


def test_openapi_document_lists_the_endpoints_and_describes_every_field(
    client: Client, db: None
) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    paths = document["paths"]
    assert "post" in paths[SUBMIT]
    assert "post" in paths[FOLLOW_UP]
    assert "post" in paths[MESSAGES]
    submit_op = paths[SUBMIT]["post"]
    assert {"201", "200", "409", "422", "400"} <= set(submit_op["responses"])
    header = next(p for p in submit_op["parameters"] if p["name"] == "Idempotency-Key")
    assert header["required"] is True and header["in"] == "header"
    assert {"403", "404", "429"} <= set(paths[FOLLOW_UP]["post"]["responses"])

    def described(schema: dict[str, Any]) -> None:
        for name, prop in schema.get("properties", {}).items():
            assert prop.get("description"), f"{schema.get('title')}.{name} has no description"

    for path in (SUBMIT, FOLLOW_UP, MESSAGES):
        body = paths[path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert body["properties"]
        described(body)
    for name, schema in document["components"]["schemas"].items():
        if name in {
            "ReportReceiptOut",
            "ReportFollowUpOut",
            "ReportErrorOut",
            "ReportFieldError",
            "FollowUpLinksOut",
            "ReportSubdistrictOut",
            "ReportTimelineEntryOut",
            "ReportMessageOut",
            "ReportMessageSentOut",
        }:
            described(schema)
    # No operation here relies on a cookie session.
    for path in (SUBMIT, FOLLOW_UP, MESSAGES):
        assert "security" not in paths[path]["post"]


def test_api_docs_page(client: Client, db: None) -> None:
    assert client.get("/api/v1/docs").status_code == 200


def test_staff_session_gives_the_api_nothing_more(
    verified_client: Callable[[User], Client],
    coordinator: User,
    submit: Callable[..., Submission],
) -> None:
    client = verified_client(coordinator)
    response = post(client, FOLLOW_UP, {"code": receipts.code_for("x")})
    assert response.status_code == 404


def test_the_api_needs_no_csrf_token(cases_area: str) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("cases:report"))  # a CSRF cookie is now set, and ignored by the API
    response = post(client, SUBMIT, report_body(), key=new_key())
    assert response.status_code == 201
    code = response.json()["receipt_code"]
    assert post(client, FOLLOW_UP, {"code": code}).status_code == 200


def test_api_forms_do_not_share_their_field_objects(db: None) -> None:
    from sujarit.cases.forms_intake import ApiIntakeForm, IntakeForm

    first, second = ApiIntakeForm({}), ApiIntakeForm({})
    first.fields["kind"].help_text = "changed on one form only"
    assert second.fields["kind"].help_text != "changed on one form only"
    assert ApiIntakeForm.base_fields["kind"].help_text != "changed on one form only"
    assert "channel" not in first.fields and "channel" in IntakeForm.base_fields
    assert "Idempotency-Key" in str(first.fields["idempotency_key"].error_messages["required"])
    assert "Idempotency-Key" not in str(IntakeForm().fields["idempotency_key"].error_messages)
