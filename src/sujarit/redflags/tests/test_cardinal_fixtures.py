"""Every fixture of Open Contracting's Cardinal gives exactly Cardinal's expected output.

The fixtures and their expected outputs are Cardinal's own (see fixtures/cardinal/README.md);
the comparison is Cardinal's: JSON objects compared as unordered maps.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sujarit.redflags import engine, settings

FIXTURES = Path(__file__).parent / "fixtures" / "cardinal"
INDICATOR_CASES = sorted(p.stem for p in (FIXTURES / "indicators").glob("*.jsonl"))
DOC_CASES = json.loads((FIXTURES / "docs" / "manifest.json").read_text(encoding="utf-8"))
PROCUREMENT_METHOD_DETAILS = json.loads(
    (FIXTURES / "matches_procurement_method_details.json").read_text(encoding="utf-8")
)


def _expected(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def test_all_fifteen_indicator_cases_and_eleven_examples_are_present():
    assert len(INDICATOR_CASES) == 15
    assert len(DOC_CASES) == 11


@pytest.mark.parametrize("name", INDICATOR_CASES)
def test_indicator_fixture_matches_cardinal(name):
    options = settings.load(FIXTURES / "indicator-settings" / f"{name}.ini")

    result = engine.run(FIXTURES / "indicators" / f"{name}.jsonl", options)

    expected = _expected(FIXTURES / "indicators" / f"{name}.expected")
    assert result.to_cardinal(meta=False) == expected


@pytest.mark.parametrize("case", DOC_CASES, ids=[case["indicator"] for case in DOC_CASES])
def test_documented_example_matches_cardinal(case):
    # Paths in the manifest follow Cardinal's layout; the files sit flat in fixtures/docs.
    docs = FIXTURES / "docs"
    options = settings.load(docs / Path(case["settings"]).name)

    result = engine.run(docs / Path(case["input"]).name, options)

    assert case["flags"] == ["--no-meta"]
    assert result.to_cardinal(meta=False) == _expected(docs / Path(case["expected"]).name)


@pytest.mark.parametrize(
    "case",
    PROCUREMENT_METHOD_DETAILS["cases"],
    ids=[
        f"{c['procurementMethodDetails']}-allow-{c['settings']['price_comparison_procurement_methods']}"
        f"-deny-{c['settings']['no_price_comparison_procurement_methods']}"
        for c in PROCUREMENT_METHOD_DETAILS["cases"]
    ],
)
def test_price_comparison_lists_match_cardinal(case, tmp_path):
    release = json.loads(json.dumps(PROCUREMENT_METHOD_DETAILS["release"]))
    release["tender"]["procurementMethodDetails"] = case["procurementMethodDetails"]
    data = tmp_path / "release.jsonl"
    data.write_text(json.dumps(release) + "\n", encoding="utf-8")
    lines = ["[R036]"]
    for key in ("price_comparison_procurement_methods", "no_price_comparison_procurement_methods"):
        if case["settings"][key] is not None:
            lines.insert(0, f"{key} = {case['settings'][key]}")

    result = engine.run(data, settings.parse("\n".join(lines)))

    assert result.to_cardinal(meta=False) == case["expected"]


def test_meta_has_cardinal_quartiles_and_fences_rounded_to_four_places():
    docs = FIXTURES / "docs"

    result = engine.run(docs / "025.jsonl", settings.load(docs / "025.ini"))

    meta = result.to_cardinal()["Meta"]["R025"]
    # F bid in 6 processes and won 1; tenderers 1-5 won their only process. Ratios
    # [1/6, 1, 1, 1, 1, 1]: R-8 puts Q1 at h = (6 + 1/3) * 0.25 + 1/3 = 1.9167, that is
    # 1/6 + 0.9167 * (1 - 1/6) = 0.9306, and Q3 at h = 5.0833, that is 1. The lower fence is
    # 0.9306 - 1.5 * 0.0694 = 0.8264; the 75th percentile of [1, 1, 1, 1, 1, 6] is
    # 1 + 0.0833 * 5 = 1.4167.
    assert list(meta) == ["q1", "q3", "upper_fence", "lower_fence"]
    assert meta == {"q1": 0.9306, "q3": 1.0, "upper_fence": 1.4167, "lower_fence": 0.8264}


def test_meta_is_null_when_an_indicator_has_no_data(tmp_path):
    data = tmp_path / "empty.jsonl"
    data.write_text('{"ocid": "A"}\n', encoding="utf-8")

    result = engine.run(data, settings.parse("[R024]\n[R048]\n[R058]"))

    assert result.to_cardinal() == {
        "Meta": {
            "R024": {"q1": None, "q3": None, "lower_fence": None},
            "R048": {"q1": None, "q3": None, "upper_fence": None},
            "R058": {"q1": None, "q3": None, "upper_fence": None},
        }
    }
