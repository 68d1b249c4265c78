"""The coverage command gives Cardinal's expected counts on all of Cardinal's coverage fixtures."""

from __future__ import annotations

import gzip
import io
import json
import logging
import random
import sys
from pathlib import Path
from typing import Any

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


def reference_counts(documents: list[Any]) -> dict[str, int]:
    """Coverage by its definition, one path's text at a time (slow, plain)."""
    counts: dict[str, int] = {}

    def count(path: str) -> None:
        counts[path] = counts.get(path, 0) + 1

    def walk(value: Any, path: str) -> bool:
        found = False
        if isinstance(value, list):
            for item in value:
                found |= walk(item, path + "[]")
        elif isinstance(value, dict):
            for key, item in value.items():
                found |= walk(item, f"{path}/{key}")
            if found:
                count(path + "/")
        else:
            found = value is not None and value != ""
        if found:
            count(path)
        return found

    for document in documents:
        walk(document, "")
    return counts


def random_value(rng: random.Random, depth: int) -> Any:
    kinds = ["null", "empty", "text", "number", "bool"] + ["object", "array"] * (depth < 4)
    kind = rng.choice(kinds)
    if kind == "object":
        # Few and ambiguous keys ("", "a[]", "a"), so that paths collide and repeat.
        keys = rng.sample(["", "a", "a[]", "b", "/", "ก"], rng.randint(0, 3))
        return {key: random_value(rng, depth + 1) for key in keys}
    if kind == "array":
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {"null": None, "empty": "", "text": "x", "number": rng.choice([0, 1.5]), "bool": False}[
        kind
    ]


@pytest.mark.parametrize("seed", range(20))
def test_counts_and_their_order_follow_the_definition(seed):
    rng = random.Random(seed)
    documents = [random_value(rng, 0) for _ in range(50)]
    result = coverage.Coverage()

    for document in documents:
        result.add(document)

    # The same counts, and the paths in the order they were first counted.
    assert list(result.counts.items()) == list(reference_counts(documents).items())


def test_lines_that_are_not_json_are_reported_with_their_number_and_skipped(tmp_path, caplog):
    path = tmp_path / "releases.jsonl"
    path.write_bytes(
        b'{"ocid": "a"}\n'
        b"NaN\n"
        b'{"amount": 1e999}\n'
        b'{"ocid": "\\ud800"}\n'
        b'{"ocid": "\xff"}\n'
        b"\n"
        b'{"ocid": "b"}\r\n'
        b'{"ocid": "c",}\n'
    )

    with caplog.at_level(logging.WARNING, logger="sujarit.redflags"):
        counts = coverage.coverage(path)

    # As in Cardinal: NaN and a lone surrogate are not JSON (Python's own decoder takes both),
    # a number beyond a double is a number (orjson refuses it).
    assert counts == {"/ocid": 2, "/": 3, "": 3, "/amount": 1}
    warned = [record.getMessage() for record in caplog.records]
    assert [message.split(" ", 2)[1] for message in warned] == ["2", "4", "5", "8"]
    assert warned[2] == "Line 5 is not valid UTF-8, skipping."
    assert all("is invalid JSON, skipping." in warned[n] for n in (0, 1, 3))


def test_gzip_and_standard_input_give_the_same_counts(tmp_path, monkeypatch):
    plain = FIXTURES / "base_object.jsonl"
    compressed = tmp_path / "base_object.jsonl.gz"
    compressed.write_bytes(gzip.compress(plain.read_bytes()))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(plain.read_bytes())))

    expected = coverage.coverage(plain)

    assert coverage.coverage(compressed) == expected
    assert coverage.coverage("-") == expected


def random_line(rng: random.Random) -> bytes:
    """A line of a publisher's file: mostly objects, sometimes something else or broken."""
    kind = rng.choices(["object", "value", "broken", "blank"], [12, 2, 3, 1])[0]
    if kind == "blank":
        return rng.choice([b"", b"  ", b"\t"])
    if kind == "broken":
        return rng.choice(
            [b"NaN", b'{"a": Infinity}', b'{"a": "\\ud800"}', b'{"a": "\xff"}', b'{"a": 1,}', b"{"]
        )
    if kind == "value":
        value = random_value(rng, 0)
    else:
        value = {"ocid": "x", "tender": random_value(rng, 1)}
    line = json.dumps(value, ensure_ascii=rng.random() < 0.5).encode()
    if rng.random() < 0.1:
        line = line.replace(b"1.5", b"1e999")  # read as a number by Cardinal, not by orjson
    return line + rng.choice([b"", b"\r"])


@pytest.mark.parametrize("seed", range(5))
def test_coverage_is_cardinals_on_random_files(tmp_path, seed):
    ocdscardinal = pytest.importorskip("ocdscardinal")
    rng = random.Random(seed)
    path = tmp_path / "releases.jsonl"
    path.write_bytes(b"\n".join(random_line(rng) for _ in range(300)) + b"\n")

    ours = coverage.coverage(path)

    # The same counts (Cardinal's order of the paths depends on which of its threads counted
    # first; ours is the order of the file).
    assert ours == ocdscardinal.coverage(str(path))


def parts_file(path: Path, seed: int) -> Path:
    rng = random.Random(seed)
    lines = [random_line(rng) for _ in range(400)]
    # A long line, so that a cut can fall inside it and a part can be empty.
    lines.insert(rng.randrange(400), json.dumps({"ocid": "x", "long": "ก" * 20000}).encode())
    path.write_bytes(b"\n".join(lines))  # No line break after the last line.
    return path


@pytest.mark.parametrize("workers", [2, 3, 7])
def test_a_file_read_in_parts_gives_the_counts_and_warnings_of_one_pass(
    tmp_path, monkeypatch, caplog, workers
):
    path = parts_file(tmp_path / "releases.jsonl", workers)
    with caplog.at_level(logging.WARNING, logger="sujarit.redflags"):
        one_pass = coverage.coverage(path, workers=1)
    warned = [record.getMessage() for record in caplog.records]
    caplog.clear()
    monkeypatch.setattr(coverage, "PARALLEL_FROM", 0)

    with caplog.at_level(logging.WARNING, logger="sujarit.redflags"):
        in_parts = coverage.coverage(path, workers=workers)

    assert list(in_parts.items()) == list(one_pass.items())
    assert [record.getMessage() for record in caplog.records] == warned
    assert len(warned) > 10


def test_parts_start_at_line_starts(tmp_path):
    path = parts_file(tmp_path / "releases.jsonl", 1)
    content = path.read_bytes()

    for parts in (1, 2, 3, 8, 50):
        starts = coverage._line_starts(path, len(content), parts)

        assert starts[0] == 0 and starts[-1] == len(content)
        assert starts == sorted(set(starts))
        assert all(content[start - 1 : start] == b"\n" for start in starts[1:-1])
    # A cut in the long line moves to its end: the parts after it can merge.
    assert len(coverage._line_starts(path, len(content), 50)) < 51
    uniform = tmp_path / "uniform.jsonl"
    uniform.write_bytes(b'{"ocid": "a"}\n' * 1000)
    assert len(coverage._line_starts(uniform, uniform.stat().st_size, 8)) == 9


def test_gzip_and_small_files_are_read_in_one_pass(tmp_path, monkeypatch):
    def in_parts(*args: object) -> dict[str, int]:
        raise AssertionError("read in parts")

    monkeypatch.setattr(coverage, "_in_parts", in_parts)
    compressed = tmp_path / "releases.jsonl.gz"
    compressed.write_bytes(gzip.compress(b'{"ocid": "a"}\n' * 1000))
    monkeypatch.setattr(coverage, "PARALLEL_FROM", 0)

    assert coverage.coverage(compressed, workers=2)["/ocid"] == 1000
    monkeypatch.setattr(coverage, "PARALLEL_FROM", 10**9)
    assert coverage.coverage(FIXTURES / "base_object.jsonl", workers=2)
