"""The agency admin and its CSV upload, for staff who may manage agencies."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import pytest

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/agencies/agency/import/"


def upload(text: str, *, dry_run: bool) -> dict[str, object]:
    data: dict[str, object] = {
        "file": SimpleUploadedFile("agencies.csv", text.encode("utf-8-sig"), "text/csv")
    }
    if dry_run:
        data["dry_run"] = "on"
    return data


def test_admin_lists_and_searches_agencies(
    areas: None, admin_user: User, verified_client: Callable[[User], Client]
) -> None:
    Agency.objects.create(code="nacc", kind="nacc", level="national", name_th="สำนักงาน ป.ป.ช.")
    Agency.objects.create(
        code="pao-24", kind="pao", level="local", name_th="อบจ.", province_id="24"
    )
    client = verified_client(admin_user)
    html = client.get("/admin/agencies/agency/", {"q": "ป.ป.ช."}).content.decode()
    assert "สำนักงาน ป.ป.ช." in html and "อบจ." not in html
    assert IMPORT_URL in html
    response = client.get(f"/admin/agencies/agency/{Agency.objects.get(code='pao-24').pk}/change/")
    assert response.status_code == 200
    assert "240101 หน้าเมือง (เมืองฉะเชิงเทรา)" in response.content.decode()


def test_admin_imports_a_csv_and_shows_the_report(
    areas: None, admin_user: User, verified_client: Callable[[User], Client]
) -> None:
    client = verified_client(admin_user)
    assert client.get(IMPORT_URL).status_code == 200
    text = "code,kind,name_th,province_code\nnacc,nacc,ป.ป.ช.,\nbad,pao,,24\n"
    # The site follows the language switch's cookie, not the browser's Accept-Language.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(IMPORT_URL, upload(text, dry_run=True))
    assert response.status_code == 200
    assert "Report of the dry run (nothing was written)" in response.content.decode()
    assert not Agency.objects.exists()

    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    response = client.post(IMPORT_URL, upload(text, dry_run=False))
    html = response.content.decode()
    assert Agency.objects.filter(code="nacc").exists()
    assert "<td>3</td>" in html  # the line of the bad row
    event = AuditEvent.objects.get(action="agencies.imported")
    assert event.actor == admin_user and event.data["bad_rows"] == 1


def test_admin_import_reports_a_file_that_is_not_utf8(
    areas: None, admin_user: User, verified_client: Callable[[User], Client]
) -> None:
    client = verified_client(admin_user)
    data = {"file": SimpleUploadedFile("a.csv", "code,kind,name_th\n".encode("cp874") + b"\xa1\n")}
    response = client.post(IMPORT_URL, data)
    assert response.status_code == 200
    assert 'class="errornote"' in response.content.decode()
    assert not AuditEvent.objects.filter(action="agencies.imported").exists()


def test_a_coordinator_is_sent_away_from_the_admin(
    areas: None, coordinator: User, verified_client: Callable[[User], Client]
) -> None:
    client = verified_client(coordinator)
    text = "code,kind,name_th\nnacc,nacc,ป.ป.ช.\n"
    response = client.post(IMPORT_URL, upload(text, dry_run=False))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not Agency.objects.exists()


def test_staff_without_the_agency_permissions_cannot_import(
    areas: None, verified_client: Callable[[User], Client]
) -> None:
    sam = User.objects.create_user("sam", "sam@example.org", is_staff=True)
    client = verified_client(sam)
    assert client.get(IMPORT_URL).status_code == 403
    text = "code,kind,name_th\nnacc,nacc,ป.ป.ช.\n"
    assert client.post(IMPORT_URL, upload(text, dry_run=False)).status_code == 403
    assert not Agency.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(areas: None, client: Client) -> None:
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert "login" in response["Location"]
