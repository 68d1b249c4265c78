"""Monitoring visits: checklists, private photos without metadata, a report from the facts,
and the public summary on the subdistrict page."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.test import Client

import pytest
from PIL import Image

from sujarit.accounts.models import User
from sujarit.accounts.testing import in_english
from sujarit.audit.models import AuditEvent
from sujarit.network import actions
from sujarit.network.intake import visit_report_url
from sujarit.network.models import ChecklistTemplate, Visit
from sujarit.network.tests.conftest import Tree, area, jpeg_with_gps

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(coordinator: User) -> ChecklistTemplate:
    return actions.create_checklist(
        name="โครงการก่อสร้าง",
        questions=["มีป้ายแสดงงบประมาณและผู้รับจ้างหรือไม่", "งานตรงตามแบบหรือไม่", " "],
        by=coordinator,
        province_code="24",
    )


@pytest.fixture
def visit(network: Tree, people: dict[str, User], checklist: ChecklistTemplate) -> Visit:
    sign, work = checklist.questions.all()
    return actions.record_visit(
        values=actions.VisitInput(
            visited_on=dt.date(2026, 1, 10),
            subdistrict=area(network),
            organization=network.na_mueang,
            project_title="ถนนคอนกรีต หมู่ 2",
            project_reference="EGP-660312345",
            village="หมู่ 2",
            checklist=checklist,
            answers={sign.pk: ("no", "ไม่พบป้าย"), work.pk: ("yes", "")},
            notes="ผู้รับเหมาไม่อยู่หน้างาน",
        ),
        by=people["tom"],
    )


def test_checklists_keep_their_questions_in_order(checklist: ChecklistTemplate) -> None:
    assert [q.order for q in checklist.questions.all()] == [1, 2]
    actions.update_checklist(
        template=checklist,
        name=checklist.name,
        description="",
        is_active=True,
        new_questions=["มีผู้ควบคุมงานหรือไม่"],
        by=None,
        province_code="24",
    )
    assert [q.text for q in checklist.questions.all()][-1] == "มีผู้ควบคุมงานหรือไม่"
    assert AuditEvent.objects.filter(action="network.checklist_updated").exists()
    with pytest.raises(ValidationError):
        actions.create_checklist(name="ว่าง", questions=[""], by=None, province_code="24")


def test_a_visit_is_recorded_with_its_answers(visit: Visit, people: dict[str, User]) -> None:
    assert {a.answer for a in visit.answers.all()} == {"no", "yes"}
    event = AuditEvent.objects.get(action="network.visit_recorded")
    assert event.actor == people["tom"] and event.data["answers"] == 2
    assert "ผู้รับเหมา" not in str(event.data)


def test_an_answer_must_belong_to_the_visits_checklist(
    network: Tree, checklist: ChecklistTemplate
) -> None:
    other = actions.create_checklist(name="อื่น", questions=["?"], by=None, province_code="24")
    with pytest.raises(ValidationError):
        actions.record_visit(
            values=actions.VisitInput(
                visited_on=dt.date(2026, 1, 10),
                subdistrict=area(network),
                organization=network.na_mueang,
                project_title="x",
                checklist=checklist,
                answers={other.questions.get().pk: ("yes", "")},
            ),
            by=None,
        )


def test_photos_are_stored_privately_without_gps_or_camera(
    visit: Visit, people: dict[str, User], private_storage: object
) -> None:
    original = jpeg_with_gps()
    photo = actions.add_visit_photo(visit=visit, data=original, caption="ป้าย", by=people["tom"])
    stored = photo.image.read()
    name = str(photo.image.name)
    assert name.startswith("network/visit/") and name.endswith(".jpg")
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
    assert photo.content_type == "image/jpeg"
    with pytest.raises(ValidationError):
        actions.add_visit_photo(visit=visit, data=b"%PDF-1.4", caption="", by=people["tom"])


def test_visit_photos_are_served_only_to_those_who_see_the_details(
    visit: Visit,
    people: dict[str, User],
    private_storage: object,
    client: Client,
    verified_client: Any,
    outsider: User,
) -> None:
    photo = actions.add_visit_photo(visit=visit, data=jpeg_with_gps(), caption="", by=None)
    url = f"/network/visits/photos/{photo.pk}/"
    assert client.get(url).status_code == 403
    assert verified_client(outsider).get(url).status_code == 403
    response = verified_client(people["tom"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"PhoneMaker" not in b"".join(response.streaming_content)
    assert "no-store" in response["Cache-Control"]


def test_a_visit_raises_a_report_with_its_facts(visit: Visit) -> None:
    url = urlsplit(visit_report_url(visit))
    params = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert url.path == "/report/"
    assert params["kind"] == "state_funds" and params["channel"] == "visit"
    assert params["subdistrict"] == "240101" and params["village"] == "หมู่ 2"
    description = params["description"]
    for fact in (
        "ถนนคอนกรีต หมู่ 2",
        "EGP-660312345",
        "มีป้ายแสดงงบประมาณ",
        "ไม่พบป้าย",
        "ผู้รับเหมาไม่อยู่หน้างาน",
    ):
        assert fact in description
    assert "งานตรงตามแบบ" not in description  # only the questions answered "no"


def test_the_subdistrict_page_shows_a_public_summary_of_visits(
    visit: Visit, client: Client
) -> None:
    html = client.get("/areas/s/240101/").content.decode()
    assert "ถนนคอนกรีต หมู่ 2" in html and "EGP-660312345" in html
    # Notes and checklist notes stay private.
    assert "ผู้รับเหมาไม่อยู่หน้างาน" not in html and "ไม่พบป้าย" not in html
    other = client.get("/areas/s/240201/").content.decode()
    assert "ถนนคอนกรีต" not in other
    english = in_english(Client()).get("/areas/s/240101/").content.decode()
    assert "checklist: 1 yes, 1 no" in english
