"""Files sent with a report at /report/: checked with the rest of the form, stored with the
case or not at all."""

from __future__ import annotations

from django.urls import reverse

import pytest

from sujarit.audit.models import AuditEvent
from sujarit.cases.models import Case
from sujarit.cases.tests.test_intake_form import valid_post
from sujarit.evidence.models import EvidenceFile, Source
from sujarit.evidence.tests import samples
from sujarit.evidence.tests.conftest import stored_files, upload

pytestmark = pytest.mark.django_db
REPORT = reverse("cases:report")


def test_report_with_a_photo_and_a_pdf_stores_both_with_the_case(client, cases_area, evidence_dir):
    data = valid_post()
    data["evidence"] = [
        upload("IMG_0042.jpg", samples.jpeg_with_gps(), "image/jpeg"),
        upload("budget.pdf", samples.pdf_with_author(), "application/pdf"),
    ]
    response = client.post(REPORT, data)

    assert response.status_code == 302
    case = Case.objects.get()
    rows = list(EvidenceFile.objects.filter(case=case).order_by("id"))
    assert [row.kind for row in rows] == ["jpeg", "pdf"]
    assert all(row.source == Source.CITIZEN and row.added_by is None for row in rows)
    assert len(stored_files(evidence_dir)) == 2
    event = AuditEvent.objects.get(action="evidence.added")
    assert event.data == {
        "source": "citizen",
        "files": [r.pk for r in rows],
        "kinds": ["jpeg", "pdf"],
    }


def test_an_oversize_file_is_refused_beside_the_field_and_the_report_is_kept(
    client, cases_area, evidence_dir, settings
):
    settings.SUJARIT_EVIDENCE_MAX_BYTES = 2048
    data = valid_post(description="เจ้าหน้าที่เรียกเงินใต้โต๊ะ ข้อความที่ต้องไม่หาย")
    data["evidence"] = [upload("big.jpg", samples.jpeg_with_gps() + b"\x00" * 4096)]
    response = client.post(REPORT, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "big.jpg" in html
    assert "2.0" in html  # the limit is said as configured (2.0 KB)
    errors = response.context["form"].errors["evidence"]
    assert errors and "big.jpg" in errors[0]
    assert "ข้อความที่ต้องไม่หาย" in html  # what was typed is still there
    assert not Case.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert stored_files(evidence_dir) == []


def test_a_disallowed_kind_is_refused_whatever_its_name_says(client, cases_area, evidence_dir):
    data = valid_post()
    data["evidence"] = [upload("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, "image/jpeg")]
    response = client.post(REPORT, data)

    assert response.status_code == 200
    assert "photo.jpg" in response.context["form"].errors["evidence"][0]
    assert not Case.objects.exists()
    assert stored_files(evidence_dir) == []


def test_too_many_files_are_refused(client, cases_area, evidence_dir, settings):
    settings.SUJARIT_EVIDENCE_MAX_FILES = 2
    data = valid_post()
    data["evidence"] = [upload(f"p{n}.png", samples.png_with_text()) for n in range(3)]
    response = client.post(REPORT, data)

    assert response.status_code == 200
    assert response.context["form"].errors["evidence"]
    assert not Case.objects.exists()
    assert stored_files(evidence_dir) == []


def test_an_invalid_report_stores_no_file_and_asks_for_the_files_again(
    client, cases_area, evidence_dir
):
    data = valid_post(description="")
    data["evidence"] = [upload("IMG_0042.jpg", samples.jpeg_with_gps())]
    response = client.post(REPORT, data)

    assert response.status_code == 200
    assert response.context["form"].errors["description"]
    assert response.context["form"].errors["evidence"]  # "choose them again"
    assert not EvidenceFile.objects.exists()
    assert stored_files(evidence_dir) == []


def test_a_repeated_submission_stores_its_files_once(client, cases_area, evidence_dir):
    data = valid_post()
    for _ in range(2):
        data["evidence"] = [upload("IMG_0042.jpg", samples.jpeg_with_gps())]
        assert client.post(REPORT, data).status_code == 302
    assert Case.objects.count() == 1
    assert EvidenceFile.objects.count() == 1
    assert len(stored_files(evidence_dir)) == 1


def test_files_written_for_a_failed_transaction_are_deleted(cases_area, evidence_dir, monkeypatch):
    from sujarit.audit import actions as audit_actions
    from sujarit.cases.testing import report_input
    from sujarit.evidence import actions
    from sujarit.evidence.tests.conftest import prepared

    def failing_record(**kwargs):
        if kwargs["action"] == "evidence.added":
            raise RuntimeError("database went away")
        return audit_actions.record(**kwargs)

    monkeypatch.setattr(actions, "record", failing_record)
    with pytest.raises(RuntimeError):
        actions.submit_report_with_evidence(
            report=report_input(), files=[prepared("a.jpg", samples.jpeg_with_gps())]
        )
    assert not Case.objects.exists()
    assert stored_files(evidence_dir) == []
