"""Deterministic generator of synthetic OCDS compiled releases for the red-flag benchmark.

Every release is demo data (its ocid has the prefix ``ocds-demo-``, every organisation name ends
with "(ตัวอย่าง)"); nothing here describes a real procurement. The shape follows OCDS 1.1 and the
size is about 3.8 KB per release, like the file Cardinal was measured on, so that the figures
printed by ``run.py`` are comparable with ../shared/research/cardinal.md.

Anomalies are planted at fixed rates so that every indicator has something to find: short tender
periods (R003), single bidders (R018), bids suspiciously close to or far below the winner (R024,
R058), bidders that rarely win (R025), identical prices (R028), late winning bids (R030), all
other bids disqualified (R035), the lowest bid disqualified (R036), buyers that disqualify often
(R038), suppliers of everything (R048), bidders sharing a telephone number (R044), direct awards
above the method's limit (R055), split purchases and buyers with one dominant supplier.

Usage: ``python bench/redflags/generate.py --count 1000000 --seed 1 --output releases.jsonl[.gz]``.
The output depends only on ``--count`` and ``--seed`` (and not on ``--jobs``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import multiprocessing
import random
import sys
from collections.abc import Iterator
from typing import IO, Any

CHUNK = 10_000
CURRENCY = "THB"
BASE_DATE = dt.datetime(2024, 10, 1, tzinfo=dt.UTC)

DISTRICTS = [
    "เมืองฉะเชิงเทรา",
    "บางคล้า",
    "บางน้ำเปรี้ยว",
    "บางปะกง",
    "บ้านโพธิ์",
    "พนมสารคาม",
    "ราชสาส์น",
    "สนามชัยเขต",
    "แปลงยาว",
    "ท่าตะเกียบ",
    "คลองเขื่อน",
]
BUYER_KINDS = ["องค์การบริหารส่วนตำบล", "เทศบาลตำบล", "โรงเรียนบ้าน", "โรงพยาบาลส่งเสริมสุขภาพตำบล"]
SUPPLIER_KINDS = ["บริษัท", "ห้างหุ้นส่วนจำกัด", "ร้าน"]
SUPPLIER_WORDS = ["รุ่งเรือง", "เจริญกิจ", "ก่อสร้าง", "พาณิชย์", "วัสดุ", "การช่าง", "ค้าไม้", "ไอที"]
# (UNSPSC-like class, Thai description) pairs; the first two digits are the segment R048 counts.
ITEM_CLASSES = [
    ("72141100", "งานก่อสร้างถนน"),
    ("72121400", "งานก่อสร้างอาคาร"),
    ("44121600", "วัสดุสำนักงาน"),
    ("43211500", "คอมพิวเตอร์"),
    ("50192100", "อาหารเสริม (นม)"),
    ("42131600", "วัสดุการแพทย์"),
    ("25101500", "รถยนต์"),
    ("47131700", "วัสดุทำความสะอาด"),
    ("39111600", "โคมไฟฟ้า"),
    ("78181500", "ซ่อมบำรุงยานพาหนะ"),
    ("11111500", "ดินและหิน"),
    ("30111500", "คอนกรีต"),
]
# (OCDS procurementMethod, Thai procurementMethodDetails, weight).
METHODS = [
    ("open", "ประกวดราคาอิเล็กทรอนิกส์ (e-bidding)", 50),
    ("open", "ตลาดอิเล็กทรอนิกส์ (e-market)", 15),
    ("selective", "คัดเลือก", 10),
    ("limited", "เฉพาะเจาะจง", 25),
]


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+07:00")


def _org(prefix: str, number: int, kind: str, words: str) -> dict[str, str]:
    return {"id": f"{prefix}-{number:07d}", "name": f"{kind}{words} {number} (ตัวอย่าง)"}


class World:
    """The organisations a dataset of ``count`` releases draws from (deterministic per seed)."""

    def __init__(self, count: int, seed: int) -> None:
        # Synthetic demo data, not secrets: a seeded, reproducible generator is the point.
        rng = random.Random(seed)  # noqa: S311
        self.buyer_count = max(10, count // 1000)
        self.supplier_count = max(40, count // 20)
        self.buyers = [
            _org("TH-DEMO-BUYER", n, rng.choice(BUYER_KINDS), rng.choice(DISTRICTS))
            for n in range(self.buyer_count)
        ]
        self.suppliers = [
            _org("TH-DEMO-SUPPLIER", n, rng.choice(SUPPLIER_KINDS), rng.choice(SUPPLIER_WORDS))
            for n in range(self.supplier_count)
        ]
        # Each supplier sells two to four kinds of items.
        self.classes = [
            rng.sample(range(len(ITEM_CLASSES)), rng.randint(2, 4))
            for _ in range(self.supplier_count)
        ]
        # Buyers with a habit: disqualifying many bids (R038) and buying from one supplier
        # in many small purchases (split purchases, concentration).
        picks = rng.sample(range(self.buyer_count), max(2, self.buyer_count // 25))
        half = len(picks) // 2
        self.strict_buyers = set(picks[:half])
        self.captured_buyers = {b: rng.randrange(self.supplier_count) for b in picks[half:]}
        # Suppliers that bid everywhere and never win (R025), suppliers of everything (R048).
        specials = rng.sample(range(self.supplier_count), max(4, self.supplier_count // 100))
        self.losers = set(specials[: len(specials) // 2])
        self.generalists = specials[len(specials) // 2 :]
        # Pairs of bidders that share a telephone number and bid together (R044).
        ring = rng.sample(sorted(set(range(self.supplier_count)) - set(specials)), 20)
        self.partner = {}
        self.shared_phone = {}
        for a, b in zip(ring[::2], ring[1::2], strict=True):
            self.partner[a], self.partner[b] = b, a
            self.shared_phone[a] = self.shared_phone[b] = 1_000_000 + a


def _party(org: dict[str, str], roles: list[str], number: int, world: World) -> dict[str, Any]:
    phone = world.shared_phone.get(number, 2_000_000 + number)
    return {
        "id": org["id"],
        "name": org["name"],
        "roles": roles,
        "address": {
            "streetAddress": f"{number + 1} หมู่ {number % 12 + 1}",
            "locality": DISTRICTS[number % len(DISTRICTS)],
            "postalCode": "24000",
        },
        "contactPoint": {
            "name": f"คุณ{number}",
            "telephone": f"038-{phone:07d}",
            "email": f"contact{number}@example.invalid",
        },
    }


def release(index: int, world: World, rng: random.Random) -> dict[str, Any]:
    """One compiled release; ``rng`` must be seeded from the dataset seed and ``index``."""
    ocid = f"ocds-demo-24-{index:08d}"
    buyer_number = rng.randrange(world.buyer_count)
    buyer = world.buyers[buyer_number]
    method, details, _ = rng.choices(METHODS, weights=[m[2] for m in METHODS])[0]
    captured = world.captured_buyers.get(buyer_number)
    if captured is not None and rng.random() < 0.7:
        # A buyer that keeps buying the same thing from the same supplier, in small lots.
        winner, method, details = captured, "limited", "เฉพาะเจาะจง"
        class_index = world.classes[winner][0]
    elif captured is not None and rng.random() < 0.5:
        # ...and wins most of that buyer's larger purchases too (concentration).
        winner = captured
        class_index = rng.choice(world.classes[winner])
    else:
        if rng.random() < 0.01:
            winner = rng.choice(world.generalists)
            class_index = rng.randrange(len(ITEM_CLASSES))
        else:
            winner = rng.randrange(world.supplier_count)
            while winner in world.losers:
                winner = rng.randrange(world.supplier_count)
            class_index = rng.choice(world.classes[winner])
    cls, cls_name = ITEM_CLASSES[class_index]
    start = BASE_DATE + dt.timedelta(days=rng.randrange(365), hours=rng.randrange(8, 17))
    days = rng.choice([3, 5, 7, 10]) if rng.random() < 0.1 else rng.randrange(15, 40)
    end = start + dt.timedelta(days=days)
    if method == "limited":
        estimate = round(rng.uniform(20_000, 480_000), -2)
        if rng.random() < 0.05:
            estimate = round(rng.uniform(520_000, 2_000_000), -2)  # R055: above the limit.
    else:
        estimate = round(rng.uniform(500_000, 5_000_000), -2)

    bidders = [winner]
    wanted = 1 if method == "limited" else rng.choice([1, 2, 2, 3, 3, 4, 5])
    while len(bidders) < wanted:
        if rng.random() < 0.1:
            candidate = rng.choice(sorted(world.losers))
        else:
            candidate = rng.randrange(world.supplier_count)
        if candidate not in bidders:
            bidders.append(candidate)
    for bidder in list(bidders):
        partner = world.partner.get(bidder)
        if partner is not None and partner not in bidders and method != "limited":
            bidders.append(partner)

    # Bid amounts: the winner bids under the estimate; the others bid about 8 % above it.
    winner_amount = round(estimate * rng.uniform(0.7, 0.98), 2)
    amounts = [winner_amount]
    for _ in bidders[1:]:
        roll = rng.random()
        if roll < 0.02:
            amounts.append(round(winner_amount * 1.00005, 2))  # R024: suspiciously close.
        elif roll < 0.04:
            amounts.append(round(winner_amount * rng.uniform(3, 6), 2))  # R058: far below.
        elif roll < 0.06:
            amounts.append(winner_amount)  # R028: identical price.
        else:
            amounts.append(round(winner_amount * (1 + abs(rng.gauss(0.08, 0.02)) + 0.005), 2))
    statuses = ["valid"] * len(bidders)
    if len(bidders) > 1:
        roll = rng.random()
        strict = buyer_number in world.strict_buyers
        if roll < 0.04 or (strict and roll < 0.5):
            statuses[1:] = ["disqualified"] * (len(bidders) - 1)  # R035 (and R038).
        elif roll < 0.07:
            # R036: the lowest bid is disqualified and the award goes to the next one.
            amounts[1] = round(amounts[0] * 0.9, 2)
            statuses[1] = "disqualified"
    bid_dates = [start + dt.timedelta(days=rng.randrange(max(1, days))) for _ in bidders]
    if rng.random() < 0.03:
        bid_dates[0] = end + dt.timedelta(days=1)  # R030: the winner's bid came late.

    items = [
        {
            "id": "1",
            "classification": {"scheme": "UNSPSC", "id": cls, "description": cls_name},
            "quantity": rng.randrange(1, 50),
            "unit": {
                "name": "หน่วย",
                "value": {"amount": rng.randrange(100, 9999), "currency": "THB"},
            },
        }
    ]
    award_amount = amounts[0]
    suppliers = [{"id": world.suppliers[winner]["id"], "name": world.suppliers[winner]["name"]}]
    tenderers = [world.suppliers[b] for b in bidders]
    awarded = start + dt.timedelta(days=days + rng.randrange(1, 20))
    parties = [_party(buyer, ["buyer", "procuringEntity"], buyer_number, world)] + [
        _party(
            world.suppliers[b], ["tenderer", "supplier"] if b == winner else ["tenderer"], b, world
        )
        for b in bidders
    ]
    return {
        "ocid": ocid,
        "id": f"{ocid}-{_iso(awarded)}",
        "date": _iso(awarded),
        "tag": ["compiled"],
        "initiationType": "tender",
        "language": "th",
        "parties": parties,
        "buyer": buyer,
        "planning": {"budget": {"amount": {"amount": estimate, "currency": CURRENCY}}},
        "tender": {
            "id": f"{index:010d}",
            "title": f"จัดซื้อ{cls_name} (ตัวอย่าง)",
            "status": "cancelled" if rng.random() < 0.01 else "complete",
            "procuringEntity": buyer,
            "items": items,
            "value": {"amount": estimate, "currency": CURRENCY},
            "procurementMethod": method,
            "procurementMethodDetails": details,
            "mainProcurementCategory": "works" if cls.startswith("72") else "goods",
            "tenderPeriod": {"startDate": _iso(start), "endDate": _iso(end)},
            "numberOfTenderers": len(bidders),
            "tenderers": tenderers,
        },
        "bids": {
            "details": [
                {
                    "id": f"{index}-{n}",
                    "date": _iso(bid_dates[n]),
                    "status": statuses[n],
                    "tenderers": [tenderers[n]],
                    "value": {"amount": amounts[n], "currency": CURRENCY},
                }
                for n in range(len(bidders))
            ]
        },
        "awards": [
            {
                "id": f"{index}-award",
                "status": "active",
                "date": _iso(awarded),
                "value": {"amount": award_amount, "currency": CURRENCY},
                "suppliers": suppliers,
                "items": items,
            }
        ],
        "contracts": [
            {
                "id": f"{index}-contract",
                "awardID": f"{index}-award",
                "status": "active",
                "value": {"amount": award_amount, "currency": CURRENCY},
                "dateSigned": _iso(awarded + dt.timedelta(days=3)),
                "period": {
                    "startDate": _iso(awarded + dt.timedelta(days=7)),
                    "endDate": _iso(awarded + dt.timedelta(days=97)),
                },
            }
        ],
    }


def _chunk(args: tuple[int, int, int, int]) -> str:
    count, seed, start, stop = args
    world = World(count, seed)
    lines = []
    for index in range(start, stop):
        rng = random.Random(seed * 1_000_003 + index)  # noqa: S311 - reproducible demo data
        lines.append(
            json.dumps(release(index, world, rng), ensure_ascii=False, separators=(",", ":"))
        )
    return "\n".join(lines) + "\n"


def chunks(count: int, seed: int, jobs: int = 1) -> Iterator[str]:
    """Yield the file's text in order, in chunks of ``CHUNK`` lines."""
    tasks = [(count, seed, start, min(start + CHUNK, count)) for start in range(0, count, CHUNK)]
    if jobs <= 1:
        yield from map(_chunk, tasks)
        return
    with multiprocessing.Pool(jobs) as pool:
        yield from pool.imap(_chunk, tasks)


def write(path: str, count: int, seed: int, jobs: int = 1) -> None:
    handle: IO[str]
    if path == "-":
        handle = sys.stdout
    elif path.endswith(".gz"):
        handle = gzip.open(path, "wt", encoding="utf-8", compresslevel=1)
    else:
        handle = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    try:
        for text in chunks(count, seed, jobs):
            handle.write(text)
    finally:
        if handle is not sys.stdout:
            handle.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=max(1, multiprocessing.cpu_count()))
    parser.add_argument("--output", default="-")
    args = parser.parse_args(argv)
    write(args.output, args.count, args.seed, args.jobs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
