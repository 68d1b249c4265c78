"""Shapes of the network API. Public shapes carry no member's personal data: members appear
only as counts."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class OrganizationOut(Schema):
    code: str
    name_th: str
    name_en: str
    kind: str
    level: str
    parent_code: str | None
    province_code: str | None
    district_code: str | None
    subdistrict_code: str | None
    village: str
    phone: str
    email: str
    website: str
    member_count: int
    is_demo: bool
    url: str


class OrganizationDetailOut(OrganizationOut):
    description: str
    address: str
    ancestors: list[str]
    children: list[str]


class OrganizationIn(Schema):
    code: str
    name_th: str
    kind: str
    level: str
    name_en: str = ""
    parent_code: str | None = None
    district_code: str | None = None
    subdistrict_code: str | None = None
    village: str = ""
    description: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    address: str = ""
    is_active: bool = True


class OrganizationPatch(Schema):
    code: str | None = None
    name_th: str | None = None
    name_en: str | None = None
    kind: str | None = None
    level: str | None = None
    parent_code: str | None = None
    district_code: str | None = None
    subdistrict_code: str | None = None
    village: str | None = None
    description: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    address: str | None = None
    is_active: bool | None = None


class PlanActivityOut(Schema):
    id: int
    title: str
    measure: str
    target: float
    unit: str
    weight: float
    achieved: float
    progress: float


class PillarOut(Schema):
    pillar: int
    name: str
    weight: float
    progress: float | None
    activities: list[PlanActivityOut]


class PlanOut(Schema):
    id: int
    title: str
    organization_code: str
    area_level: str
    area_code: str
    fiscal_year: int
    status: str
    weight: float
    progress: float | None
    is_demo: bool
    url: str


class PlanDetailOut(PlanOut):
    summary: str
    pillars: list[PillarOut]


class PlanIn(Schema):
    title: str
    organization_code: str
    area_level: str
    fiscal_year: int
    district_code: str | None = None
    subdistrict_code: str | None = None
    weight: float = 1.0
    summary: str = ""


class PlanPatch(Schema):
    title: str | None = None
    weight: float | None = None
    summary: str | None = None
    status: str | None = None
    status_note: str = ""


class ActivityOut(Schema):
    id: int
    title: str
    kind: str
    held_on: dt.date
    ends_on: dt.date | None
    place: str
    subdistrict_code: str | None
    organizer_codes: list[str]
    plan_activity_id: int | None
    quantity: float | None
    attendance: dict[str, int]
    total_attendance: int
    member_count: int
    is_demo: bool
    url: str


class ActivityDetailOut(ActivityOut):
    report: str


class ActivityIn(Schema):
    title: str
    kind: str
    held_on: dt.date
    organizer_codes: list[str]
    ends_on: dt.date | None = None
    place: str = ""
    subdistrict_code: str | None = None
    plan_activity_id: int | None = None
    quantity: float | None = None
    attendance: dict[str, int] = {}
    report: str = ""


class ActivityPatch(Schema):
    title: str | None = None
    kind: str | None = None
    held_on: dt.date | None = None
    ends_on: dt.date | None = None
    place: str | None = None
    subdistrict_code: str | None = None
    organizer_codes: list[str] | None = None
    plan_activity_id: int | None = None
    quantity: float | None = None
    attendance: dict[str, int] | None = None
    report: str | None = None
