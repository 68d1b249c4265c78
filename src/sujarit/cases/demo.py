"""Generated demo cases: reports in every state of the workflow, for a demonstration site.

Every case is ``is_demo``, its description starts with "[ตัวอย่าง]" and its public title with
"(ตัวอย่าง)", and it is moved through the workflow by the same actions staff use, acting as the
demo accounts, so its timeline, referrals and audit trail are those a real case would have.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone, translation

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.cases.actions.agency import (
    acknowledge_referral,
    add_progress_note,
    resolve_referral,
)
from sujarit.cases.actions.intake import ReportInput, submit_report
from sujarit.cases.actions.publication import publish_case
from sujarit.cases.actions.triage import (
    begin_screening,
    close_case,
    hand_to_network,
    refer_case,
    reject_case,
    reply_to_complainant,
)
from sujarit.cases.models import Case, CaseStatus, Identity, Rank, ReportKind
from sujarit.geo.models import Subdistrict

DEMO_PREFIX = "[ตัวอย่าง] "

#: (kind, rank, what happened, amount or None): generated stories, not real events.
STORIES: list[tuple[str, str, str, int | None]] = [
    (
        ReportKind.PROCUREMENT,
        Rank.POLITICAL,
        "ถนนคอนกรีตหมู่ที่ {village} สร้างเสร็จไม่ถึงปีก็แตกร้าว ป้ายโครงการไม่ระบุงบประมาณและผู้รับจ้าง",
        480_000,
    ),
    (
        ReportKind.CORRUPTION,
        Rank.OFFICIAL,
        "เจ้าหน้าที่เรียกเงินเพิ่มจากชาวบ้านเพื่อเร่งออกเอกสารสิทธิ์ โดยไม่ออกใบเสร็จ",
        5_000,
    ),
    (
        ReportKind.STATE_FUNDS,
        Rank.LOCAL_STAFF,
        "มีการนำรถยนต์ของส่วนราชการไปใช้ในงานส่วนตัวในวันหยุดหลายครั้ง",
        None,
    ),
    (
        ReportKind.ELECTION_FRAUD,
        Rank.UNKNOWN,
        "มีคนเดินแจกเงินตามบ้านในหมู่ที่ {village} ก่อนวันเลือกตั้งนายก อบต. บ้านละ 500 บาท",
        None,
    ),
    (
        ReportKind.GRIEVANCE,
        Rank.UNKNOWN,
        "ไฟฟ้าส่องสว่างริมถนนในหมู่ที่ {village} ดับมาสามเดือน แจ้งแล้วยังไม่มีใครมาซ่อม",
        None,
    ),
    (
        ReportKind.PROCUREMENT,
        Rank.DIRECTOR,
        "การจัดซื้อครุภัณฑ์การศึกษาราคาสูงกว่าท้องตลาดเกือบเท่าตัว และผู้ชนะเป็นญาติของผู้บริหาร",
        1_250_000,
    ),
    (
        ReportKind.STATE_FUNDS,
        Rank.POLITICAL,
        "งบซ่อมแซมฝายกั้นน้ำเบิกจ่ายครบแล้ว แต่ในพื้นที่ยังไม่มีการซ่อมแซมใด ๆ",
        320_000,
    ),
    (
        ReportKind.GRIEVANCE,
        Rank.UNKNOWN,
        "รถเก็บขยะไม่เข้ามาเก็บในซอยของหมู่ที่ {village} มาหลายสัปดาห์ ขยะล้นส่งกลิ่นเหม็น",
        None,
    ),
]

#: The state each demo case ends in, in the order they are made (oldest first).
PLAN: list[CaseStatus] = (
    [CaseStatus.CLOSED] * 3
    + [CaseStatus.RESOLVED] * 6
    + [CaseStatus.IN_PROGRESS] * 5
    + [CaseStatus.ACKNOWLEDGED] * 4
    + [CaseStatus.REFERRED] * 7
    + [CaseStatus.NETWORK] * 2
    + [CaseStatus.REJECTED] * 3
    + [CaseStatus.SCREENING] * 4
    + [CaseStatus.RECEIVED] * 6
)


@dataclass(frozen=True)
class DemoCases:
    created: int
    #: One resolved demo case and its receipt code, so that a visitor can try the follow-up
    #: page (and the dispute form) on the demonstration site.
    sample_reference: str = ""
    sample_code: str = ""


def create_demo_cases(
    *,
    province_code: str,
    coordinator: User,
    officer: User,
    seed: int = 2569,
    now: datetime | None = None,
) -> DemoCases:
    """Make the demo cases of the province, unless it has some already. The officer must
    work for a demo agency; every referral goes to that agency so the demo officer can answer."""
    if Case.objects.filter(is_demo=True).exists():
        return DemoCases(created=0)
    # Demo texts are Thai, like the province's real ones.
    with translation.override("th"):
        return _create(province_code, coordinator, officer, seed, now or timezone.now())


def _create(
    province_code: str, coordinator: User, officer: User, seed: int, now: datetime
) -> DemoCases:
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    subdistricts = list(
        Subdistrict.objects.filter(province_id=province_code).defer("boundary").order_by("code")
    )
    if not subdistricts:
        return DemoCases(created=0)
    agency: Agency | None = officer.agency
    if agency is None or not agency.is_demo:
        raise ValueError("The demo officer must work for a demo agency.")
    sample = ("", "")
    for index, final in enumerate(PLAN):
        kind, rank, text, amount = STORIES[index % len(STORIES)]
        village = rng.randint(1, 12)
        # Oldest first: spread over the last four months, a day or more apart.
        received = now - timedelta(
            days=(len(PLAN) - index) * 3 + rng.randint(0, 2), hours=rng.randint(1, 20)
        )
        identity = [Identity.ANONYMOUS, Identity.CONFIDENTIAL, Identity.NAMED][index % 3]
        key = uuid.UUID(int=rng.getrandbits(128)).hex
        submission = submit_report(
            report=ReportInput(
                kind=kind,
                description=DEMO_PREFIX + text.format(village=village),
                subdistrict=subdistricts[rng.randrange(len(subdistricts))],
                identity=identity,
                idempotency_key=key,
                village=f"หมู่ {village}",
                accused_rank=rank,
                amount=Decimal(amount) if amount else None,
                consent_to_disclose=identity == Identity.NAMED,
                name="" if identity == Identity.ANONYMOUS else f"ผู้แจ้งตัวอย่าง {index + 1}",
                phone=""
                if identity == Identity.ANONYMOUS
                else f"08{rng.randint(10000000, 99999999)}",
                channel="web",
                is_demo=True,
            ),
            now=received,
        )
        case = submission.case
        _advance(case, final, coordinator=coordinator, officer=officer, agency=agency, at=received)
        if final == CaseStatus.RESOLVED and not sample[0]:
            sample = (case.reference, submission.receipt_code)
    return DemoCases(created=len(PLAN), sample_reference=sample[0], sample_code=sample[1])


def _advance(
    case: Case, final: str, *, coordinator: User, officer: User, agency: Agency, at: datetime
) -> None:
    """Move ``case`` through the workflow to ``final``, a day or two per step."""
    S = CaseStatus
    if final == S.RECEIVED:
        return
    step = iter(range(1, 100))

    def later() -> datetime:
        return at + timedelta(days=next(step), hours=2)

    begin_screening(case=case, by=coordinator, now=later())
    if final == S.SCREENING:
        reply_to_complainant(
            case=case,
            body="ศูนย์ฯ ได้รับเรื่องแล้ว กำลังตรวจสอบข้อเท็จจริงเบื้องต้น (ข้อความตัวอย่าง)",
            by=coordinator,
            now=later(),
        )
        return
    if final == S.REJECTED:
        reject_case(
            case=case,
            reason="ข้อมูลไม่เพียงพอที่จะตรวจสอบได้ (ตัวอย่าง)",
            public_note="ข้อมูลยังไม่พอให้หน่วยงานตรวจสอบ หากมีรายละเอียดเพิ่ม กรุณาแจ้งใหม่ (ตัวอย่าง)",
            by=coordinator,
            now=later(),
        )
        return
    if final == S.NETWORK:
        hand_to_network(
            case=case,
            note="ส่งให้เครือข่ายภาคประชาชนในตำบลลงพื้นที่ตรวจสอบ (ตัวอย่าง)",
            public_note="เครือข่ายในพื้นที่จะลงไปดูสถานที่จริง (ตัวอย่าง)",
            by=coordinator,
            now=later(),
        )
        return
    refer_case(
        case=case,
        agencies=[agency],
        by=coordinator,
        note="โปรดพิจารณาดำเนินการตามอำนาจหน้าที่ (ตัวอย่าง)",
        override_reason=("ข้อมูลตัวอย่าง: ส่งให้หน่วยงานตัวอย่างเพื่อให้บัญชีเจ้าหน้าที่ตัวอย่างตอบได้"),
        now=later(),
    )
    if final == S.REFERRED:
        return
    referral = case.referrals.get(agency=agency)
    acknowledge_referral(referral=referral, by=officer, now=later())
    if final == S.ACKNOWLEDGED:
        return
    add_progress_note(
        referral=referral,
        by=officer,
        public_note="หน่วยงานได้ตั้งคณะทำงานตรวจสอบข้อเท็จจริงแล้ว (ตัวอย่าง)",
        note="นัดลงพื้นที่สัปดาห์หน้า (ตัวอย่าง)",
        now=later(),
    )
    if final == S.IN_PROGRESS:
        return
    resolve_referral(
        referral=referral,
        by=officer,
        outcome="ตรวจสอบแล้ว ผู้รับจ้างเข้าซ่อมแซมตามสัญญาค้ำประกันผลงาน (ตัวอย่าง)",
        now=later(),
    )
    case.refresh_from_db()
    publish_case(
        case=case,
        title=f"(ตัวอย่าง) {ReportKind(case.kind).label}",
        summary="เรื่องร้องเรียนตัวอย่างที่ส่งต่อหน่วยงานและได้รับการแก้ไขแล้ว",
        outcome="หน่วยงานตรวจสอบและแก้ไขแล้ว (ตัวอย่าง)",
        by=coordinator,
        now=later(),
    )
    if final == S.RESOLVED:
        return
    close_case(
        case=case,
        outcome="ปิดเรื่องหลังพ้นกำหนดโต้แย้งผล (ตัวอย่าง)",
        by=coordinator,
        now=later(),
    )
