"""Pytest plugin: the province's reference data and a way to make cases, for every app's tests.

    def test_coordinator_refers(case_factory, coordinator):
        case = case_factory(kind="corruption", rank="official")

``cases_area`` loads the geography, the reference agencies of the configured province, its
demo local bodies (one per subdistrict) and the default routing rules and admissibility items.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings

import pytest

from sujarit.agencies.actions import load_reference_agencies
from sujarit.agencies.demo import create_demo_local_agencies
from sujarit.cases.actions.intake import ReportInput, Submission, submit_report
from sujarit.cases.models import Case, Identity, ReportKind
from sujarit.cases.rules import load_default_rules
from sujarit.geo.models import Subdistrict
from sujarit.lib.refcache import clear_all

#: A subdistrict of Chachoengsao (Na Mueang, Mueang Chachoengsao) used by default.
DEFAULT_SUBDISTRICT = "240101"


@pytest.fixture(autouse=True)
def _fresh_reference_caches() -> Iterator[None]:
    """Each test reads reference data afresh: a test's rows (or a rolled-back one's) must
    never be served from another test's cache."""
    clear_all()
    yield
    clear_all()


@pytest.fixture
def cases_area(geo_data: Any) -> str:
    """Geography, reference agencies, demo local bodies of the configured province and the
    default routing rules. Returns the province code."""
    province = settings.SUJARIT_PROVINCE
    load_reference_agencies(province_code=province)
    create_demo_local_agencies(province_code=province)
    load_default_rules()
    return province


def report_input(**fields: Any) -> ReportInput:
    """A ``ReportInput`` with sensible defaults; any field can be given."""
    subdistrict = fields.pop("subdistrict", DEFAULT_SUBDISTRICT)
    if isinstance(subdistrict, str):
        subdistrict = Subdistrict.objects.defer("boundary").get(code=subdistrict)
    values: dict[str, Any] = {
        "kind": ReportKind.CORRUPTION,
        "description": "ผู้ใหญ่บ้านเรียกเก็บเงินค่าธรรมเนียมที่ไม่มีอยู่จริง",
        "subdistrict": subdistrict,
        "identity": Identity.CONFIDENTIAL,
        "idempotency_key": uuid.uuid4().hex,
        "name": "นางสมศรี ใจดี",
        "phone": "0812345678",
    }
    values.update(fields)
    return ReportInput(**values)


@pytest.fixture
def submit(cases_area: str) -> Callable[..., Submission]:
    """``submit(**fields)``: submit a report through the intake action; returns the
    submission (case and receipt code)."""

    def make(**fields: Any) -> Submission:
        return submit_report(report=report_input(**fields))

    return make


@pytest.fixture
def case_factory(submit: Callable[..., Submission]) -> Callable[..., Case]:
    """``case_factory(**fields)``: a new case in status received."""

    def make(**fields: Any) -> Case:
        return submit(**fields).case

    return make
