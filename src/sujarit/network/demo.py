"""A realistic, clearly labelled demo network for a province (``sujarit demo``).

It follows the seed workshop: a province community-organization movement with its district
networks and a community organization council in every subdistrict, the STRONG club, the
children and youth council, a civil-society network and a coordination centre; an MOU
covering 23 subdistricts (and an older, expired one); plans on the four pillars for the
current and the previous fiscal year with activities and a progress history; monitoring
visits; and a White Award round where network organizations won 11 of 23 awards.

Every record has ``is_demo`` set and "(ตัวอย่าง)"/"(demo)" in its name; people are made-up
names with telephone numbers from a range no operator assigns (0xx-000-xxxx).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sujarit.accounts.models import Role, User
from sujarit.agencies.models import Agency
from sujarit.audit.actions import record
from sujarit.geo.models import District, Province, Subdistrict
from sujarit.network import actions
from sujarit.network.demo_data import (
    CHECKLIST,
    FIRST_NAMES,
    LAST_NAMES,
    PLAN_ACTIVITIES,
    SKILLS,
)
from sujarit.network.fiscal import current_fiscal_year, fiscal_year_bounds
from sujarit.network.models import (
    ActionPlan,
    ActivityKind,
    AreaLevel,
    AttendanceGroup,
    Level,
    Measure,
    MemberRole,
    Organization,
    OrganizationKind,
    PlanStatus,
    ProgressSnapshot,
)
from sujarit.network.progress import plans_progress

#: The seed workshop's day: the MOU for 23 subdistricts was signed then.
SEED_DAY = dt.date(2023, 3, 16)
COVERED_SUBDISTRICTS = 23
WHITE_AWARD_TOTAL, WHITE_AWARD_NETWORK_WINS = 23, 11
DEMO = " (ตัวอย่าง)"
DEMO_EN = " (demo)"


@dataclass
class DemoNetworkReport:
    organizations: int = 0
    members: int = 0
    plans: int = 0
    activities: int = 0
    visits: int = 0
    covered_subdistricts: int = 0
    created: bool = False


def _root_code(province_code: str) -> str:
    return f"demo-{province_code}-movement"


def covered_subdistricts(province_code: str) -> list[Subdistrict]:
    """23 subdistricts spread over the districts: the first of each district, then the
    second, and so on, in code order."""
    by_district: dict[str, list[Subdistrict]] = {}
    for subdistrict in (
        Subdistrict.objects.filter(province_id=province_code).defer("boundary").order_by("code")
    ):
        by_district.setdefault(subdistrict.district_id, []).append(subdistrict)
    chosen: list[Subdistrict] = []
    rank = 0
    while len(chosen) < COVERED_SUBDISTRICTS and any(len(s) > rank for s in by_district.values()):
        for subdistricts in by_district.values():
            if rank < len(subdistricts) and len(chosen) < COVERED_SUBDISTRICTS:
                chosen.append(subdistricts[rank])
        rank += 1
    return sorted(chosen, key=lambda s: s.code)


class _Builder:
    def __init__(self, province: Province) -> None:
        self.province = province
        self.random = random.Random(f"sujarit-demo-network-{province.code}")  # noqa: S311
        self.report = DemoNetworkReport(created=True)
        self.member_number = 0
        self.today = timezone.localdate()

    def organization(
        self,
        code: str,
        name_th: str,
        name_en: str,
        kind: str,
        level: str,
        parent: Organization | None,
        **area: object,
    ) -> Organization:
        self.report.organizations += 1
        return actions.create_organization(
            values=actions.OrganizationInput(
                code=code,
                name_th=name_th + DEMO,
                name_en=(name_en + DEMO_EN) if name_en else "",
                kind=kind,
                level=level,
                parent=parent,
                is_demo=True,
                **area,  # type: ignore[arg-type]
            ),
            by=None,
        )

    def members(
        self, organization: Organization, roles: Sequence[str], *, user: User | None = None
    ) -> None:
        for index, role in enumerate(roles):
            self.member_number += 1
            number = self.member_number
            name = f"{self.random.choice(FIRST_NAMES)} {self.random.choice(LAST_NAMES)}"
            trainings: list[tuple[str, dt.date | None]] = [
                (skill, SEED_DAY + dt.timedelta(days=30 * k + number % 20))
                for k, skill in enumerate(self.random.sample(SKILLS, k=number % 3))
            ]
            actions.add_member(
                values=actions.MemberInput(
                    code=f"demo-{self.province.code}-m{number:04d}",
                    organization=organization,
                    role=role,
                    full_name=name + DEMO,
                    phone=f"09{number % 10}-000-{number:04d}",
                    joined_on=SEED_DAY - dt.timedelta(days=number * 11),
                    user=user if index == 0 else None,
                    trainings=trainings,
                    is_demo=True,
                ),
                by=None,
            )
            self.report.members += 1


@transaction.atomic
def create_demo_network(*, province_code: str) -> DemoNetworkReport:
    """Build the demo network of the province; does nothing if it exists already."""
    if Organization.objects.filter(code=_root_code(province_code)).exists():
        return DemoNetworkReport()
    province = Province.objects.defer("boundary").get(code=province_code)
    builder = _Builder(province)
    tree = _organizations(builder)
    covered = covered_subdistricts(province_code)
    builder.report.covered_subdistricts = len(covered)
    _mous(builder, tree, covered)
    _plans(builder, tree, covered)
    _visits(builder, tree, covered)
    _awards(builder, tree)
    record(
        actor=None,
        action="network.demo_created",
        data={
            "province": province_code,
            "organizations": builder.report.organizations,
            "members": builder.report.members,
            "plans": builder.report.plans,
            "activities": builder.report.activities,
            "visits": builder.report.visits,
        },
    )
    return builder.report


@dataclass
class _Tree:
    root: Organization
    strong: Organization
    youth: Organization
    civil: Organization
    centre: Organization
    districts: dict[str, Organization]
    councils: dict[str, Organization]


def _organizations(b: _Builder) -> _Tree:
    p = b.province
    code = p.code
    demo_member = User.objects.filter(username="demo-member", role=Role.NETWORK_MEMBER).first()
    root = b.organization(
        _root_code(code),
        f"ขบวนองค์กรชุมชนจังหวัด{p.name_th}",
        f"{p.name_en} Community Organization Movement",
        OrganizationKind.NETWORK,
        Level.PROVINCE,
        None,
        province=p,
    )
    b.members(root, [MemberRole.COORDINATOR, MemberRole.COMMITTEE, MemberRole.COMMITTEE])
    strong = b.organization(
        f"demo-{code}-strong",
        f"ชมรม STRONG จิตพอเพียงต้านทุจริตจังหวัด{p.name_th}",
        f"{p.name_en} STRONG Club",
        OrganizationKind.STRONG_CLUB,
        Level.PROVINCE,
        root,
        province=p,
    )
    b.members(
        strong,
        [MemberRole.COORDINATOR, MemberRole.TRAINER, MemberRole.TRAINER]
        + [MemberRole.VOLUNTEER] * 4,
    )
    youth = b.organization(
        f"demo-{code}-youth",
        f"สภาเด็กและเยาวชนจังหวัด{p.name_th}",
        f"{p.name_en} Children and Youth Council",
        OrganizationKind.YOUTH_COUNCIL,
        Level.PROVINCE,
        root,
        province=p,
    )
    b.members(youth, [MemberRole.COORDINATOR, MemberRole.MEMBER, MemberRole.MEMBER])
    civil = b.organization(
        f"demo-{code}-civil",
        f"เครือข่ายป้องกันการทุจริตภาคประชาสังคมจังหวัด{p.name_th}",
        f"{p.name_en} Civil Society Anti-Corruption Network",
        OrganizationKind.CIVIL_SOCIETY,
        Level.PROVINCE,
        root,
        province=p,
    )
    b.members(civil, [MemberRole.COORDINATOR, MemberRole.VOLUNTEER])
    centre = b.organization(
        f"demo-{code}-centre",
        f"ศูนย์ประสานเครือข่ายภาคประชาสังคมในการต่อต้านการทุจริตจังหวัด{p.name_th}",
        f"{p.name_en} Civil Society Anti-Corruption Coordination Centre",
        OrganizationKind.COORDINATION_CENTRE,
        Level.PROVINCE,
        root,
        province=p,
    )
    b.members(centre, [MemberRole.COORDINATOR])
    districts: dict[str, Organization] = {}
    councils: dict[str, Organization] = {}
    covered = {s.code for s in covered_subdistricts(p.code)}
    linked_demo_member = False
    for district in District.objects.filter(province=p).defer("boundary").order_by("code"):
        network = b.organization(
            f"demo-{district.code}-network",
            f"เครือข่ายองค์กรชุมชนอำเภอ{district.name_th}",
            f"{district.name_en} District Community Network",
            OrganizationKind.NETWORK,
            Level.DISTRICT,
            root,
            district=district,
        )
        districts[district.code] = network
        b.members(network, [MemberRole.COORDINATOR, MemberRole.VOLUNTEER])
        for subdistrict in Subdistrict.objects.filter(district=district).defer("boundary"):
            council = b.organization(
                f"demo-{subdistrict.code}-council",
                f"สภาองค์กรชุมชนตำบล{subdistrict.name_th}",
                f"{subdistrict.name_en} Subdistrict Community Organization Council",
                OrganizationKind.COMMUNITY_COUNCIL,
                Level.SUBDISTRICT,
                network,
                subdistrict=subdistrict,
            )
            councils[subdistrict.code] = council
            if subdistrict.code in covered:
                user = None
                if demo_member is not None and not linked_demo_member:
                    user, linked_demo_member = demo_member, True
                b.members(
                    council,
                    [MemberRole.COORDINATOR, MemberRole.VOLUNTEER, MemberRole.VOLUNTEER],
                    user=user,
                )
                if subdistrict.code.endswith("01"):
                    village = b.organization(
                        f"demo-{subdistrict.code}-savings-3",
                        "กลุ่มออมทรัพย์เพื่อการผลิต หมู่ 3",
                        "Village 3 savings group",
                        OrganizationKind.COMMUNITY_ORGANIZATION,
                        Level.VILLAGE,
                        council,
                        subdistrict=subdistrict,
                        village="หมู่ 3 บ้านคลองใหม่",
                    )
                    b.members(village, [MemberRole.COORDINATOR, MemberRole.MEMBER])
    return _Tree(root, strong, youth, civil, centre, districts, councils)


def _agencies(province_code: str) -> list[Agency]:
    codes = [f"nacc-{province_code}", f"provincial-office-{province_code}", "pacc"]
    wanted = Agency.objects.filter(code__in=codes) | Agency.objects.filter(
        kind="pacc_regional", served_provinces__code=province_code
    )
    return list(wanted.distinct())


def _mous(b: _Builder, tree: _Tree, covered: list[Subdistrict]) -> None:
    parties = [tree.root, tree.strong, tree.civil, tree.centre, tree.youth]
    parties += [tree.councils[s.code] for s in covered if s.code in tree.councils]
    actions.create_mou(
        values=actions.MouInput(
            title=(
                "บันทึกความร่วมมือโครงการป้องกันและต่อต้านการทุจริต โดยการมีส่วนร่วมของ"
                f"ภาคประชาชนและองค์กรชุมชนใน {len(covered)} ตำบล{DEMO}"
            ),
            province=b.province,
            signed_on=SEED_DAY,
            starts_on=SEED_DAY,
            organizations=parties,
            agencies=_agencies(b.province.code),
            subdistricts=covered,
            commitments=(
                "1. สร้างการรับรู้และจิตสำนึกประชาชนในพื้นที่\n"
                "2. สร้างระบบพื้นที่เปิดเผยโปร่งใส\n"
                "3. สร้างธรรมาภิบาลการดำเนินงานของเครือข่ายภาคประชาชน องค์กรชุมชน\n"
                "4. ปฏิบัติการเฝ้าระวังและต่อต้านการทุจริตในพื้นที่"
            ),
            is_demo=True,
        ),
        by=None,
    )
    # An earlier agreement whose term has ended: its subdistricts count as covered only
    # where the current MOU covers them too.
    older = list(
        Subdistrict.objects.filter(province=b.province).defer("boundary").order_by("-code")[:4]
    )
    actions.create_mou(
        values=actions.MouInput(
            title=f"บันทึกความร่วมมือเครือข่ายเฝ้าระวังการทุจริต ระยะที่ 1{DEMO}",
            province=b.province,
            signed_on=dt.date(2019, 6, 1),
            starts_on=dt.date(2019, 6, 1),
            ends_on=dt.date(2022, 5, 31),
            organizations=[tree.root, tree.civil],
            subdistricts=older,
            commitments="ร่วมเฝ้าระวังและแจ้งเบาะแสการทุจริตในพื้นที่",
            is_demo=True,
        ),
        by=None,
    )


def _plans(b: _Builder, tree: _Tree, covered: list[Subdistrict]) -> None:
    year = current_fiscal_year()
    district_codes = list(tree.districts)[:3]
    for fiscal_year, status in ((year - 1, PlanStatus.COMPLETED), (year, PlanStatus.ACTIVE)):
        owners: list[tuple[Organization, str, dict[str, object]]] = [
            (tree.root, AreaLevel.PROVINCE, {"province": b.province}),
        ]
        for code in district_codes:
            owners.append((tree.districts[code], AreaLevel.DISTRICT, {"district_id": code}))
        for subdistrict in covered[:2]:
            owners.append(
                (
                    tree.councils[subdistrict.code],
                    AreaLevel.SUBDISTRICT,
                    {"subdistrict": subdistrict},
                )
            )
        for index, (owner, level, area) in enumerate(owners):
            plan = _plan(b, owner, level, area, fiscal_year, scale=1 if index == 0 else 0.25)
            for step in _status_path(status):
                actions.change_plan_status(plan=plan, to=step, by=None)
            _activities(b, plan, tree, covered, fiscal_year)
            _history(plan, fiscal_year, b.today)
    draft = _plan(
        b,
        tree.districts[list(tree.districts)[-1]],
        AreaLevel.DISTRICT,
        {"district_id": list(tree.districts)[-1]},
        year + 1,
        scale=0.25,
    )
    draft.summary = "ร่างแผนสำหรับปีงบประมาณถัดไป ยังไม่ได้รับความเห็นชอบ"
    draft.save(update_fields=["summary"])


def _status_path(status: str) -> list[str]:
    path: list[str] = [PlanStatus.APPROVED, PlanStatus.ACTIVE]
    return path + [PlanStatus.COMPLETED] if status == PlanStatus.COMPLETED else path


def _plan(
    b: _Builder,
    owner: Organization,
    level: str,
    area: dict[str, object],
    fiscal_year: int,
    *,
    scale: float,
) -> ActionPlan:
    if "district_id" in area:
        area = {"district": District.objects.defer("boundary").get(code=area["district_id"])}
    plan = actions.create_plan(
        values=actions.PlanInput(
            title=f"แผนปฏิบัติการต่อต้านการทุจริต ปีงบประมาณ {fiscal_year} — {owner.name_th}",
            organization=owner,
            area_level=level,
            fiscal_year=fiscal_year,
            weight=Decimal("2") if level == AreaLevel.PROVINCE else Decimal("1"),
            summary="แผนตามแนวทาง 4 ด้านของเวทีจังหวัด (ข้อมูลตัวอย่าง)",
            is_demo=True,
            **area,  # type: ignore[arg-type]
        ),
        by=None,
    )
    actions.set_pillar_weights(
        plan=plan,
        weights={1: Decimal("1"), 2: Decimal("1"), 3: Decimal("1"), 4: Decimal("2")},
        by=None,
    )
    for order, (pillar, title, measure, target, unit, weight) in enumerate(PLAN_ACTIVITIES):
        actions.add_plan_activity(
            plan=plan,
            values=actions.PlanActivityInput(
                pillar=pillar,
                title=title,
                measure=measure,
                target=Decimal(max(1, round(target * scale))),
                unit=unit,
                weight=Decimal(weight),
                order=order,
            ),
            by=None,
        )
    b.report.plans += 1
    return plan


def _activities(
    b: _Builder, plan: ActionPlan, tree: _Tree, covered: list[Subdistrict], fiscal_year: int
) -> None:
    start, end = fiscal_year_bounds(fiscal_year)
    last = min(end, b.today)
    if last < start:
        return
    days = (last - start).days
    organizer = plan.organization
    kinds = {
        Measure.ATTENDANCE: ActivityKind.TRAINING,
        Measure.ACTIVITIES: ActivityKind.CAMPAIGN,
        Measure.QUANTITY: ActivityKind.FORUM,
    }
    # A completed year reaches most targets; the current year is as far as its days allow.
    share = 1.0 if last == end else max(0.15, days / 365)
    for planned in plan.pillars.all().prefetch_related("activities"):
        for target in planned.activities.all():
            count = (
                3
                if target.measure != Measure.ACTIVITIES
                else max(1, round(float(target.target) * share * b.random.uniform(0.6, 1.0)))
            )
            for number in range(count):
                # Spread over the period, each a few days apart from the other plans' ones.
                offset = round(days * (number + 1) / (count + 1)) + b.random.randint(-6, 6)
                day = start + dt.timedelta(days=min(max(offset, 0), days))
                subdistrict = plan.subdistrict or b.random.choice(covered)
                attendance: dict[str, int] = {}
                quantity = None
                if target.measure == Measure.ATTENDANCE:
                    people = float(target.target) * share * b.random.uniform(0.25, 0.38)
                    attendance = {
                        AttendanceGroup.RESIDENTS: max(1, round(people * 0.6)),
                        AttendanceGroup.YOUTH: max(1, round(people * 0.3)),
                        AttendanceGroup.OFFICIALS: max(0, round(people * 0.1)),
                    }
                else:
                    attendance = {
                        AttendanceGroup.NETWORK_MEMBERS: b.random.randint(12, 40),
                        AttendanceGroup.LOCAL_LEADERS: b.random.randint(3, 10),
                    }
                if target.measure == Measure.QUANTITY:
                    quantity = Decimal(
                        max(1, round(float(target.target) * share * b.random.uniform(0.2, 0.33)))
                    )
                actions.record_activity(
                    values=actions.ActivityInput(
                        title=f"{target.title} ครั้งที่ {number + 1}{DEMO}",
                        kind=kinds[Measure(target.measure)],
                        held_on=day,
                        organizers=[organizer],
                        place=f"ศาลาประชาคมตำบล{subdistrict.name_th}",
                        subdistrict=subdistrict,
                        plan_activity=target,
                        quantity=quantity,
                        attendance=attendance,
                        report="สรุปผลการดำเนินกิจกรรม (ข้อมูลตัวอย่าง)",
                        is_demo=True,
                    ),
                    by=None,
                )
                b.report.activities += 1


def _history(plan: ActionPlan, fiscal_year: int, today: dt.date) -> None:
    """Snapshots at each month end, as the progress stood from the activities held by then."""
    start, end = fiscal_year_bounds(fiscal_year)
    ProgressSnapshot.objects.filter(plan=plan).delete()
    day = start
    while day <= min(end, today):
        next_month = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        month_end = min(next_month - dt.timedelta(days=1), end, today)
        ratio = plans_progress([plan], as_of=month_end)[plan.pk].ratio
        if ratio is not None:
            ProgressSnapshot.objects.create(plan=plan, taken_on=month_end, progress=ratio)
        day = next_month


def _visits(b: _Builder, tree: _Tree, covered: list[Subdistrict]) -> None:
    template = actions.create_checklist(
        name=f"ตรวจติดตามโครงการก่อสร้างสาธารณะ{DEMO}",
        description="คำถามพื้นฐานเมื่อลงพื้นที่ดูโครงการของรัฐ",
        questions=list(CHECKLIST),
        by=None,
        province_code=b.province.code,
        is_demo=True,
    )
    questions = list(template.questions.all())
    projects = ("ถนนคอนกรีตเสริมเหล็ก หมู่ 2", "ขุดลอกคลองส่งน้ำ", "ศาลาอเนกประสงค์หมู่บ้าน")
    for index, subdistrict in enumerate(covered[:10]):
        answers = {}
        for number, question in enumerate(questions):
            answer = "no" if (index + number) % 4 == 0 else "yes"
            note = "ไม่พบป้ายแสดงงบประมาณ" if answer == "no" and number == 0 else ""
            answers[question.pk] = (answer, note)
        actions.record_visit(
            values=actions.VisitInput(
                visited_on=b.today - dt.timedelta(days=7 * index + 3),
                subdistrict=subdistrict,
                organization=tree.councils[subdistrict.code],
                project_title=projects[index % len(projects)] + DEMO,
                project_reference=f"DEMO-{b.province.code}-{index + 1:03d}",
                village=f"หมู่ {index % 9 + 1}",
                checklist=template,
                answers=answers,
                notes="ข้อสังเกตจากการลงพื้นที่ (ข้อมูลตัวอย่าง)",
                is_demo=True,
            ),
            by=None,
        )
        b.report.visits += 1


def _awards(b: _Builder, tree: _Tree) -> None:
    pacc = Agency.objects.filter(code="pacc").first()
    contest = actions.save_contest(
        values=actions.ContestInput(
            name_th=f"รางวัลสีขาว (White Award){DEMO}",
            name_en=f"White Award{DEMO_EN}",
            year=2565,
            total_awards=WHITE_AWARD_TOTAL,
            giver=pacc,
            giver_name="" if pacc else "ป.ป.ท.",
            is_demo=True,
        ),
        by=None,
        province_code=b.province.code,
    )
    winners = [tree.civil, tree.strong] + list(tree.councils.values())
    for index, organization in enumerate(winners[:WHITE_AWARD_NETWORK_WINS]):
        actions.add_award(
            contest=contest,
            organization=organization,
            category="ภาคประชาชน" if index < 2 else "องค์กรชุมชน",
            by=None,
            province_code=b.province.code,
            is_demo=True,
        )
