"""The coverage command gives Cardinal's expected counts on all of Cardinal's coverage fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sujarit.redflags import coverage

FIXTURES = Path(__file__).parent / "fixtures" / "cardinal" / "coverage"
CASES = sorted(p.stem for p in FIXTURES.glob("*.jsonl"))


def test_all_thirty_five_cases_are_present():
    assert len(CASES) == 35


@pytest.mark.parametrize("name", CASES)
def test_coverage_fixture_matches_cardinal(name):
    expected = json.loads((FIXTURES / f"{name}.expected").read_text(encoding="utf-8"))

    assert coverage.coverage(FIXTURES / f"{name}.jsonl") == expected
