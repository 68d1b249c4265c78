"""Fixtures for the agency tests: a few real areas (codes and names from the DOPA data)."""

from __future__ import annotations

import datetime as dt

import pytest

from sujarit.geo.models import AbolishedArea, District, Province, Subdistrict

#: (code, Thai, English) of the areas the tests need; all are real DOPA codes.
PROVINCES = [
    ("10", "กรุงเทพมหานคร", "Bangkok"),
    ("20", "ชลบุรี", "Chon Buri"),
    ("24", "ฉะเชิงเทรา", "Chachoengsao"),
]
DISTRICTS = [
    ("1001", "เขตพระนคร", "Phra Nakhon"),
    ("2001", "เมืองชลบุรี", "Mueang Chon Buri"),
    ("2401", "เมืองฉะเชิงเทรา", "Mueang Chachoengsao"),
    ("2411", "คลองเขื่อน", "Khlong Khuean"),
]
SUBDISTRICTS = [
    ("100101", "พระบรมมหาราชวัง", "Phra Borom Maha Ratchawang"),
    ("200101", "บางปลาสร้อย", "Bang Pla Soi"),
    ("240101", "หน้าเมือง", "Na Mueang"),
    ("240102", "ท่าไข่", "Tha Khai"),
    ("240103", "บ้านใหม่", "Ban Mai"),
    ("241101", "ก้อนแก้ว", "Kon Kaeo"),
    ("241102", "คลองเขื่อน", "Khlong Khuean"),
]


@pytest.fixture
def areas(db: None) -> None:
    """Three provinces, a few of their subdistricts, and two abolished subdistrict codes."""
    for code, th, en in PROVINCES:
        Province.objects.create(code=code, name_th=th, name_en=en)
    for code, th, en in DISTRICTS:
        District.objects.create(code=code, province_id=code[:2], name_th=th, name_en=en)
    for code, th, en in SUBDISTRICTS:
        Subdistrict.objects.create(
            code=code, district_id=code[:4], province_id=code[:2], name_th=th, name_en=en
        )
    # 240202 moved to the new district of Khlong Khuean in 2006 and became 241101.
    AbolishedArea.objects.create(
        code="240202",
        level=AbolishedArea.Level.SUBDISTRICT,
        name_th="ก้อนแก้ว",
        name_en="Kon Kaeo",
        abolished_on=dt.date(2006, 1, 1),
        successor_codes=["241101"],
        successors_basis="name",
    )
    # Abolished with no recorded successor.
    AbolishedArea.objects.create(
        code="100599",
        level=AbolishedArea.Level.SUBDISTRICT,
        name_th="บางเขน",
        name_en="Bang Khen",
        abolished_on=dt.date(2012, 4, 19),
    )
