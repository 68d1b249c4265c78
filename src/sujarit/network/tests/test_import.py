"""CSV import of organizations and members: line numbers, good rows kept, re-import updates."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

import pytest

from sujarit.accounts.models import User
from sujarit.agencies.importing import ImportReport
from sujarit.audit.models import AuditEvent
from sujarit.network.actions.imports import import_network
from sujarit.network.models import Member, Organization, Training
from sujarit.network.tests.conftest import Tree

pytestmark = pytest.mark.django_db

ORG_HEADER = "code,name_th,kind,level,parent_code,district_code,subdistrict_code,village,phone"
MEMBER_HEADER = "code,organization_code,full_name,role,phone,email,joined_on,trainings,username"


def run(kind: str, text: str, *, by: User | None = None, dry_run: bool = False) -> ImportReport:
    with translation.override("en"):
        return import_network(kind=kind, rows=io.StringIO(text, newline=""), by=by, dry_run=dry_run)


def errors(report: ImportReport) -> dict[int, str]:
    found: dict[int, str] = {}
    for issue in report.errors:
        found[issue.line] = f"{found.get(issue.line, '')} {issue.message}".strip()
    return found


def test_organizations_bad_rows_are_reported_by_line_and_good_rows_kept(network: Tree) -> None:
    lines = [
        ORG_HEADER,  # 1
        "club-2401,ชมรม STRONG อำเภอเมือง,strong_club,district,net-2401,2401,,,038-000-000",  # 2
        "bad-kind,กลุ่ม,ministry,district,net-2401,2401,,,",  # 3
        'multi,"กลุ่ม\nสองบรรทัด",community_organization,village,club-2401,,240101,,',  # 4-5
        "no-parent,กลุ่ม,community_organization,subdistrict,nobody,,240101,,",  # 6
        "club-2401,ซ้ำ,strong_club,district,,2401,,,",  # 7
        "bad area,กลุ่ม,network,district,,9999,,,",  # 8
        "youth-240101,สภาเด็กตำบลหน้าเมือง,youth_council,subdistrict,club-2401,,240101,,",  # 9
    ]
    report = run("organizations", "\n".join(lines) + "\n")
    found = errors(report)
    assert sorted(found) == [3, 4, 6, 7, 8]
    assert "Unknown type “ministry”" in found[3]
    assert "Name the village" in found[4]
    assert "Unknown parent “nobody”" in found[6]
    assert "already appears on line 2" in found[7]
    assert "code “bad area” is not valid" in found[8] and "district_code “9999”" in found[8]
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    youth = Organization.objects.get(code="youth-240101")
    assert youth.parent and youth.parent.code == "club-2401"
    assert youth.path.startswith(network.mueang.path)
    assert youth.district_id == "2401" and youth.province_id == "24"
    event = AuditEvent.objects.get(action="network.organizations_imported")
    assert event.data["created"] == 2 and event.data["bad_rows"] == 5


def test_reimport_updates_by_code_instead_of_duplicating(network: Tree) -> None:
    text = ORG_HEADER + "\nclub-2401,ชมรม,strong_club,district,net-2401,2401,,,\n"
    assert run("organizations", text).created == 1
    again = run("organizations", text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = run(
        "organizations",
        "\ufeff" + ORG_HEADER + "\nclub-2401,ชมรมใหม่,strong_club,district,net-2402,2402,,,\n",
    )
    assert (changed.created, changed.updated) == (0, 1)
    club = Organization.objects.get(code="club-2401")
    assert (club.name_th, club.parent_id, club.district_id) == (
        "ชมรมใหม่",
        network.bang_khla.pk,
        "2402",
    )
    assert club.path.startswith(network.bang_khla.path)
    assert Organization.objects.filter(code="club-2401").count() == 1


def test_dry_run_writes_nothing(network: Tree) -> None:
    report = run(
        "organizations",
        ORG_HEADER + "\nclub-2401,ชมรม,strong_club,district,net-2401,2401,,,\n",
        dry_run=True,
    )
    assert report.created == 1 and report.dry_run
    assert not Organization.objects.filter(code="club-2401").exists()


def test_a_file_without_the_required_columns_is_refused(network: Tree) -> None:
    report = run("organizations", "code,name_th\nx,y\n")
    assert report.file_errors and "kind, level" in report.file_errors[0]
    assert run("members", "").file_errors == ["The file is empty."]


def test_members_with_trainings_in_buddhist_era_and_accounts(network: Tree, member: User) -> None:
    lines = [
        MEMBER_HEADER,
        "m-001,council-240101,นางสมศรี ใจดี,coordinator,081-000-0001,somsri@example.org,"
        '16/03/2566,"STRONG=2566-03-16; ตรวจติดตามโครงการ",malee',
        "m-002,council-240101,นายสมชาย,volunteer,,,2024-01-05,,",
        "m-003,nowhere,นาย ก,volunteer,,,,,",
        "m-004,council-240101,,chief,,not-mail,31/02/2566,bad=date=x,nobody",
    ]
    report = run("members", "\n".join(lines) + "\n")
    found = errors(report)
    assert sorted(found) == [4, 5]
    assert "Unknown organization “nowhere”" in found[4]
    for part in (
        "full name",
        "Unknown role “chief”",
        "not-mail",
        "31/02/2566",
        "trainings",
        "username “nobody”",
    ):
        assert part in found[5]
    somsri = Member.objects.get(code="m-001")
    assert somsri.joined_on is not None and somsri.joined_on.isoformat() == "2023-03-16"
    assert somsri.user == member
    assert sorted((t.skill, str(t.trained_on)) for t in somsri.trainings.all()) == [
        ("STRONG", "2023-03-16"),
        ("ตรวจติดตามโครงการ", "None"),
    ]
    # The audit log counts rows and never names anyone.
    event = AuditEvent.objects.get(action="network.members_imported")
    assert "สมศรี" not in str(event.data)
    added = AuditEvent.objects.filter(action="network.member_added")
    assert added.count() == 2 and all("สมศรี" not in str(e.data) for e in added)


def test_members_reimport_updates_trainings_without_duplicates(network: Tree) -> None:
    text = MEMBER_HEADER + '\nm-001,council-240101,นางสมศรี,volunteer,,,,"STRONG=2566-03-16",\n'
    run("members", text)
    again = run("members", text)
    assert (again.created, again.unchanged) == (0, 1)
    run(
        "members",
        text.replace("volunteer", "trainer").replace("STRONG=2566-03-16", "ครู=2567-01-01"),
    )
    member = Member.objects.get(code="m-001")
    assert member.role == "trainer"
    assert [t.skill for t in Training.objects.filter(member=member)] == ["ครู"]


def test_rows_are_checked_against_the_importers_rights(
    network: Tree, people: dict[str, User]
) -> None:
    text = (
        "\n".join(
            [
                MEMBER_HEADER,
                "m-in,council-240101,ในสาขา,volunteer,,,,,",
                "m-out,council-240201,นอกสาขา,volunteer,,,,,",
            ]
        )
        + "\n"
    )
    report = run("members", text, by=people["dara"])
    assert sorted(errors(report)) == [3]
    assert "You may not change this record" in errors(report)[3]
    orgs = ORG_HEADER + "\nsub-1,กลุ่ม,community_organization,subdistrict,net-2402,,240201,,\n"
    assert errors(run("organizations", orgs, by=people["dara"])) == {
        2: "You may not change this record."
    }
    assert run("organizations", orgs, by=people["alice"]).created == 1


def test_command_reports_lines_and_fails_on_bad_rows(network: Tree, tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(
        "\ufeff" + ORG_HEADER + "\nclub-2401,ชมรม,strong_club,district,net-2401,2401,,,\n"
        "bad,x,nope,district,,2401,,,\n",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="1 rows were not"):
        call_command("import-network", "organizations", str(path), stdout=out, stderr=err)
    assert "line 3: Unknown type “nope”" in err.getvalue()
    assert "Created 1" in out.getvalue()
    out = io.StringIO()
    path.write_text(ORG_HEADER + "\nclub-2401,ชมรม,strong_club,district,net-2401,2401,,,\n")
    with translation.override("en"):
        call_command("import-network", "organizations", str(path), "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and "leave 1 unchanged" in out.getvalue()


def test_command_refuses_a_file_in_another_encoding(network: Tree, tmp_path: Path) -> None:
    path = tmp_path / "tis620.csv"
    path.write_bytes((ORG_HEADER + "\nx,ชมรม,network,district,,2401,,,\n").encode("cp874"))
    with translation.override("en"), pytest.raises(CommandError, match="not UTF-8"):
        call_command("import-network", "organizations", str(path))
