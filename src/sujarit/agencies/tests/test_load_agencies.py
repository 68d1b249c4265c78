"""``sujarit load-agencies``: the reference bodies of the configured province."""

from __future__ import annotations

import csv

from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.utils import translation

import pytest
from pytest_django import Settings

from sujarit.agencies.actions import load_reference_agencies
from sujarit.agencies.models import Agency
from sujarit.agencies.reference import DATA_DIR
from sujarit.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

CHACHOENGSAO_CODES = {
    "nacc",
    "pacc",
    "audit-office",
    "election-commission",
    "ombudsman",
    "pacc-region-2",
    "audit-office-region-2",
    "nacc-24",
    "election-commission-24",
    "provincial-office-24",
    "damrongtham-24",
    "pao-24",
}
#: The only hotlines that /work/shared/research/thai-routing.md gives.
RESEARCHED_HOTLINES = {"election-commission": "1444", "ombudsman": "1676", "damrongtham-24": "1567"}


def snapshot() -> dict[str, tuple[object, ...]]:
    return {
        a.code: (
            a.kind,
            a.level,
            a.name_th,
            a.name_en,
            a.parent_id,
            a.province_id,
            a.hotline,
            tuple(sorted(a.subdistricts.values_list("code", flat=True))),
            tuple(sorted(a.served_provinces.values_list("code", flat=True))),
        )
        for a in Agency.objects.all()
    }


def test_dashed_command_names_are_discovered() -> None:
    commands = get_commands()
    assert commands["load-agencies"] == "sujarit.agencies"
    assert commands["import-agencies"] == "sujarit.agencies"


def test_load_agencies_creates_the_bodies_of_chachoengsao(areas: None, settings: Settings) -> None:
    settings.SUJARIT_PROVINCE = "24"
    call_command("load-agencies")
    assert set(Agency.objects.values_list("code", flat=True)) == CHACHOENGSAO_CODES

    nacc_office = Agency.objects.get(code="nacc-24")
    assert nacc_office.name_th == "สำนักงาน ป.ป.ช. ประจำจังหวัดฉะเชิงเทรา"
    assert nacc_office.parent is not None and nacc_office.parent.code == "nacc"
    assert nacc_office.level == Agency.Level.PROVINCIAL
    assert nacc_office.province_id == "24"

    damrongtham = Agency.objects.get(code="damrongtham-24")
    assert damrongtham.name_th == "ศูนย์ดำรงธรรมจังหวัดฉะเชิงเทรา"
    assert damrongtham.parent is not None and damrongtham.parent.code == "provincial-office-24"
    assert (
        Agency.objects.get(code="provincial-office-24").name_en == "Chachoengsao Provincial Office"
    )
    assert (
        Agency.objects.get(code="election-commission-24").name_th
        == "สำนักงานคณะกรรมการการเลือกตั้งประจำจังหวัดฉะเชิงเทรา"
    )

    pao = Agency.objects.get(code="pao-24")
    assert pao.name_th == "องค์การบริหารส่วนจังหวัดฉะเชิงเทรา"
    assert pao.level == Agency.Level.LOCAL
    assert set(pao.subdistricts.values_list("code", flat=True)) == {
        "240101",
        "240102",
        "240103",
        "241101",
        "241102",
    }

    pacc_region = Agency.objects.get(code="pacc-region-2")
    assert pacc_region.name_th == "สำนักงานป้องกันและปราบปรามการทุจริตในภาครัฐ เขต 2"
    assert pacc_region.level == Agency.Level.REGIONAL
    assert pacc_region.province is None
    assert list(pacc_region.served_provinces.values_list("code", flat=True)) == ["24"]
    audit_region = Agency.objects.get(code="audit-office-region-2")
    assert audit_region.name_th == "สำนักงานตรวจเงินแผ่นดินภูมิภาคที่ 2"
    assert audit_region.parent is not None and audit_region.parent.code == "audit-office"


def test_load_agencies_is_idempotent(areas: None) -> None:
    first = load_reference_agencies(province_code="24")
    before = snapshot()
    second = load_reference_agencies(province_code="24")
    assert len(first.created) == len(CHACHOENGSAO_CODES)
    assert second.created == [] and second.updated == []
    assert len(second.unchanged) == len(CHACHOENGSAO_CODES)
    assert snapshot() == before


def test_loading_again_repairs_a_changed_name_but_keeps_added_contacts(areas: None) -> None:
    load_reference_agencies(province_code="24")
    Agency.objects.filter(code="nacc-24").update(name_th="wrong", phone="038 000 000")
    report = load_reference_agencies(province_code="24")
    office = Agency.objects.get(code="nacc-24")
    assert report.updated == ["nacc-24"]
    assert office.name_th == "สำนักงาน ป.ป.ช. ประจำจังหวัดฉะเชิงเทรา"
    # A phone entered by an administrator from an official source survives the reload.
    assert office.phone == "038 000 000"


def test_no_contact_is_filled_that_the_research_does_not_give(areas: None) -> None:
    load_reference_agencies(province_code="24")
    for agency in Agency.objects.all():
        assert (agency.phone, agency.email, agency.website, agency.address) == ("", "", "", "")
        assert agency.hotline == RESEARCHED_HOTLINES.get(agency.code, ""), agency.code


def test_shipped_data_has_no_contact_column_but_the_hotline() -> None:
    for path in DATA_DIR.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert not {"phone", "email", "website", "address"} & set(header), path.name


def test_a_province_with_no_known_region_gets_no_regional_office(areas: None) -> None:
    report = load_reference_agencies(province_code="20")
    codes = set(Agency.objects.values_list("code", flat=True))
    assert not {c for c in codes if "region" in c}
    assert "nacc-20" in codes
    assert Agency.objects.get(code="pao-20").name_th == "องค์การบริหารส่วนจังหวัดชลบุรี"
    assert len(report.notes) == 2
    assert all("20" in note for note in report.notes)


def test_the_loader_says_when_no_regional_office_is_known(
    areas: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with translation.override("en"):
        call_command("load-agencies", "--province", "20")
    output = capsys.readouterr().out
    assert "PACC regional office region of province 20" in output
    assert "State Audit Office regional office region of province 20" in output
    assert output.count("no regional office was created") == 2


def test_bangkok_gets_the_bma_instead_of_a_pao(areas: None) -> None:
    with translation.override("en"):
        report = load_reference_agencies(province_code="10")
    codes = set(Agency.objects.values_list("code", flat=True))
    assert "pao-10" not in codes
    assert "provincial-office-10" not in codes
    bma = Agency.objects.get(code="bma")
    assert bma.kind == "bma" and bma.level == Agency.Level.LOCAL
    assert bma.name_en == "Bangkok Metropolitan Administration"
    assert list(bma.subdistricts.values_list("code", flat=True)) == ["100101"]
    assert any("Metropolitan Administration serves all" in note for note in report.notes)


def test_load_agencies_requires_the_geography(db: None) -> None:
    with pytest.raises(CommandError, match="load-geo"):
        call_command("load-agencies", "--province", "24")
    assert not Agency.objects.exists()


def test_loading_records_an_audit_event_with_counts(areas: None) -> None:
    load_reference_agencies(province_code="24")
    event = AuditEvent.objects.get(action="agencies.reference_loaded")
    assert event.data == {
        "province": "24",
        "created": len(CHACHOENGSAO_CODES),
        "updated": 0,
        "unchanged": 0,
    }
