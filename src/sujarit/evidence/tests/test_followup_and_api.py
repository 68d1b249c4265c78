"""The complainant adds files later: on the follow-up page (with the receipt code's session)
and through ``POST /api/v1/reports/evidence`` (with the code in the form)."""

from __future__ import annotations

from django.urls import reverse

import pytest

from sujarit.audit.models import AuditEvent
from sujarit.cases.models import CaseEvent
from sujarit.cases.tests.test_followup_pages import open_case
from sujarit.evidence.models import EvidenceFile
from sujarit.evidence.tests import samples
from sujarit.evidence.tests.conftest import stored_files, upload

pytestmark = pytest.mark.django_db
API = "/api/v1/reports/evidence"


def test_follow_up_page_adds_files_and_lists_what_was_sent(client, submit, evidence_dir):
    submission = submit()
    open_case(client, submission.receipt_code)
    response = client.post(
        reverse("evidence:follow-add"),
        {
            "evidence": [
                upload("IMG_1.HEIC", samples.heic_with_gps()),
                upload("a.mp3", samples.mp3_with_tags()),
            ]
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:follow-case")
    rows = list(EvidenceFile.objects.filter(case=submission.case).order_by("id"))
    assert [row.kind for row in rows] == ["jpeg", "mp3"]  # the HEIC photo became a JPEG
    assert (
        CaseEvent.objects.filter(case=submission.case, kind="information", public=True).count() == 1
    )
    assert AuditEvent.objects.get(action="evidence.added").actor is None
    assert len(stored_files(evidence_dir)) == 2

    page = client.get(reverse("cases:follow-case")).content.decode()
    assert "JPEG" in page and "MP3" in page
    assert "IMG_1" not in page  # the file name was never kept
    assert reverse("evidence:download", args=[rows[0].uuid]) not in page


def test_follow_up_page_refuses_a_bad_file_and_stores_nothing(client, submit, evidence_dir):
    submission = submit()
    open_case(client, submission.receipt_code)
    response = client.post(
        reverse("evidence:follow-add"),
        {
            "evidence": [
                upload("ok.jpg", samples.jpeg_with_gps()),
                upload("x.pdf", b"%PDF-1.4 broken"),
            ]
        },
    )
    assert response.status_code == 200
    assert "x.pdf" in response.content.decode()
    assert not EvidenceFile.objects.exists()
    assert stored_files(evidence_dir) == []


def test_follow_up_evidence_needs_an_opened_case(client, submit, evidence_dir):
    response = client.post(
        reverse("evidence:follow-add"),
        {"evidence": [upload("ok.jpg", samples.jpeg_with_gps())]},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:follow")
    assert not EvidenceFile.objects.exists()


def test_api_adds_files_with_the_receipt_code(client, submit, evidence_dir):
    submission = submit()
    response = client.post(
        API,
        {
            "code": submission.receipt_code,
            "evidence": [upload("v.mp4", samples.mp4_with_location())],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["added"] == 1
    assert body["files"][0]["kind"] == "mp4" and body["files"][0]["family"] == "video"
    assert "no-store" in response["Cache-Control"]
    assert EvidenceFile.objects.get().case == submission.case


def test_api_refuses_a_wrong_code_before_reading_files(client, submit, evidence_dir):
    submit()
    response = client.post(
        API, {"code": "1234 5678 9012 3456", "evidence": [upload("a.jpg", samples.jpeg_with_gps())]}
    )
    assert response.status_code in (404, 422)
    assert not EvidenceFile.objects.exists()


def test_api_refuses_a_disallowed_file_with_its_reason(client, submit, evidence_dir):
    submission = submit()
    response = client.post(
        API,
        {"code": submission.receipt_code, "evidence": [upload("a.exe", b"MZ" + b"\x00" * 100)]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["errors"]["evidence"][0]["code"] == "kind"
    assert "a.exe" in body["detail"]
    assert not EvidenceFile.objects.exists()


def test_api_wants_multipart(client, submit):
    submission = submit()
    response = client.post(API, {"code": submission.receipt_code}, content_type="application/json")
    assert response.status_code == 400


def test_openapi_documents_the_endpoint(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/reports/evidence"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"201", "422", "429"} <= set(operation["responses"])


def test_api_refuses_an_oversize_file_without_keeping_it(client, submit, evidence_dir, settings):
    settings.SUJARIT_EVIDENCE_MAX_BYTES = 4096
    submission = submit()
    response = client.post(
        API,
        {
            "code": submission.receipt_code,
            "evidence": [upload("big.wav", samples.wav_with_info() * 8)],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert response.json()["errors"]["evidence"][0]["code"] == "too_large"
    assert stored_files(evidence_dir) == []
