"""A small network in Chachoengsao for the network tests.

    province network (24)              alice: platform coordinator of province 24
    ├── Mueang district network (2401)  dara: coordinator of Mueang (a network member)
    │   └── Na Mueang council (240101)  malee: coordinator of Na Mueang; tom: a volunteer
    │       └── village 3 group
    └── Bang Khla district network (2402)
        └── Bang Khla council (240201)  eve: no membership anywhere

Bob is a platform coordinator of Chon Buri (20), so none of this is his.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from sujarit.accounts.actions import create_user
from sujarit.accounts.models import Role, User
from sujarit.geo.models import District, Province, Subdistrict
from sujarit.network import actions
from sujarit.network.models import (
    ActionPlan,
    ActivityKind,
    AreaLevel,
    Level,
    Measure,
    Member,
    MemberRole,
    Organization,
    OrganizationKind,
    PlanActivity,
    PlanStatus,
)


@dataclass
class Tree:
    province: Organization
    mueang: Organization
    na_mueang: Organization
    village: Organization
    bang_khla: Organization
    bang_khla_council: Organization


def org(code: str, level: str, parent: Organization | None, **area: Any) -> Organization:
    kind = (
        OrganizationKind.NETWORK
        if level in (Level.PROVINCE, Level.DISTRICT)
        else (OrganizationKind.COMMUNITY_COUNCIL)
    )
    return actions.create_organization(
        values=actions.OrganizationInput(
            code=code, name_th=f"องค์กร {code}", kind=kind, level=level, parent=parent, **area
        ),
        by=None,
    )


@pytest.fixture
def network(geo_data: Any, settings: Any) -> Tree:
    settings.SUJARIT_PROVINCE = "24"
    province = Province.objects.defer("boundary").get(code="24")
    root = org("net-24", Level.PROVINCE, None, province=province)
    mueang = org("net-2401", Level.DISTRICT, root, district=District.objects.get(code="2401"))
    na_mueang = org(
        "council-240101",
        Level.SUBDISTRICT,
        mueang,
        subdistrict=Subdistrict.objects.get(code="240101"),
    )
    village = org(
        "village-240101-3",
        Level.VILLAGE,
        na_mueang,
        subdistrict=Subdistrict.objects.get(code="240101"),
        village="หมู่ 3",
    )
    bang_khla = org("net-2402", Level.DISTRICT, root, district=District.objects.get(code="2402"))
    bang_khla_council = org(
        "council-240201",
        Level.SUBDISTRICT,
        bang_khla,
        subdistrict=Subdistrict.objects.get(code="240201"),
    )
    return Tree(root, mueang, na_mueang, village, bang_khla, bang_khla_council)


def join(
    user: User | None,
    organization: Organization,
    role: str = MemberRole.COORDINATOR,
    *,
    code: str | None = None,
    **fields: Any,
) -> Member:
    values = {
        "code": code
        or f"m-{organization.code}-{user.username if user else Member.objects.count()}",
        "organization": organization,
        "role": role,
        "full_name": fields.pop("full_name", f"สมาชิก {user.username if user else 'ไม่มีบัญชี'}"),
        "user": user,
        **fields,
    }
    return actions.add_member(values=actions.MemberInput(**values), by=None)


@pytest.fixture
def dara(db: None) -> User:
    return create_user(username="dara", email="", role=Role.NETWORK_MEMBER, by=None)


@pytest.fixture
def tom(db: None) -> User:
    return create_user(username="tom", email="", role=Role.NETWORK_MEMBER, by=None)


@pytest.fixture
def people(
    network: Tree, coordinator: User, other_coordinator: User, member: User, dara: User, tom: User
) -> dict[str, User]:
    """alice (platform, 24), bob (platform, 20), dara (coordinates Mueang), malee
    (coordinates Na Mueang), tom (volunteer of Na Mueang)."""
    other_coordinator.province = Province.objects.get(code="20")
    other_coordinator.save(update_fields=["province"])
    join(dara, network.mueang)
    join(member, network.na_mueang)
    join(tom, network.na_mueang, MemberRole.VOLUNTEER)
    return {
        "alice": coordinator,
        "bob": other_coordinator,
        "dara": dara,
        "malee": member,
        "tom": tom,
    }


@dataclass
class PlanSetup:
    plan: ActionPlan
    trained: PlanActivity  # pillar 1, attendance, target 100, weight 3
    campaigns: PlanActivity  # pillar 1, activities count, target 4, weight 1
    monitored: PlanActivity  # pillar 4, quantity, target 10, weight 1


def make_plan(
    organization: Organization,
    *,
    status: str = PlanStatus.ACTIVE,
    area_level: str = AreaLevel.DISTRICT,
    fiscal_year: int = 2569,
    weight: Decimal = Decimal("1"),
    **area: Any,
) -> ActionPlan:
    if not area:
        area = {"district": organization.district}
    plan = actions.create_plan(
        values=actions.PlanInput(
            title=f"แผน {organization.code} {fiscal_year}",
            organization=organization,
            area_level=area_level,
            fiscal_year=fiscal_year,
            weight=weight,
            **area,
        ),
        by=None,
    )
    steps: dict[str, list[str]] = {
        PlanStatus.DRAFT: [],
        PlanStatus.APPROVED: [PlanStatus.APPROVED],
        PlanStatus.ACTIVE: [PlanStatus.APPROVED, PlanStatus.ACTIVE],
        PlanStatus.COMPLETED: [PlanStatus.APPROVED, PlanStatus.ACTIVE, PlanStatus.COMPLETED],
    }
    path = steps[status]
    for step in path:
        actions.change_plan_status(plan=plan, to=step, by=None)
    plan.refresh_from_db()
    return plan


def planned(
    plan: ActionPlan, pillar: int, measure: str, target: int, weight: int = 1, title: str = ""
) -> PlanActivity:
    return actions.add_plan_activity(
        plan=plan,
        values=actions.PlanActivityInput(
            pillar=pillar,
            title=title or f"{measure} {target}",
            measure=measure,
            target=Decimal(target),
            unit="คน",
            weight=Decimal(weight),
        ),
        by=None,
    )


@pytest.fixture
def plan_setup(network: Tree) -> PlanSetup:
    plan = make_plan(network.mueang)
    return PlanSetup(
        plan=plan,
        trained=planned(plan, 1, Measure.ATTENDANCE, 100, 3),
        campaigns=planned(plan, 1, Measure.ACTIVITIES, 4, 1),
        monitored=planned(plan, 4, Measure.QUANTITY, 10, 1),
    )


def record(
    organizers: list[Organization],
    *,
    plan_activity: PlanActivity | None = None,
    attendance: dict[str, int] | None = None,
    quantity: Decimal | None = None,
    held_on: dt.date = dt.date(2025, 11, 5),
    by: User | None = None,
    **fields: Any,
) -> Any:
    return actions.record_activity(
        values=actions.ActivityInput(
            title=fields.pop("title", "เวทีต้านทุจริต"),
            kind=fields.pop("kind", ActivityKind.WORKSHOP),
            held_on=held_on,
            organizers=organizers,
            plan_activity=plan_activity,
            attendance=attendance or {},
            quantity=quantity,
            **fields,
        ),
        by=by,
    )


@pytest.fixture
def recorder() -> Callable[..., Any]:
    return record


def area(network: Tree) -> Subdistrict:
    """Na Mueang's subdistrict (240101)."""
    subdistrict = network.na_mueang.subdistrict
    assert subdistrict is not None
    return subdistrict


@pytest.fixture
def private_storage(settings: Any, tmp_path: Any) -> Any:
    """The default (private) storage in a temporary directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def jpeg_with_gps() -> bytes:
    """A real JPEG whose EXIF holds a GPS position and a camera make."""
    import io

    from PIL import Image

    image = Image.new("RGB", (32, 24), (20, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (13.0, 41.0, 15.0), 3: "E", 4: (101.0, 4.0, 30.0)})
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return output.getvalue()
