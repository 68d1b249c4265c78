"""Indicators beyond Cardinal: each on a small fixture whose result is worked out by hand."""

from __future__ import annotations

from typing import Any


def bidder(ocid: str, tenderers: list[str], parties: list[Any], **extra: Any) -> dict[str, Any]:
    return {
        "ocid": ocid,
        "bids": {"details": [{"status": "valid", "tenderers": [{"id": t}]} for t in tenderers]},
        "parties": parties,
        **extra,
    }


def party(id_: str, **details: str) -> dict[str, Any]:
    return {
        "id": id_,
        "roles": ["tenderer"],
        "address": {"streetAddress": details.get("street", f"{id_} street"), "locality": "Muang"},
        "contactPoint": {
            "name": details.get("contact", f"Contact {id_}"),
            "telephone": details.get("telephone", f"038-000-{ord(id_[0]):03d}"),
            "email": details.get("email", f"{id_}@example.invalid"),
        },
    }


def test_r044_flags_bidders_that_share_a_telephone_number(run):
    releases = [
        # A and B share a telephone number written differently; C is unrelated.
        bidder(
            "shared",
            ["A", "B", "C"],
            [
                party("A", telephone="038-123-456"),
                party("B", telephone="038 123456"),
                party("C"),
            ],
        ),
        # The same details in two different processes do not make a pair.
        bidder("apart-1", ["D"], [party("D", email="same@example.invalid")]),
        bidder("apart-2", ["E"], [party("E", email="same@example.invalid")]),
        # Two roles of the same party are not two bidders.
        bidder("alone", ["F"], [party("F"), {**party("F"), "roles": ["supplier"]}]),
    ]

    result = run(releases, "[R044]", explanations=True)

    assert result.to_cardinal(meta=False) == {
        "OCID": {"shared": {"R044": 1.0}},
        "Tenderer": {"A": {"R044": 1.0}, "B": {"R044": 1.0}},
    }
    explanation = result.explanations["Tenderer"]["A"]["R044"]
    assert explanation.en == "Tenderer A has the same telephone number as tenderer B."
    assert explanation.th == "ผู้ยื่นข้อเสนอ A ใช้หมายเลขโทรศัพท์เดียวกับผู้ยื่นข้อเสนอ B"


def test_r044_compares_only_the_configured_details(run):
    releases = [
        bidder(
            "shared", ["A", "B"], [party("A", contact="Somchai"), party("B", contact="somchai ")]
        ),
    ]

    assert run(releases, "[R044]").to_cardinal(meta=False)["OCID"] == {"shared": {"R044": 1.0}}
    assert run(releases, "[R044]\nfields = telephone|email").to_cardinal(meta=False) == {}


def award(
    amount: float, supplier: str = "S", currency: str = "THB", **extra: Any
) -> dict[str, Any]:
    return {
        "status": "active",
        "value": {"amount": amount, "currency": currency},
        "suppliers": [{"id": supplier}],
        **extra,
    }


def direct(
    ocid: str, amount: float, method: str = "direct", details: str | None = None, **extra: Any
) -> dict[str, Any]:
    tender: dict[str, Any] = {"procurementMethod": method}
    if details:
        tender["procurementMethodDetails"] = details
    return {"ocid": ocid, "tender": tender, "awards": [award(amount)], **extra}


def test_r055_flags_non_competitive_awards_above_the_limit(run):
    releases = [
        direct("over", 500_000.01),
        direct("at", 500_000),  # not above
        direct("open", 900_000, method="open"),  # competitive
        direct("thai", 600_000, method="open", details="เฉพาะเจาะจง"),  # listed details win
        {
            "ocid": "two-awards",
            "tender": {"procurementMethod": "limited"},
            "awards": [
                award(300_000, "S"),
                award(300_000, "T"),
                {**award(999_999), "status": "cancelled"},
            ],
        },
    ]
    ini = "[R055]\n[R055.procurement_method_details]\nเฉพาะเจาะจง = 500000\n"

    result = run(releases, ini, explanations=True)

    assert result.to_cardinal(meta=False) == {
        "OCID": {
            "over": {"R055": 500_000.01},
            "thai": {"R055": 600_000.0},
            "two-awards": {"R055": 600_000.0},
        },
        "Tenderer": {"S": {"R055": 0.0}, "T": {"R055": 0.0}},
    }
    text = result.explanations["OCID"]["thai"]["R055"]
    assert text.en == (
        "Awarded 600,000 THB by a non-competitive method (เฉพาะเจาะจง), above its limit of "
        "500,000 THB."
    )


def test_r055_threshold_and_methods_are_configurable(run):
    releases = [direct("small", 150_000, method="limited"), direct("direct", 150_000)]

    result = run(releases, "[R055]\nthreshold = 100000\nprocurement_methods = limited")

    assert result.to_cardinal(meta=False)["OCID"] == {"small": {"R055": 150_000.0}}


def purchase(
    ocid: str, buyer: str, supplier: str, amount: float, date: str, cls: str = "44121600"
) -> dict[str, Any]:
    return {
        "ocid": ocid,
        "buyer": {"id": buyer},
        "awards": [
            {**award(amount, supplier), "date": date, "items": [{"classification": {"id": cls}}]}
        ],
    }


def test_x001_flags_purchases_split_under_the_threshold(run):
    releases = [
        # Three purchases of office supplies within 30 days, each under 500,000, 600,000 in all.
        purchase("p1", "B", "S", 200_000, "2024-01-01T00:00:00Z"),
        purchase("p2", "B", "S", 200_000, "2024-01-15T00:00:00Z"),
        purchase("p3", "B", "S", 200_000, "2024-01-30T00:00:00Z"),
        # Too late for that window, and another item class.
        purchase("p4", "B", "S", 400_000, "2024-03-30T00:00:00Z"),
        purchase("p5", "B", "S", 400_000, "2024-04-01T00:00:00Z", cls="72141100"),
        # Another buyer: each purchase alone.
        purchase("q1", "C", "S", 300_000, "2024-01-01T00:00:00Z"),
        purchase("q2", "D", "S", 300_000, "2024-01-02T00:00:00Z"),
    ]

    result = run(releases, "[X001]", explanations=True)

    assert result.to_cardinal(meta=False) == {
        "Buyer": {"B": {"X001": 600_000.0}},
        "Tenderer": {"S": {"X001": 600_000.0}},
    }
    explanation = result.explanations["Buyer"]["B"]["X001"]
    assert explanation.values["awards"] == 3
    assert explanation.values["first_ocid"] == "p1"
    assert "3 awards from buyer B to supplier S for item class 4412" in explanation.en


def test_x001_window_and_threshold_are_configurable(run):
    releases = [
        purchase("p1", "B", "S", 60_000, "2024-01-01T00:00:00Z"),
        purchase("p2", "B", "S", 60_000, "2024-01-05T00:00:00Z"),
    ]

    assert run(releases, "[X001]\nthreshold = 100000").to_cardinal(meta=False) != {}
    assert (
        run(releases, "[X001]\nthreshold = 100000\nwindow_days = 3").to_cardinal(meta=False) == {}
    )


def test_amounts_are_added_from_the_smallest_whatever_the_order_of_the_file(run):
    # A floating-point sum depends on the order of its additions: 2**53 + 1 is 2**53, so
    # nine 1s added after 2**53 are all lost, while added first they make 2**53 + 8. Sums
    # start from the smallest amount, so a result is the same on every run and engine.
    big, day = float(2**53), "2024-01-01T00:00:00Z"
    split = [purchase("s0", "B", "S", big, day)]
    split += [purchase(f"s{n}", "B", "S", 1.0, day) for n in range(1, 10)]

    result = run(split, f"[X001]\nthreshold = {2**53 + 2}")

    assert result.to_cardinal(meta=False) == {
        "Buyer": {"B": {"X001": big + 8}},
        "Tenderer": {"S": {"X001": big + 8}},
    }

    spread = [purchase("t0", "C", "S", big, day)]
    spread += [purchase(f"t{n}", "C", f"T{n}", 1.0, day) for n in range(1, 10)]

    assert run(spread, "[X002]").to_cardinal(meta=False) == {
        "Buyer": {"C": {"X002": big / (big + 8)}}
    }


def test_x002_flags_a_buyer_whose_top_supplier_takes_most_of_the_value(run):
    releases = [
        purchase(f"b{n}", "B", "S" if n < 8 else f"T{n}", 100, "2024-01-01T00:00:00Z")
        for n in range(10)
    ]
    releases += [
        purchase(f"c{n}", "C", f"U{n % 5}", 100, "2024-01-01T00:00:00Z") for n in range(10)
    ]
    releases += [purchase("d0", "D", "S", 100, "2024-01-01T00:00:00Z")]  # too few processes

    result = run(releases, "[X002]", explanations=True)

    # B: S has 800 of 1,000 (80 %); HHI = 0.8² + 2 × 0.1² = 0.66. C: five suppliers with 20 %.
    assert result.to_cardinal(meta=False) == {"Buyer": {"B": {"X002": 0.8}}}
    values = result.explanations["Buyer"]["B"]["X002"].values
    assert values["top_supplier"] == "S"
    assert abs(values["hhi"] - 0.66) < 1e-12
