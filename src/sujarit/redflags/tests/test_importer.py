"""Importing published OCDS data: every broken file reported, every good one kept.

``fixtures/real-examples`` is a representative subset (15 of 780 files, 250 KB of 21 MB) of
the real samples in the project's shared data (see its README): OCDS 1.0 and 1.1, release
packages, record packages, single records and releases, from six publishers, and the three
broken (empty) files of the set.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from sujarit.redflags import cli, engine, importer, settings

REAL = Path(__file__).parent / "fixtures" / "real-examples"
BROKEN = {
    "paraguay/sample/records/283826.json",
    "paraguay/sample/records/283906.json",
    "paraguay/sample/records/284456.json",
}


def ocids_in(data: object) -> set[str]:
    """Every ocid mentioned anywhere in a document."""
    found: set[str] = set()
    if isinstance(data, dict):
        if isinstance(data.get("ocid"), str):
            found.add(data["ocid"])
        for value in data.values():
            found |= ocids_in(value)
    elif isinstance(data, list):
        for value in data:
            found |= ocids_in(value)
    return found


def import_to_lines(paths: list[Path]) -> tuple[importer.ImportReport, list[dict[str, Any]]]:
    out = io.StringIO()
    report = importer.import_paths(paths, out)
    return report, [json.loads(line) for line in out.getvalue().splitlines()]


def test_real_samples_import_with_every_broken_file_reported_and_every_good_one_kept():
    report, releases = import_to_lines([REAL])

    files = sorted(p for p in REAL.rglob("*.json"))
    assert report.files == len(files) == 15
    reported = {Path(p.file).relative_to(REAL).as_posix() for p in report.problems}
    assert reported == BROKEN
    assert all(p.reason == "the file is empty" for p in report.problems)
    assert report.files_used == 12
    # Every ocid of every good file has its compiled release, and nothing else is invented.
    expected = set()
    for path in files:
        if path.relative_to(REAL).as_posix() not in BROKEN:
            expected |= ocids_in(json.loads(path.read_text(encoding="utf-8")))
    assert {release["ocid"] for release in releases} == expected
    assert len(releases) == report.releases == 10
    assert all(release["tag"] == ["compiled"] for release in releases)


def test_ocds_1_0_is_upgraded_to_1_1():
    report, releases = import_to_lines([REAL / "australia"])

    assert report.problems == []
    assert len(releases) == 2
    for release in releases:
        # 1.1 moved organisations into parties and references them from buyer and awards.
        assert release["parties"]
        assert release["buyer"]["id"] in {party["id"] for party in release["parties"]}


def test_individual_releases_are_merged_with_the_shipped_schema(tmp_path):
    first = {
        "ocid": "ocds-1",
        "id": "1",
        "date": "2024-01-01T00:00:00Z",
        "tag": ["tender"],
        "initiationType": "tender",
        "parties": [],
        "tender": {"id": "t", "status": "active", "items": [{"id": "1", "quantity": 10}]},
    }
    second = {
        "ocid": "ocds-1",
        "id": "2",
        "date": "2024-02-01T00:00:00Z",
        "tag": ["award"],
        "initiationType": "tender",
        "parties": [],
        "tender": {"id": "t", "status": "complete", "items": [{"id": "1", "quantity": 12}]},
        "awards": [{"id": "a", "status": "active"}],
    }
    data = tmp_path / "releases.jsonl"
    data.write_text(json.dumps(second) + "\n" + json.dumps(first) + "\n", encoding="utf-8")

    report, releases = import_to_lines([data])

    assert report.problems == [] and report.merged == 1
    (compiled,) = releases
    assert compiled["id"] == "ocds-1-2024-02-01T00:00:00Z"
    assert compiled["tag"] == ["compiled"]
    assert compiled["tender"]["status"] == "complete"
    assert compiled["tender"]["items"] == [{"id": "1", "quantity": 12}]
    assert compiled["awards"] == [{"id": "a", "status": "active"}]


def test_bad_lines_and_non_ocds_objects_are_reported_and_the_rest_kept(tmp_path):
    data = tmp_path / "mixed.jsonl"
    good = {
        "ocid": "ocds-2",
        "id": "1",
        "date": "2024-01-01T00:00:00Z",
        "tag": ["compiled"],
        "parties": [],
    }
    data.write_text(
        "\n".join(
            [
                json.dumps(good),
                "{broken",
                json.dumps({"hello": "world"}),
                json.dumps(
                    {"releases": [{"id": "no-ocid", "date": "2024-01-01"}], "version": "1.1"}
                ),
            ]
        )
        + "\n",
        encoding="utf-8",
    )

    report, releases = import_to_lines([data])

    assert [r["ocid"] for r in releases] == ["ocds-2"]
    assert [(p.line, p.reason) for p in report.problems] == [
        (2, "invalid JSON (Expecting property name enclosed in double quotes)"),
        (3, "not an OCDS package, record or release"),
        (4, "releases[0]: a release without an ocid"),
    ]


def test_releases_and_records_of_the_wrong_shape_are_reported_and_the_rest_kept(tmp_path):
    def release(ocid: str, supplier: object) -> dict[str, Any]:
        return {
            "ocid": ocid,
            "id": f"{ocid}-1",
            "date": "2014-01-01T00:00:00Z",
            "tag": ["award"],
            "awards": [{"id": "a1", "suppliers": [supplier]}],
        }

    # OCDS 1.0, upgraded by ocdskit, which expects each supplier to be an object.
    package = {
        "version": "1.0",
        "releases": [release("ocds-a", {"name": "A Co."}), release("ocds-b", "B Co.")],
    }
    records = {
        "version": "1.1",
        "records": [
            {"ocid": "ocds-c", "releases": 7},
            {"ocid": "ocds-d", "releases": [release("ocds-d", {"id": "D", "name": "D Co."})]},
        ],
    }
    (tmp_path / "package.json").write_text(json.dumps(package), encoding="utf-8")
    (tmp_path / "records.json").write_text(json.dumps(records), encoding="utf-8")

    report, releases = import_to_lines([tmp_path])

    assert [r["ocid"] for r in releases] == ["ocds-a", "ocds-d"]
    problems = [(Path(p.file).name, p.reason) for p in report.problems]
    assert problems[0][0] == "package.json"
    assert problems[0][1].startswith("releases[1]: cannot be upgraded from OCDS 1.0 (")
    assert problems[1:] == [("records.json", "records[0]: a record with no usable release")]


def test_a_record_with_only_linked_releases_keeps_its_compiled_release(tmp_path):
    record = {
        "ocid": "ocds-3",
        "releases": [{"url": "https://example.invalid/1", "date": "2024"}],
        "compiledRelease": {"ocid": "ocds-3", "id": "c", "tag": ["compiled"], "parties": []},
    }
    data = tmp_path / "record.json"
    data.write_text(json.dumps({"version": "1.1", "records": [record]}), encoding="utf-8")

    report, releases = import_to_lines([data])

    assert report.problems == []
    assert releases == [record["compiledRelease"]]


def test_the_cli_imports_and_the_indicators_run_on_the_result(tmp_path):
    output, errors = tmp_path / "compiled.jsonl", tmp_path / "errors.csv"
    out, err = io.StringIO(), io.StringIO()

    status = cli.main(
        ["import", "-o", str(output), "-e", str(errors), str(REAL)], stdout=out, stderr=err
    )

    assert status == 0
    assert len(output.read_text(encoding="utf-8").splitlines()) == 10
    rows = errors.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "file,line,reason" and len(rows) == 4
    assert err.getvalue().count("the file is empty") == 3
    result = engine.run(output, settings.Settings.all_enabled(settings.CARDINAL_CODES))
    assert result.report.lines == 10
    assert result.report.invalid_lines == 0


def _package(releases: list[dict[str, Any]], version: str | None = "1.1") -> dict[str, Any]:
    package: dict[str, Any] = {"uri": "https://example.invalid/package.json"}
    package["releases"] = releases
    if version is not None:
        # Written after the releases: the shape and version are known only at the end.
        package["version"] = version
    return package


def test_a_large_package_is_streamed_not_held_in_memory(tmp_path):
    import tracemalloc

    padding = "x" * 1000
    releases = [
        {
            "ocid": f"ocds-{n:05d}",
            "id": "1",
            "date": "2024-01-01T00:00:00Z",
            "tag": ["tender"],
            "parties": [],
            "tender": {"id": str(n), "description": padding},
        }
        for n in range(4000)
    ]
    data = tmp_path / "package.json"
    data.write_text(json.dumps(_package(releases), indent=1), encoding="utf-8")
    size = data.stat().st_size
    del releases

    tracemalloc.start()
    try:
        report = importer.import_paths([data], tmp_path / "out.jsonl")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert report.problems == []
    assert report.releases == report.merged == 4000
    # Reading the file whole would take more than its size in Python objects.
    assert peak < size / 4, (peak, size)


def test_a_package_whose_version_comes_last_is_upgraded_by_it(tmp_path):
    release = {
        "ocid": "ocds-10",
        "id": "1",
        "date": "2024-01-01T00:00:00Z",
        "tag": ["award"],
        "buyer": {"name": "Buyer", "identifier": {"scheme": "X", "id": "1"}},
    }
    data = tmp_path / "package.json"
    data.write_text(json.dumps(_package([release], version="1.0"), indent=2), encoding="utf-8")

    report, releases = import_to_lines([data])

    assert report.problems == []
    assert releases[0]["buyer"]["id"] in {party["id"] for party in releases[0]["parties"]}


def test_a_broken_package_is_reported_at_its_line(tmp_path, monkeypatch):
    data = tmp_path / "broken.json"
    text = json.dumps(_package([{"ocid": "ocds-1", "id": "1"}] * 3), indent=2)
    lines = text.splitlines()
    lines[7] = lines[7] + " oops"
    data.write_text("\n".join(lines), encoding="utf-8")

    report, releases = import_to_lines([data])

    assert releases == []
    [problem] = report.problems
    assert problem.line == 8
    assert problem.reason.startswith("invalid JSON (Expecting ")
    # A file too large to parse again is reported at the line ijson had reached.
    monkeypatch.setattr(importer, "EXACT_ERROR_LIMIT", 0)
    report, _ = import_to_lines([data])
    [problem] = report.problems
    assert problem.line is not None and 1 <= problem.line <= len(lines)
    assert problem.reason.startswith("invalid JSON (")


def test_pretty_printed_documents_one_after_another_are_not_json_lines(tmp_path):
    data = tmp_path / "two.json"
    document = json.dumps(_package([{"ocid": "ocds-1", "id": "1", "parties": []}]), indent=2)
    data.write_text(document + "\n" + document + "\n", encoding="utf-8")

    report, releases = import_to_lines([data])

    # Read as JSON lines (several values), whose lines are not documents: each is reported.
    assert releases == []
    assert report.problems and all(p.reason.startswith("invalid JSON") for p in report.problems)
    assert report.problems[0].line == 1
