"""Only the tenderers near or past a fence come back from the SQL (R025, R038): the flags
must be those the whole set of tenderers gives."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from sujarit.redflags import engine, settings
from sujarit.redflags.indicators import cardinal


def releases(count: int, seed: int) -> list[dict[str, Any]]:
    """Processes with 2-5 bids from 80 tenderers, a few of whom bid often and seldom win,
    and who are disqualified at very different rates (generated, not real)."""
    rng = random.Random(seed)
    tenderers = [f"T{n:02d}" for n in range(80)]
    # Most tenderers are alike; the first five bid often and seldom win.
    strength = {t: 0.01 if n < 5 else 1.0 for n, t in enumerate(tenderers)}
    sloppiness = {t: rng.random() ** 6 for t in tenderers}
    lines = []
    for n in range(count):
        bidders = rng.sample(tenderers[5:], 3)
        bidders += rng.sample(tenderers[:5], 1) if rng.random() < 0.6 else []
        statuses = {t: "disqualified" if rng.random() < sloppiness[t] else "valid" for t in bidders}
        bids = [{"status": statuses[t], "tenderers": [{"id": t}]} for t in bidders]
        valid = [t for t in bidders if statuses[t] == "valid"]
        winner = max(valid or bidders, key=lambda t: strength[t] * rng.random())
        lines.append(
            {
                "ocid": f"ocds-demo-{n}",
                "buyer": {"id": f"B{n % 7}"},
                "bids": {"details": bids},
                "awards": [{"status": "active", "suppliers": [{"id": winner}]}],
            }
        )
    return lines


SETTINGS = [
    "[R025]\n[R038]\n",
    "[R025]\npercentile = 40\n[R038]\nminimum_submitted_bids = 5\n",
    "[R025]\nthreshold = 0.2\npercentile = 60\n[R038]\nthreshold = 0.3\n",
]


@pytest.mark.parametrize("ini", SETTINGS)
def test_the_fences_select_every_flagged_tenderer(ini, write_lines, monkeypatch):
    path = write_lines(releases(1500, seed=len(ini)))
    options = settings.parse(ini)
    returned: Counter[str] = Counter()
    take = engine.Collector.take

    def counting(self: engine.Collector, row: Any) -> None:
        returned[f"{row[0]} {row[1]}"] += 1
        take(self, row)

    monkeypatch.setattr(engine.Collector, "take", counting)
    selected = engine.run(path, options, explanations=True)
    near = dict(returned)

    # The same run with every tenderer returned, as before the selection existed.
    returned.clear()
    monkeypatch.setattr(cardinal, "_margin", lambda fence: "CAST('Infinity' AS DOUBLE)")
    everyone = engine.run(path, options, explanations=True)

    document = selected.to_cardinal(explanations=True)
    assert document == everyone.to_cardinal(explanations=True)
    flagged = Counter(code for codes in document["Tenderer"].values() for code in codes)
    assert flagged["R025"] > 0 and flagged["R038"] > 0, flagged
    # The selection is not vacuous: most tenderers stay in the database.
    assert near["R025 Tenderer"] < returned["R025 Tenderer"] / 2
    assert near["R038 Tenderer"] < returned["R038 Tenderer"] / 2
