"""``[matching]``: lots, consortia and ``awards.relatedBids`` for R024, R025 and R058.

Each of Sujarit's fixtures (fixtures/sujarit/README.md) has two expected outputs: with its
``[matching]`` option (``NAME.expected``) and in Cardinal's way (``NAME.cardinal.expected``).
They differ in both directions, so each test fails if the option does nothing, and if it
changes Cardinal's results when off.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from sujarit.redflags import engine, indicators, settings
from sujarit.redflags.tests.test_cardinal_fixtures import DOC_CASES, FIXTURES, INDICATOR_CASES

OURS = Path(__file__).parent / "fixtures" / "sujarit"
CASES = sorted(p.stem for p in OURS.glob("*.jsonl"))


def _expected(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def cardinal_way(options: settings.Settings) -> settings.Settings:
    return dataclasses.replace(options, matching=settings.Matching())


def test_there_is_a_fixture_for_lots_consortia_and_related_bids():
    assert CASES == ["consortia", "lots", "r025-lots", "related-bids"]


@pytest.mark.parametrize("name", CASES)
def test_fixture_with_its_matching_option_gives_the_expected_flags(name):
    options = settings.load(OURS / f"{name}.ini")
    assert not options.matching.cardinal

    result = engine.run(OURS / f"{name}.jsonl", options)

    assert result.to_cardinal(meta=False) == _expected(OURS / f"{name}.expected")


@pytest.mark.parametrize("name", CASES)
def test_fixture_without_the_option_gives_cardinals_flags(name):
    options = cardinal_way(settings.load(OURS / f"{name}.ini"))

    result = engine.run(OURS / f"{name}.jsonl", options)

    cardinal = _expected(OURS / f"{name}.cardinal.expected")
    assert result.to_cardinal(meta=False) == cardinal
    # Flags are gained and lost: the option changes what is flagged both ways.
    assert cardinal != _expected(OURS / f"{name}.expected")


def test_matching_rules_with_every_option_off_give_cardinals_fixtures(monkeypatch):
    # The general matching SQL, forced on with every option off, is exactly Cardinal's (the
    # engine normally takes a shorter path for Cardinal's rules).
    expected_meta = {}
    for name in INDICATOR_CASES:
        options = settings.load(FIXTURES / "indicator-settings" / f"{name}.ini")
        expected_meta[name] = engine.run(FIXTURES / "indicators" / f"{name}.jsonl", options).meta
    monkeypatch.setattr(settings.Matching, "cardinal", property(lambda self: False))
    for name in INDICATOR_CASES:
        options = settings.load(FIXTURES / "indicator-settings" / f"{name}.ini")

        result = engine.run(FIXTURES / "indicators" / f"{name}.jsonl", options)

        expected = _expected(FIXTURES / "indicators" / f"{name}.expected")
        assert result.to_cardinal(meta=False) == expected, name
        assert json.dumps(result.meta, sort_keys=True) == json.dumps(
            expected_meta[name], sort_keys=True
        ), name
    docs = FIXTURES / "docs"
    for case in DOC_CASES:
        result = engine.run(
            docs / Path(case["input"]).name, settings.load(docs / Path(case["settings"]).name)
        )
        assert result.to_cardinal(meta=False) == _expected(docs / Path(case["expected"]).name)


def test_consortium_members_are_named_in_the_explanation():
    options = settings.load(OURS / "consortia.ini")

    result = engine.run(OURS / "consortia.jsonl", options, explanations=True, maps=True)

    explanation = result.explanations["OCID"]["ocds-sujarit-consortia-1"]["R024"]
    assert explanation.values["winner"] == "A, B"
    assert explanation.values["second_bidder"] == "C"
    assert result.maps["ocid_tenderer_r024"]["ocds-sujarit-consortia-1"] == {"A", "B", "C"}


def test_related_fields_are_read_only_when_an_option_needs_them():
    codes = ("R024", "R003")
    assert not indicators.fields_needed(codes) & {"bids.relatedLots", "awards.relatedBids"}
    assert not indicators.fields_needed(codes, settings.Matching()) & {"bids.id"}
    lots = indicators.fields_needed(codes, settings.Matching(lots=True))
    assert {"bids.relatedLots", "awards.relatedLots"} <= lots
    linked = indicators.fields_needed(codes, settings.Matching(related_bids=True))
    assert {"bids.id", "awards.relatedBids"} <= linked
    assert not indicators.fields_needed(("R003",), settings.Matching(lots=True)) & lots - {
        "tender.procurementMethod",
        "tender.tenderPeriod",
    }


def _lot_release(ocid: str, **lots: tuple[str, list[tuple[str, float]]]) -> dict[str, object]:
    """A release with, per lot, the winner and the bids (tenderer, amount)."""
    bids = []
    awards = []
    for lot, (winner, offers) in lots.items():
        awards.append(
            {"id": lot, "status": "active", "suppliers": [{"id": winner}], "relatedLots": [lot]}
        )
        for tenderer, amount in offers:
            bids.append(
                {
                    "id": f"{lot}-{tenderer}",
                    "status": "valid",
                    "tenderers": [{"id": tenderer}],
                    "value": {"amount": amount, "currency": "THB"},
                    "relatedLots": [lot],
                }
            )
    return {"ocid": ocid, "bids": {"details": bids}, "awards": awards}


def test_each_lot_counts_once_in_the_computed_fences(run):
    # Ten lots in two processes give ten ratios (0.5 to 0.59, and 0.001); the one far below
    # the others is flagged against Q1 - 1.5 IQR computed over the lots.
    first = _lot_release(
        "ocds-1",
        **{f"L{i}": ("W", [("W", 100.0), ("S", 150.0 + i)]) for i in range(5)},
    )
    second = _lot_release(
        "ocds-2",
        L0=("W", [("W", 100.0), ("T", 100.1)]),
        **{f"L{i}": ("W", [("W", 100.0), ("S", 155.0 + i)]) for i in range(1, 5)},
    )

    result = run([first, second], "[matching]\nlots = true\n[R024]\n")

    assert result.to_cardinal(meta=False) == {
        "OCID": {"ocds-2": {"R024": pytest.approx(0.001)}},
        "Tenderer": {"T": {"R024": 0.0}, "W": {"R024": 0.0}},
    }
    assert run([first, second], "[R024]\n").to_cardinal(meta=False) == {}


def test_a_pending_award_still_excludes_the_whole_process_with_lots(run):
    release = _lot_release(
        "ocds-1", L1=("W", [("W", 100.0), ("S", 100.1)]), L2=("V", [("V", 100.0)])
    )
    release["awards"][1]["status"] = "pending"  # type: ignore[index]

    result = run([release], "[matching]\nlots = true\n[R024]\nthreshold = 0.05\n")

    assert result.to_cardinal(meta=False) == {}


def test_unknown_matching_key_is_an_error_naming_it():
    with pytest.raises(settings.SettingsError) as error:
        settings.parse("[matching]\nlot = true\n", "my.ini")

    message = str(error.value)
    assert "my.ini, line 2: [matching] lot: unknown key (did you mean 'lots'?)" in message
    assert "known keys: consortia, lots, related_bids" in message


def test_bad_matching_value_is_an_error_naming_the_key():
    with pytest.raises(
        settings.SettingsError,
        match=r"line 2: \[matching\] related_bids: 'sometimes' is not a boolean",
    ):
        settings.parse("[matching]\nrelated_bids = sometimes\n")


def test_matching_options_are_off_by_default_and_in_the_init_file():
    assert settings.parse("[R024]").matching == settings.Matching()
    assert settings.parse(settings.DEFAULT_INI).matching.cardinal
    assert "; lots = true" in settings.DEFAULT_INI
    parsed = settings.parse("[matching]\nlots = yes\nconsortia = false\nrelated_bids = 1")
    assert parsed.matching == settings.Matching(lots=True, consortia=False, related_bids=True)
