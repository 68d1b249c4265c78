"""A report sent twice (double tap, retry after a timeout, a concurrent twin) is stored once,
and its receipt code is shown once: a retry whose first answer was lost gets the same code, a
form resent after the code was shown does not show it again."""

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


def test_web_double_submit_stores_one_report(client: Client, cases_area: str) -> None:
    key = uuid.uuid4().hex
    first = client.post(REPORT, form_data(key))
    shown_code(client)
    second = client.post(REPORT, form_data(key))
    assert first.status_code == second.status_code == 302
    assert Case.objects.count() == 1
    assert CaseEvent.objects.count() == 1


def test_a_form_resent_after_its_code_was_shown_does_not_show_it_again(
    client: Client, cases_area: str
) -> None:
    # A shared computer: the next person goes back in the browser's history and resends the
    # form. They must not learn the code the first person was shown.
    key = uuid.uuid4().hex
    client.post(REPORT, form_data(key))
    code = shown_code(client)
    assert Case.objects.get().receipt_shown_at is not None
    client.post(REPORT, form_data(key))
    assert RECEIPT_SESSION_KEY not in client.session
    page = client.get(DONE)
    assert page.context["shown"] is False
    assert code not in page.content.decode()
    stranger = Client()
    stranger.post(REPORT, form_data(key))
    assert stranger.get(DONE).context["shown"] is False
    assert Case.objects.count() == 1


def test_a_double_tap_before_the_first_answer_shows_the_same_code(
    client: Client, cases_area: str
) -> None:
    key = uuid.uuid4().hex
    client.post(REPORT, form_data(key))
    code_after_first = client.session[RECEIPT_SESSION_KEY]["code"]
    client.post(REPORT, form_data(key))
    assert client.session[RECEIPT_SESSION_KEY]["code"] == code_after_first
    assert shown_code(client) == code_after_first
    assert client.get(DONE).context["shown"] is False
    assert Case.objects.count() == 1


def test_a_retry_whose_first_answer_was_lost_shows_the_code_once(cases_area: str) -> None:
    # The phone's answer never arrived (it never reached the "done" page); the same form sent
    # again from another browser gets the code, and the code is not shown a second time.
    key = uuid.uuid4().hex
    phone, laptop = Client(), Client()
    phone.post(REPORT, form_data(key))
    laptop.post(REPORT, form_data(key))
    code = shown_code(laptop)
    assert code == phone.session[RECEIPT_SESSION_KEY]["code"]
    assert phone.get(DONE).context["shown"] is False
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
