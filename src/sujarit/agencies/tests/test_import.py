"""Importing agencies from CSV: good rows kept, each bad row reported with its line."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

import pytest

from sujarit.accounts.models import User
from sujarit.agencies.actions import import_agencies
from sujarit.agencies.importing import ImportReport, decode_csv
from sujarit.agencies.models import Agency
from sujarit.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

HEADER = (
    "code,kind,name_th,name_en,parent_code,province_code,subdistrict_codes,"
    "hotline,phone,email,website,address,source"
)


def run(text: str, *, dry_run: bool = False, by: User | None = None) -> ImportReport:
    with translation.override("en"):
        return import_agencies(rows=io.StringIO(text, newline=""), by=by, dry_run=dry_run)


def errors_by_line(report: ImportReport) -> dict[int, str]:
    found: dict[int, str] = {}
    for issue in report.errors:
        found[issue.line] = f"{found.get(issue.line, '')} {issue.message}".strip()
    return found


def test_good_rows_are_created(areas: None) -> None:
    report = run(
        HEADER + "\n"
        "nacc,nacc,สำนักงาน ป.ป.ช.,NACC office,,,,,,,,,test\n"
        "sao-240102,sao,อบต.ท่าไข่,,,24,240102,,038 000 000,sao@example.org,"
        'https://example.org,"1 หมู่ 2",test\n'
    )
    assert (report.created, report.updated, report.bad_rows) == (2, 0, 0)
    sao = Agency.objects.get(code="sao-240102")
    assert sao.level == Agency.Level.LOCAL
    assert sao.province_id == "24"
    assert list(sao.subdistricts.values_list("code", flat=True)) == ["240102"]
    assert (sao.phone, sao.email, sao.website) == (
        "038 000 000",
        "sao@example.org",
        "https://example.org",
    )


def test_each_bad_row_is_reported_with_its_line_and_good_rows_are_kept(areas: None) -> None:
    lines = [
        HEADER,  # 1
        "good-1,provincial_office,หน่วยงานหนึ่ง,,,24,,,,,,,",  # 2
        "bad-kind,ministry,หน่วยงาน,,,24,,,,,,,",  # 3
        "no-name,sao,,,,24,240101,,,,,,",  # 4
        "bad-mail,sao,อบต.,,,24,240101,,,not-an-address,,,",  # 5
        "bad-area,sao,อบต.,,,24,249999,,,,,,",  # 6
        "bad-parent,sao,อบต.,,nobody,24,240101,,,,,,",  # 7
        "good-1,sao,ซ้ำ,,,24,240101,,,,,,",  # 8: the code of line 2 again
        "good-2,municipality,เทศบาล,,good-1,24,240101 240103,,,,,,",  # 9
    ]
    report = run("\n".join(lines) + "\n")
    errors = errors_by_line(report)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8]
    assert "Unknown kind “ministry”" in errors[3]
    assert "Thai name (name_th) is missing" in errors[4]
    assert "e-mail address “not-an-address” is not valid" in errors[5]
    assert "Unknown subdistrict code 249999: not a known code" in errors[6]
    assert "Unknown parent “nobody”" in errors[7]
    assert "already appears on line 2" in errors[8]
    assert report.created == 2
    assert set(Agency.objects.values_list("code", flat=True)) == {"good-1", "good-2"}
    good_2 = Agency.objects.get(code="good-2")
    assert good_2.parent is not None and good_2.parent.code == "good-1"
    assert Agency.objects.get(code="good-1").name_th == "หน่วยงานหนึ่ง"


def test_other_kind_without_a_level_needs_a_level(areas: None) -> None:
    report = run("code,kind,name_th\nx,other,หน่วยงาน\n")
    assert "needs a level" in errors_by_line(report)[2]
    report = run("code,kind,name_th,level\nx,other,หน่วยงาน,national\n")
    assert report.created == 1


def test_line_numbers_count_physical_lines_of_multi_line_cells(areas: None) -> None:
    text = (
        "code,kind,name_th,province_code,address\n"
        'a,pao,อบจ.,24,"บรรทัดหนึ่ง\nบรรทัดสอง"\n'  # lines 2-3
        "\n"  # line 4, blank
        "b,pao,,24,\n"  # line 5
    )
    report = run(text)
    assert list(errors_by_line(report)) == [5]
    assert Agency.objects.get(code="a").address == "บรรทัดหนึ่ง\nบรรทัดสอง"


def test_reimport_updates_instead_of_duplicating(areas: None) -> None:
    first = "code,kind,name_th,province_code,hotline\nx,pao,ชื่อเดิม,24,\n"
    second = "code,kind,name_th,province_code,hotline\nx,pao,ชื่อใหม่,24,1111\n"
    assert run(first).created == 1
    report = run(second)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    agency = Agency.objects.get(code="x")
    assert (agency.name_th, agency.hotline) == ("ชื่อใหม่", "1111")
    assert Agency.objects.count() == 1
    assert run(second).unchanged == 1


def test_a_column_left_out_leaves_its_field_alone(areas: None) -> None:
    run("code,kind,name_th,province_code,phone\nx,pao,อบจ.,24,038 111 111\n")
    run("code,kind,name_th,province_code\nx,pao,อบจ.ใหม่,24\n")
    agency = Agency.objects.get(code="x")
    assert (agency.name_th, agency.phone) == ("อบจ.ใหม่", "038 111 111")


def test_an_abolished_subdistrict_code_is_mapped_with_a_warning(areas: None) -> None:
    report = run("code,kind,name_th,province_code,subdistrict_codes\nx,sao,อบต.,24,240202\n")
    assert report.created == 1 and report.bad_rows == 0
    assert list(Agency.objects.get(code="x").subdistricts.values_list("code", flat=True)) == [
        "241101"
    ]
    assert [(w.line, w.message) for w in report.warnings] == [
        (2, "Subdistrict code 240202 was abolished; it was replaced by 241101.")
    ]


def test_an_abolished_code_without_successor_makes_the_row_bad(areas: None) -> None:
    report = run("code,kind,name_th,province_code,subdistrict_codes\nx,bma,กทม.,10,100599\n")
    assert "Unknown subdistrict code 100599: abolished; no successor" in errors_by_line(report)[2]
    assert not Agency.objects.exists()


def test_a_subdistrict_outside_the_province_makes_the_row_bad(areas: None) -> None:
    report = run("code,kind,name_th,province_code,subdistrict_codes\nx,sao,อบต.,24,200101\n")
    assert "Subdistrict 200101 is not in province 24" in errors_by_line(report)[2]


def test_levels_and_provinces_must_agree(areas: None) -> None:
    report = run(
        "code,kind,name_th,province_code\n"
        "n,nacc,ป.ป.ช.,24\n"  # a national body has no province
        "p,provincial_office,สำนักงานจังหวัด,\n"  # a provincial body needs one
        "r,pacc_regional,ป.ป.ท. เขต 2,24 20\n"  # a regional body lists its provinces
    )
    errors = errors_by_line(report)
    assert "national body has no province" in errors[2]
    assert "needs exactly one province_code" in errors[3]
    region = Agency.objects.get(code="r")
    assert sorted(region.served_provinces.values_list("code", flat=True)) == ["20", "24"]


def test_a_parent_loop_is_refused(areas: None) -> None:
    run("code,kind,name_th,parent_code\na,nacc,ก,\nb,nacc,ข,a\n")
    report = run("code,kind,name_th,parent_code\na,nacc,ก,b\n")
    assert "is itself under this body" in errors_by_line(report)[2]


def test_a_byte_order_mark_is_accepted(areas: None) -> None:
    data = ("code,kind,name_th\nnacc,nacc,ป.ป.ช.\n").encode("utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    assert run(decode_csv(data)).created == 1
    # Lines handed over as they are, the mark still at the start of the first one.
    with translation.override("en"):
        report = import_agencies(
            rows=["\ufeffcode,kind,name_th", "ombudsman,ombudsman,ผู้ตรวจการแผ่นดิน"],
            by=None,
            dry_run=False,
        )
    assert report.created == 1 and report.file_errors == []


def test_missing_required_columns_are_a_file_error(areas: None) -> None:
    report = run("code,name_en\nnacc,NACC\n")
    assert report.file_errors == [
        "Required columns are missing: kind, name_th. The first line of the file must name "
        "the columns, at least: code, kind, name_th."
    ]
    assert not Agency.objects.exists()
    assert not AuditEvent.objects.filter(action="agencies.imported").exists()


def test_an_empty_file_is_a_file_error(areas: None) -> None:
    assert run("").file_errors == ["The file is empty."]


def test_the_import_records_one_audit_event_with_counts_only(areas: None, admin_user: User) -> None:
    run("code,kind,name_th\nnacc,nacc,ป.ป.ช.\nbad,nope,x\n", by=admin_user)
    event = AuditEvent.objects.get(action="agencies.imported")
    assert event.actor == admin_user
    assert event.data == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "bad_rows": 1,
        "warnings": 0,
        "dry_run": False,
    }


def test_dry_run_writes_nothing_but_reports(areas: None) -> None:
    report = run("code,kind,name_th\nnacc,nacc,ป.ป.ช.\npacc,pacc,ป.ป.ท.\n", dry_run=True)
    assert report.dry_run and report.created == 2
    assert not Agency.objects.exists()
    assert not AuditEvent.objects.exists()


def test_messages_follow_the_users_language(areas: None) -> None:
    with translation.override("th"):
        report = import_agencies(
            rows=io.StringIO("code,kind,name_th\nx,ministry,ก\n"), by=None, dry_run=False
        )
    assert report.errors[0].message.startswith("ไม่รู้จักประเภท")


def test_command_imports_a_file_and_reports_bad_rows(
    areas: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "agencies.csv"
    path.write_text("code,kind,name_th\nnacc,nacc,ป.ป.ช.\nbad,nope,x\n", encoding="utf-8-sig")
    with translation.override("en"), pytest.raises(CommandError, match="1 rows were not imported"):
        call_command("import-agencies", str(path))
    captured = capsys.readouterr()
    assert "line 3: Unknown kind “nope”" in captured.err
    assert "Created 1" in captured.out
    assert Agency.objects.filter(code="nacc").exists()


def test_command_dry_run_writes_nothing(
    areas: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "agencies.csv"
    path.write_text("code,kind,name_th\nnacc,nacc,ป.ป.ช.\n", encoding="utf-8")
    with translation.override("en"):
        call_command("import-agencies", str(path), "--dry-run")
    assert "Dry run, nothing was written. Would create 1" in capsys.readouterr().out
    assert not Agency.objects.exists()


def test_command_refuses_a_file_that_is_not_utf8(areas: None, tmp_path: Path) -> None:
    path = tmp_path / "agencies.csv"
    path.write_bytes("code,kind,name_th\nnacc,nacc,ป.ป.ช.\n".encode("cp874"))
    with translation.override("en"), pytest.raises(CommandError, match="not UTF-8"):
        call_command("import-agencies", str(path))
    assert not Agency.objects.exists()


def test_the_documented_example_imports(areas: None) -> None:
    docs = Path(__file__).resolve().parents[4] / "docs" / "agencies.md"
    text = docs.read_text(encoding="utf-8")
    example = text.split("```csv\n", 1)[1].split("```", 1)[0]
    report = run(example)
    assert (report.created, report.bad_rows) == (3, 0)
    assert [w.line for w in report.warnings] == [4]
    assert Agency.objects.get(code="mun-240101").local_type == "town"


def test_a_wrong_kind_is_reported_once_without_noise_about_the_province(areas: None) -> None:
    report = run("code,kind,name_th,province_code\nx,ministry,กระทรวง,\n")
    assert len(report.errors) == 1
    assert "Unknown kind" in report.errors[0].message
