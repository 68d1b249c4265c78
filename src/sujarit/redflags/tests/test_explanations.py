"""Every flag explains itself, in English and Thai, with the values that caused it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sujarit.redflags import engine, explain, settings

DOCS = Path(__file__).parent / "fixtures" / "cardinal" / "docs"
ALL = settings.parse("\n".join(f"[{code}]" for code in settings.CARDINAL_CODES))


def explained(name: str, ini: str | None = None) -> engine.Result:
    options = settings.parse(ini) if ini else ALL
    return engine.run(DOCS / f"{name}.jsonl", options, explanations=True)


def test_every_flag_of_the_documented_examples_has_an_explanation():
    for name in ("003", "018", "024", "025", "028", "030", "035", "036", "038", "048", "058"):
        ini = (
            (DOCS / f"{name}.ini").read_text(encoding="utf-8")
            if (DOCS / f"{name}.ini").exists()
            else None
        )
        result = explained(name, ini)
        for group, entries in result.results.items():
            for key, codes in entries.items():
                for code in codes:
                    item = result.explanations[group][key][code]
                    assert item.en and item.th, (name, group, key, code)
                    assert item.en != item.th


def test_r024_gives_the_ratio_the_fence_and_both_bids():
    result = explained("024", "[R024]")

    item = result.explanations["OCID"]["F"]["R024"]
    assert item.values["winner"] == "W"
    assert item.values["second_bidder"] == "L"
    assert item.values["difference"] == 1.0
    assert item.en.startswith("The winner W bid")
    assert "at or below the lower fence" in item.en
    assert "ไม่เกินเกณฑ์ต่ำ" in item.th


def test_r028_names_the_two_identical_bids():
    result = explained("028")

    item = result.explanations["Tenderer"]["D"]["R028"]
    assert item.values["other_tenderers"] == "V"
    assert "the same price as the bid of V" in item.en
    assert "เท่ากับข้อเสนอของ V" in item.th


def test_r028_lists_the_tenderers_of_one_price_in_identifier_order(run):
    # Six tenderers bid the same price: the process's explanation starts with the first
    # identifier and lists the others in order, on every run (not in a set's order, which
    # changes from one run to the next).
    bids = [
        {"status": "valid", "tenderers": [{"id": t}], "value": {"amount": 100, "currency": "THB"}}
        for t in ("F", "B", "D", "A", "E", "C")
    ]

    result = run([{"ocid": "P", "bids": {"details": bids}}], "[R028]", explanations=True)

    item = result.explanations["OCID"]["P"]["R028"]
    assert item.values["tenderer"] == "A"
    assert [more["tenderer"] for more in item.values["more"]] == ["B", "C", "D", "E", "F"]


def test_r030_gives_the_dates():
    result = explained("030", "[R030]")

    item = result.explanations["OCID"]["F"]["R030"]
    assert item.values["bid_date"] > item.values["end_date"]
    assert item.values["end_date"] in item.en
    assert item.values["bid_date"] in item.th


def test_r038_gives_the_counts_and_fence():
    item = explained("038").explanations["Buyer"]["B"]["R038"]

    assert item.values["disqualified"] == 1
    assert item.values["submitted"] == 2
    assert item.en == (
        "1 of 2 submitted bids were disqualified (50.00%), at or above the upper fence of 50.00%."
    )
    assert item.th == "ข้อเสนอถูกตัดสิทธิ์ 1 จาก 2 รายการ (50.00%) ไม่ต่ำกว่าเกณฑ์สูง 50.00%"


def test_an_organisation_flagged_in_several_processes_lists_them(run):
    releases = [
        {
            "ocid": f"P{n}",
            "bids": {
                "details": [
                    {"status": "valid", "tenderers": [{"id": "W"}]},
                    {"status": "disqualified", "tenderers": [{"id": f"L{n}"}]},
                ]
            },
            "awards": [{"status": "active", "suppliers": [{"id": "W"}]}],
        }
        for n in range(3)
    ]

    result = run(releases, "[R035]", explanations=True)

    item = result.explanations["Tenderer"]["W"]["R035"]
    assert item.values["ocids"] == ["P0", "P1", "P2"]
    assert item.values["processes"] == 3
    assert item.en.endswith("[3 processes]")
    assert item.th.endswith("[3 โครงการ]")


def test_explanations_are_serialised_with_titles():
    document = explained("036").to_cardinal(meta=False, explanations=True)

    entry = document["Explanations"]["OCID"]["F"]["R036"]
    assert entry["title"] == {"en": "Lowest bid disqualified", "th": "ข้อเสนอราคาต่ำสุดถูกตัดสิทธิ์"}
    assert entry["values"] == {"lowest_bid": 1.0, "lowest_valid_bid": 2.0, "currency": "USD"}


@pytest.mark.parametrize("code", sorted(settings.OPTIONS))
def test_every_indicator_has_english_and_thai_titles(code):
    english, thai = explain.TITLES[code]

    assert english and thai and english != thai


def test_explanations_do_not_depend_on_the_order_of_the_releases(run):
    # Each process awards above the limit by a non-competitive method to the same supplier, with
    # other amounts: the organisation's example award and its list of processes must be the
    # same whatever order the releases come in (and on either engine).
    releases = [
        {
            "ocid": f"P{n:02d}",
            "tender": {"procurementMethod": "direct"},
            "awards": [
                {
                    "status": "active",
                    "suppliers": [{"id": "S"}],
                    "value": {"amount": 1_000_000 + n * 1000, "currency": "THB"},
                }
            ],
        }
        for n in range(25)
    ]
    ini = "[R055]\nthreshold = 500000\nprocurement_methods = direct"

    forward = run(releases, ini, explanations=True).explanations["Tenderer"]["S"]["R055"]
    backward = run(releases[::-1], ini, explanations=True).explanations["Tenderer"]["S"]["R055"]

    assert forward.as_dict() == backward.as_dict()
    assert forward.values["processes"] == 25
    assert forward.values["ocids"] == [f"P{n:02d}" for n in range(explain.MAX_OCIDS)]
    assert forward.values["amount"] == 1_000_000


def test_a_process_is_counted_once_past_the_listed_ones(run):
    # More processes than an explanation lists, in each of which two tenderers share both an
    # address and a telephone number (two rows per process for each of them): every process
    # counts once.
    count = explain.MAX_OCIDS + 5
    party = {
        "roles": ["tenderer"],
        "address": {"streetAddress": "99 Moo 1", "locality": "Bang Pakong"},
        "contactPoint": {"telephone": "038-000-000"},
    }
    releases = [
        {
            "ocid": f"P{n:02d}",
            "parties": [{"id": "A", **party}, {"id": "B", **party}],
            "bids": {
                "details": [
                    {"status": "valid", "tenderers": [{"id": "A"}]},
                    {"status": "valid", "tenderers": [{"id": "B"}]},
                ]
            },
        }
        for n in range(count)
    ]

    item = run(releases, "[R044]", explanations=True).explanations["Tenderer"]["A"]["R044"]

    assert item.values["processes"] == count
    assert len(item.values["ocids"]) == explain.MAX_OCIDS
