"""Who may download evidence and attach files, for every persona. Chai (officer_a) works for
the agency the case is referred to; Dao (officer_b) for another agency, for whom the case
does not exist (404). Auditors and administrators may open the case but not its evidence
(403): evidence can identify the complainant. Nobody but a coordinator attaches files."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

import pytest

from sujarit.audit.models import AuditEvent
from sujarit.cases.tests.agency_support import refer
from sujarit.cases.tests.test_followup_pages import open_case
from sujarit.evidence.models import EvidenceFile
from sujarit.evidence.storage import read_sealed
from sujarit.evidence.tests import samples
from sujarit.evidence.tests.conftest import upload

pytestmark = pytest.mark.django_db

LOGIN = "login"
PERSONAS = [
    "anonymous",
    "outsider",
    "coordinator",
    "officer_a",
    "officer_b",
    "auditor",
    "admin_user",
]
DOWNLOAD: dict[str, int | str] = {
    "anonymous": LOGIN,
    "outsider": 404,
    "coordinator": 200,
    "officer_a": 200,
    "officer_b": 404,
    "auditor": 403,
    "admin_user": 403,
}
ATTACH: dict[str, int | str] = {
    "anonymous": LOGIN,
    "outsider": 404,
    "coordinator": 302,
    "officer_a": 403,
    "officer_b": 404,
    "auditor": 403,
    "admin_user": 403,
}


@pytest.fixture
def referred(case_with_evidence, coordinator, agency_a):
    case, row = case_with_evidence()
    refer(case, agency_a, by=coordinator)
    return case, row


def client_for(request: pytest.FixtureRequest, persona: str) -> Client:
    if persona == "anonymous":
        return Client()
    client: Client = request.getfixturevalue("verified_client")(request.getfixturevalue(persona))
    return client


def check(response: Any, expected: int | str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize("persona", PERSONAS)
def test_download(request, referred, persona):
    case, row = referred
    response = client_for(request, persona).get(reverse("evidence:download", args=[row.uuid]))
    check(response, DOWNLOAD[persona])
    downloads = AuditEvent.objects.filter(action="evidence.downloaded")
    if DOWNLOAD[persona] == 200:
        assert response.content == read_sealed(row.storage_name, context=row.context)
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"] == f'attachment; filename="{row.generic_name}"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert response["Content-Security-Policy"].startswith("sandbox")
        assert downloads.get().data == {"file": row.pk}
    else:
        assert not downloads.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_attach(request, referred, persona):
    case, _row = referred
    response = client_for(request, persona).post(
        reverse("evidence:staff-add", args=[case.pk]),
        {"evidence": [upload("scan.pdf", samples.pdf_with_author())]},
    )
    check(response, ATTACH[persona])
    added = EvidenceFile.objects.filter(case=case, source="staff")
    assert added.count() == (1 if ATTACH[persona] == 302 else 0)


def test_the_complainant_cannot_download_even_their_own_file(client, submit, evidence_dir):
    from sujarit.evidence.actions import add_citizen_evidence
    from sujarit.evidence.tests.conftest import prepared

    submission = submit()
    (row,) = add_citizen_evidence(
        case=submission.case, files=[prepared("a.jpg", samples.jpeg_with_gps())]
    )
    assert open_case(client, submission.receipt_code).status_code == 302
    check(client.get(reverse("evidence:download", args=[row.uuid])), LOGIN)


def test_an_unknown_or_purged_file_is_not_found(request, referred, coordinator, verified_client):
    from django.utils import timezone

    _case, row = referred
    client = verified_client(coordinator)
    assert (
        client.get(
            reverse("evidence:download", args=["0" * 8 + "-0000-4000-8000-" + "0" * 12])
        ).status_code
        == 404
    )
    EvidenceFile.objects.filter(pk=row.pk).update(purged_at=timezone.now())
    assert client.get(reverse("evidence:download", args=[row.uuid])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "listed"),
    [("coordinator", True), ("officer_a", True), ("auditor", False), ("admin_user", False)],
)
def test_case_pages_list_files_only_for_those_who_may_download_them(
    request, referred, persona, listed
):
    case, row = referred
    client = client_for(request, persona)
    if persona == "officer_a":
        referral = case.referrals.get()
        page = client.get(reverse("cases:referral", args=[referral.pk]))
    else:
        page = client.get(reverse("cases:case", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert (reverse("evidence:download", args=[row.uuid]) in html) is listed
    assert ('action="' + reverse("evidence:staff-add", args=[case.pk]) in html) is (
        persona == "coordinator"
    )
