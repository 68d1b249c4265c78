"""Why a flag was raised, in English and Thai, from the values that caused it.

The engine is free of Django, so the texts are plain strings here (the web app may translate
its own wording, but these sentences carry the numbers). Every explanation keeps the values it
was built from (``values``), so a page can show them in its own layout too.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

#: Indicator titles in English and Thai.
TITLES: dict[str, tuple[str, str]] = {
    "R003": ("Short submission period", "ระยะเวลายื่นข้อเสนอสั้นผิดปกติ"),
    "R018": ("Single bid received", "มีผู้ยื่นข้อเสนอเพียงรายเดียว"),
    "R024": ("Price close to winning bid", "ราคาเสนอใกล้เคียงกับราคาผู้ชนะผิดปกติ"),
    "R025": ("Excessive unsuccessful bids", "ยื่นข้อเสนอแพ้บ่อยผิดปกติ"),
    "R028": ("Identical bid prices", "ราคาเสนอเท่ากันทุกบาท"),
    "R030": ("Late bid won", "ผู้ชนะยื่นข้อเสนอหลังปิดรับ"),
    "R035": (
        "All except winning bid disqualified",
        "ข้อเสนออื่นทั้งหมดถูกตัดสิทธิ์ เหลือเพียงผู้ชนะ",
    ),
    "R036": ("Lowest bid disqualified", "ข้อเสนอราคาต่ำสุดถูกตัดสิทธิ์"),
    "R038": ("Excessive disqualified bids", "ตัดสิทธิ์ข้อเสนอมากผิดปกติ"),
    "R048": ("Heterogeneous supplier", "ผู้ขายรายเดียวขายสินค้าหลากหลายประเภทผิดปกติ"),
    "R058": ("Heavily discounted bid", "ราคาผู้ชนะต่ำกว่ารายอื่นมากผิดปกติ"),
    "R044": (
        "Bidders share contact details",
        "ผู้ยื่นข้อเสนอใช้ข้อมูลติดต่อร่วมกัน",
    ),
    "R055": (
        "Non-competitive award above the method's limit",
        "ใช้วิธีไม่แข่งขันกับวงเงินเกินที่กำหนด",
    ),
    "X001": ("Split purchases", "แบ่งซื้อแบ่งจ้าง"),
    "X002": ("Supplier concentration", "การซื้อกระจุกตัวที่ผู้ขายรายเดียว"),
}

_KINDS = {
    "address": ("address", "ที่อยู่"),
    "telephone": ("telephone number", "หมายเลขโทรศัพท์"),
    "email": ("e-mail address", "อีเมล"),
    "contact": ("contact person", "ผู้ติดต่อ"),
}
#: How many processes an organisation's explanation lists.
MAX_OCIDS = 20


def _money(value: Any, currency: Any = None) -> str:
    if not isinstance(value, int | float) or not math.isfinite(value):
        return str(value)
    text = f"{value:,.2f}".removesuffix(".00")
    return f"{text} {currency}" if currency else text


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _percent(value: Any) -> str:
    if not isinstance(value, int | float) or not math.isfinite(value):
        return str(value)
    percent = value * 100
    # Small differences are the point of some flags (R024): keep their significant digits.
    return f"{percent:.2f}%" if abs(percent) >= 0.01 or percent == 0 else f"{percent:.2g}%"


@dataclasses.dataclass
class Explanation:
    code: str
    en: str
    th: str
    values: dict[str, Any]
    #: The process merged last: rows come ordered by process, so a repeat of it is not another.
    last_ocid: str | None = dataclasses.field(default=None, repr=False, compare=False)

    def merge(self, other: Explanation, group: str) -> None:
        """Fold another occurrence of the same flag into this explanation.

        For a contracting process, another reason (another pair of tenderers, another price)
        is appended; for an organisation, another process is counted and listed.
        """
        if group == "OCID":
            more: list[dict[str, Any]] = self.values.setdefault("more", [])
            if other.en != self.en and len(more) < MAX_OCIDS and other.values not in more:
                more.append(other.values)
                if len(more) <= 3:
                    self.en = f"{self.en} {other.en}"
                    self.th = f"{self.th} {other.th}"
            return
        ocid = other.values.get("ocid") or (other.values.get("ocids") or [None])[0]
        if ocid is None:
            return
        ocids: list[str] = self.values.setdefault("ocids", [])
        if ocid in ocids or ocid == self.last_ocid:
            return
        self.last_ocid = ocid
        self.values["processes"] = self.values.get("processes", len(ocids)) + 1
        if len(ocids) < MAX_OCIDS:
            ocids.append(ocid)
        count = self.values["processes"]
        self.en = f"{self.en.split(' [')[0]} [{count} processes]"
        self.th = f"{self.th.split(' [')[0]} [{count} โครงการ]"

    def as_dict(self) -> dict[str, Any]:
        title_en, title_th = TITLES.get(self.code, (self.code, self.code))
        return {
            "title": {"en": title_en, "th": title_th},
            "en": self.en,
            "th": self.th,
            "values": {
                k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                for k, v in self.values.items()
            },
        }


def explain(code: str, group: str, raw: dict[str, Any]) -> Explanation:
    """Build the explanation of one flag from the values the engine collected."""
    builder = _BUILDERS.get(code)
    if builder is None:
        return Explanation(code, code, code, dict(raw))
    en, th, values = builder(group, raw)
    if group != "OCID" and raw.get("ocid") is not None:
        values.setdefault("ocids", [raw["ocid"]])
        values.setdefault("processes", 1)
    return Explanation(code, en, th, values)


def _r003(group: str, raw: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    days, threshold = _number(raw["n1"]), _number(raw["n2"])
    values = {"days": raw["n1"], "threshold": raw["n2"], "start": raw["s1"], "end": raw["s2"]}
    return (
        f"The submission period lasted {days} days (from {raw['s1']} to {raw['s2']}), "
        f"less than the threshold of {threshold} days.",
        f"เปิดให้ยื่นข้อเสนอเพียง {days} วัน (ตั้งแต่ {raw['s1']} ถึง {raw['s2']}) น้อยกว่าเกณฑ์ {threshold} วัน",
        values,
    )


def _r018(group: str, raw: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    method = raw.get("s1") or "unknown"
    return (
        f"Only one tenderer took part although the method is {method!s}.",
        f"มีผู้ยื่นข้อเสนอเพียงรายเดียว ทั้งที่ใช้วิธี {method!s}",
        {"number_of_tenderers": 1, "procurement_method": raw.get("s1")},
    )


def _slbr(code: str) -> Any:
    def build(group: str, raw: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
        currency = raw.get("currency")
        low, other = _money(raw["low"], currency), _money(raw["other"], currency)
        ratio, fence = _percent(raw["ratio"]), _percent(raw["fence"])
        values = {
            "ocid": raw["ocid"],
            "winner": raw["winner"],
            "winning_bid": raw["low"],
            "second_bidder": raw["second"],
            "second_lowest_bid": raw["other"],
            "currency": currency,
            "difference": raw["ratio"],
            "fence": raw["fence"],
        }
        if code == "R024":
            return (
                f"The winner {raw['winner']} bid {low} and {raw['second']} bid {other}: a "
                f"difference of {ratio}, at or below the lower fence of {fence}.",
                f"ผู้ชนะ {raw['winner']} เสนอ {low} และ {raw['second']} เสนอ {other} "
                f"ต่างกันเพียง {ratio} ไม่เกินเกณฑ์ต่ำ {fence}",
                values,
            )
        return (
            f"The winner {raw['winner']} bid {low}, while the next lowest bid ({raw['second']}) "
            f"was {other}: a difference of {ratio}, at or above the upper fence of {fence}.",
            f"ผู้ชนะ {raw['winner']} เสนอ {low} ขณะที่ราคาต่ำรองลงมา ({raw['second']}) คือ "
            f"{other} ต่างกันถึง {ratio} ไม่ต่ำกว่าเกณฑ์สูง {fence}",
            values,
        )

    return build


def _r025(group: str, raw: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    won, count = _number(raw["won"]), _number(raw["count"])
    ratio, lower, upper = _percent(raw["ratio"]), _percent(raw["lower"]), _number(raw["upper"])
    return (
        f"Won {won} of the {count} processes it bid in ({ratio}), at or below the lower fence "
        f"of {lower}, while bidding at least as often as the top quarter of bidders ({upper}).",
        f"ชนะ {won} จาก {count} โครงการที่ยื่นข้อเสนอ ({ratio}) ไม่เกินเกณฑ์ต่ำ {lower} "
        f"ทั้งที่ยื่นข้อเสนอบ่อยพอ ๆ กับกลุ่มที่ยื่นมากที่สุด ({upper} ครั้งขึ้นไป)",
        {
            "won": raw["won"],
            "processes": raw["count"],
            "ratio": raw["ratio"],
            "lower_fence": raw["lower"],
            "upper_fence": raw["upper"],
        },
    )


def _r028(group: str, raw: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    amount = _money(raw["n1"], raw.get("s1"))
    return (
        f"{raw['id']} bid exactly {amount}, the same price as the bid of {raw['s2']}.",
        f"{raw['id']} เสนอราคา {amount} เท่ากับข้อเสนอของ {raw['s2']} ทุกบาท",
        {
            "ocid": raw["ocid"],
            "tenderer": raw["id"],
            "amount": raw["n1"],
            "currency": raw.get("s1"),
            "other_tenderers": raw["s2"],
        },
    )


def _r030(group: str, raw: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    return (
        f"The winner {raw['id']} submitted its bid on {raw['s1']}, after the submission period "
        f"ended on {raw['s2']}.",
        f"ผู้ชนะ {raw['id']} ยื่นข้อเสนอเมื่อ {raw['s1']} หลังปิดรับข้อเสนอเมื่อ {raw['s2']}",
        {"ocid": raw["ocid"], "winner": raw["id"], "bid_date": raw["s1"], "end_date": raw["s2"]},
    )


def _r035(group: str, raw: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    count = _number(raw["n1"])
    return (
        f"Only the winner {raw['id']} had a valid bid; {count} other tenderers were disqualified.",
        f"มีเพียงผู้ชนะ {raw['id']} ที่ข้อเสนอผ่าน ผู้ยื่นรายอื่น {count} รายถูกตัดสิทธิ์",
        {"ocid": raw["ocid"], "winner": raw["id"], "disqualified_tenderers": raw["n1"]},
    )


def _r036(group: str, raw: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    low, valid = _money(raw["n1"], raw["s1"]), _money(raw["n2"], raw["s1"])
    return (
        f"The lowest bid ({low}) was disqualified; the lowest valid bid was {valid}.",
        f"ข้อเสนอราคาต่ำสุด ({low}) ถูกตัดสิทธิ์ ขณะที่ราคาต่ำสุดที่ผ่านคือ {valid}",
        {"lowest_bid": raw["n1"], "lowest_valid_bid": raw["n2"], "currency": raw["s1"]},
    )


def _r038(group: str, raw: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    disqualified, submitted = _number(raw["disqualified"]), _number(raw["submitted"])
    ratio, fence = _percent(raw["ratio"]), _percent(raw["fence"])
    return (
        f"{disqualified} of {submitted} submitted bids were disqualified ({ratio}), at or above "
        f"the upper fence of {fence}.",
        f"ข้อเสนอถูกตัดสิทธิ์ {disqualified} จาก {submitted} รายการ ({ratio}) ไม่ต่ำกว่าเกณฑ์สูง {fence}",
        {
            "disqualified": raw["disqualified"],
            "submitted": raw["submitted"],
            "ratio": raw["ratio"],
            "fence": raw["fence"],
        },
    )


def _r048(group: str, raw: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    classes, fence = _number(raw["classes"]), _number(raw["fence"])
    processes = _number(raw["processes"])
    return (
        f"Supplied {classes} different item classes ({raw['list']}) over {processes} processes, "
        f"at or above the upper fence of {fence}.",
        f"ขายสินค้า/บริการ {classes} ประเภท ({raw['list']}) ใน {processes} โครงการ "
        f"ไม่ต่ำกว่าเกณฑ์สูง {fence}",
        {
            "classes": raw["classes"],
            "class_list": raw["list"],
            "processes": raw["processes"],
            "fence": raw["fence"],
        },
    )


def _r044(group: str, raw: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    kind_en, kind_th = _KINDS.get(str(raw["s1"]), (str(raw["s1"]), str(raw["s1"])))
    return (
        f"Tenderer {raw['id']} has the same {kind_en} as tenderer {raw['s2']}.",
        f"ผู้ยื่นข้อเสนอ {raw['id']} ใช้{kind_th}เดียวกับผู้ยื่นข้อเสนอ {raw['s2']}",
        {"ocid": raw["ocid"], "tenderer": raw["id"], "shared": raw["s1"], "other": raw["s2"]},
    )


def _r055(group: str, raw: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    amount, limit = _money(raw["n1"], raw.get("s2")), _money(raw["n2"], raw.get("s2"))
    method = raw.get("s1")
    return (
        f"Awarded {amount} by a non-competitive method ({method}), above its limit of {limit}.",
        f"จัดซื้อจัดจ้างด้วยวิธีที่ไม่มีการแข่งขัน ({method}) วงเงิน {amount} เกินวงเงินที่กำหนด {limit}",
        {"amount": raw["n1"], "limit": raw["n2"], "method": method, "currency": raw.get("s2")},
    )


def _x001(group: str, raw: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    total, count = _money(raw["n1"]), _number(raw["n2"])
    buyer, supplier = raw["buyer"], raw["supplier"]
    return (
        f"{count} awards from buyer {buyer} to supplier {supplier} for item class {raw['s2']} "
        f"within a short window, each under the limit, together {total}.",
        f"หน่วยงาน {buyer} จัดซื้อจากผู้ขาย {supplier} ในประเภท {raw['s2']} {count} ครั้ง "
        f"ภายในช่วงเวลาสั้น ๆ แต่ละครั้งต่ำกว่าวงเงินที่กำหนด แต่รวมกัน {total}",
        {
            "awards": raw["n2"],
            "total": raw["n1"],
            "buyer": buyer,
            "supplier": supplier,
            "item_class": raw["s2"],
            "first_ocid": raw.get("ocid"),
        },
    )


def _x002(group: str, raw: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    share, hhi = _percent(raw["n1"]), _number(raw["n2"])
    return (
        f"Supplier {raw['s1']} received {share} of the value this buyer awarded over "
        f"{_number(raw['s2'])} processes (HHI {hhi}).",
        f"ผู้ขาย {raw['s1']} ได้รับ {share} ของมูลค่าที่หน่วยงานนี้จัดซื้อใน "
        f"{_number(raw['s2'])} โครงการ (ดัชนี HHI {hhi})",
        {"top_supplier": raw["s1"], "share": raw["n1"], "hhi": raw["n2"], "processes": raw["s2"]},
    )


_BUILDERS: dict[str, Any] = {
    "R003": _r003,
    "R018": _r018,
    "R024": _slbr("R024"),
    "R058": _slbr("R058"),
    "R025": _r025,
    "R028": _r028,
    "R030": _r030,
    "R035": _r035,
    "R036": _r036,
    "R038": _r038,
    "R048": _r048,
    "R044": _r044,
    "R055": _r055,
    "X001": _x001,
    "X002": _x002,
}
