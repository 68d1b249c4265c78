"""A coordinator attaches files on the staff case page."""

from __future__ import annotations

from django.urls import reverse

import pytest

from sujarit.audit.models import AuditEvent
from sujarit.evidence.models import EvidenceFile, Source
from sujarit.evidence.tests import samples
from sujarit.evidence.tests.conftest import stored_files, upload

pytestmark = pytest.mark.django_db


def test_coordinator_attaches_a_document(case_factory, coordinator, verified_client, evidence_dir):
    case = case_factory()
    client = verified_client(coordinator)
    response = client.post(
        reverse("evidence:staff-add", args=[case.pk]),
        {"evidence": [upload("letter.docx", samples.docx_with_author())]},
    )
    assert response.status_code == 302
    row = EvidenceFile.objects.get()
    assert (row.source, row.added_by, row.kind) == (Source.STAFF, coordinator, "docx")
    event = AuditEvent.objects.get(action="evidence.added")
    assert event.actor == coordinator
    assert event.data == {"source": "staff", "files": [row.pk], "kinds": ["docx"]}
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert row.generic_name in page


def test_a_refused_file_shows_on_the_case_page_with_nothing_stored(
    case_factory, coordinator, verified_client, evidence_dir
):
    case = case_factory()
    response = verified_client(coordinator).post(
        reverse("evidence:staff-add", args=[case.pk]),
        {"evidence": [upload("notes.txt", b"plain text is not evidence we accept")]},
    )
    assert response.status_code == 400
    assert "notes.txt" in response.content.decode()
    assert not EvidenceFile.objects.exists()
    assert stored_files(evidence_dir) == []


def test_nothing_chosen_is_refused(case_factory, coordinator, verified_client):
    case = case_factory()
    response = verified_client(coordinator).post(reverse("evidence:staff-add", args=[case.pk]), {})
    assert response.status_code == 400
