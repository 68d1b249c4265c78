"""A report sent twice (double tap, retry after a timeout, a concurrent twin) is stored once,
and every answer shows the same receipt code."""

from __future__ import annotations

import threading
import uuid
from typing import Any

from django.db import connection
from django.test import Client
from django.urls import reverse

import pytest

from sujarit.cases.actions.intake import Submission, submit_report
from sujarit.cases.models import Case, CaseEvent
from sujarit.cases.testing import report_input
from sujarit.cases.views.intake import RECEIPT_SESSION_KEY

REPORT = reverse("cases:report")
DONE = reverse("cases:report-done")


def form_data(key: str, **changes: Any) -> dict[str, Any]:
    data = {
        "kind": "state_funds",
        "description": "รถยนต์ของเทศบาลถูกนำไปใช้ส่วนตัวในวันหยุด",
        "subdistrict": "240101",
        "identity": "anonymous",
        "idempotency_key": key,
    }
    data.update(changes)
    return data


def shown_code(client: Client) -> str:
    response = client.get(DONE)
    groups = response.context["groups"]
    return "".join(groups)


def test_web_double_submit_stores_one_report_and_shows_the_same_code(
    client: Client, cases_area: str
) -> None:
    key = uuid.uuid4().hex
    first = client.post(REPORT, form_data(key))
    first_code = shown_code(client)
    second = client.post(REPORT, form_data(key))
    second_code = shown_code(client)
    assert first.status_code == second.status_code == 302
    assert first_code == second_code
    assert Case.objects.count() == 1
    assert CaseEvent.objects.count() == 1


def test_a_double_tap_before_the_first_answer_shows_the_same_code(
    client: Client, cases_area: str
) -> None:
    key = uuid.uuid4().hex
    client.post(REPORT, form_data(key))
    code_after_first = client.session[RECEIPT_SESSION_KEY]["code"]
    client.post(REPORT, form_data(key))
    assert client.session[RECEIPT_SESSION_KEY]["code"] == code_after_first
    assert shown_code(client) == code_after_first
    assert Case.objects.count() == 1


def test_a_retry_from_another_browser_with_the_same_form_shows_the_same_code(
    cases_area: str,
) -> None:
    key = uuid.uuid4().hex
    phone, laptop = Client(), Client()
    phone.post(REPORT, form_data(key))
    laptop.post(REPORT, form_data(key))
    assert shown_code(phone) == shown_code(laptop)
    assert Case.objects.count() == 1


def test_two_forms_make_two_reports(client: Client, cases_area: str) -> None:
    client.post(REPORT, form_data(uuid.uuid4().hex))
    first = shown_code(client)
    client.post(REPORT, form_data(uuid.uuid4().hex))
    assert shown_code(client) != first
    assert Case.objects.count() == 2


def test_a_refused_then_corrected_form_keeps_its_key_and_stores_once(
    client: Client, cases_area: str
) -> None:
    key = uuid.uuid4().hex
    refused = client.post(REPORT, form_data(key, description="สั้น"))
    assert refused.status_code == 200
    assert f'value="{key}"' in refused.content.decode()
    client.post(REPORT, form_data(key))
    client.post(REPORT, form_data(key))
    assert Case.objects.count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="truly concurrent writers need PostgreSQL (SQLite serialises them)",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_twins_store_one_report(cases_area: str) -> None:
    key = uuid.uuid4().hex
    barrier = threading.Barrier(4)
    results: list[Submission] = []
    errors: list[BaseException] = []

    def send() -> None:
        from django.db import connections

        try:
            barrier.wait()
            results.append(submit_report(report=report_input(idempotency_key=key)))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len({r.case.pk for r in results}) == 1
    assert len({r.receipt_code for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert Case.objects.filter(idempotency_hash__isnull=False).count() == 1
