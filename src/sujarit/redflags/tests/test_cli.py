"""The command line, used as a Cardinal user would use ocdscardinal."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import duckdb
import orjson
import pytest

from sujarit.redflags import cli, engine, settings

FIXTURES = Path(__file__).parent / "fixtures" / "cardinal"
DOCS = FIXTURES / "docs"


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_indicators_prints_results_and_meta_on_one_line():
    status, out, _ = call(
        "indicators", "--settings", str(DOCS / "024.ini"), str(DOCS / "024.jsonl")
    )

    assert status == 0
    assert out.count("\n") == 1
    document = json.loads(out)
    assert document["OCID"] == {"F": {"R024": 1.0}}
    assert set(document["Meta"]["R024"]) == {"q1", "q3", "lower_fence"}


def test_no_meta_omits_meta():
    status, out, _ = call(
        "indicators", "-s", str(DOCS / "settings.ini"), "--no-meta", str(DOCS / "036.jsonl")
    )

    assert status == 0
    assert json.loads(out) == {"OCID": {"F": {"R036": 1.0}}}


def test_count_prints_the_number_of_results_per_group_to_stderr():
    status, out, err = call(
        "indicators", "-s", str(DOCS / "settings.ini"), "--count", str(DOCS / "028.jsonl")
    )

    assert status == 0
    assert err.splitlines() == ["OCID: 1", "Tenderer: 2"]
    assert "OCID" in json.loads(out)


def test_map_adds_the_maps_of_cardinal():
    status, out, _ = call(
        "indicators",
        "-s",
        str(DOCS / "settings.ini"),
        "--map",
        "--no-meta",
        str(DOCS / "028.jsonl"),
    )

    maps = json.loads(out)["Maps"]
    assert status == 0
    assert list(maps) == [
        "ocid_buyer_r038",
        "ocid_procuringentity_r038",
        "ocid_tenderer",
        "ocid_tenderer_r024",
        "ocid_tenderer_r028",
        "ocid_tenderer_r030",
        "ocid_tenderer_r035",
        "ocid_tenderer_r058",
    ]
    assert maps["ocid_tenderer_r028"] == {"F": ["D", "V"]}
    assert maps["ocid_tenderer"]["F"] == ["D", "V"]


def test_map_of_r038_gives_the_buyer_of_each_process_with_a_disqualified_bid():
    status, out, _ = call(
        "indicators",
        "-s",
        str(DOCS / "settings.ini"),
        "--map",
        "--no-meta",
        str(DOCS / "038.jsonl"),
    )

    assert status == 0
    assert json.loads(out)["Maps"]["ocid_buyer_r038"] == {"0": "B"}


def test_explain_adds_english_and_thai_explanations():
    status, out, _ = call(
        "indicators",
        "-s",
        str(DOCS / "settings.ini"),
        "--explain",
        "--no-meta",
        str(DOCS / "003.jsonl"),
    )

    explanation = json.loads(out)["Explanations"]["OCID"]["F"]["R003"]
    assert status == 0
    assert explanation["title"] == {
        "en": "Short submission period",
        "th": "ระยะเวลายื่นข้อเสนอสั้นผิดปกติ",
    }
    assert "less than the threshold of 15 days" in explanation["en"]
    assert "น้อยกว่าเกณฑ์ 15 วัน" in explanation["th"]


def test_the_document_is_compact_utf8_in_the_order_it_was_built():
    status, out, _ = call(
        "indicators", "-s", str(DOCS / "settings.ini"), "--explain", str(DOCS / "003.jsonl")
    )

    assert status == 0
    # Thai is written as is (not as \u escapes), without spaces, groups before Meta.
    assert "ระยะเวลายื่นข้อเสนอสั้นผิดปกติ" in out
    assert out == json.dumps(json.loads(out), ensure_ascii=False, separators=(",", ":")) + "\n"
    assert list(json.loads(out)) == ["OCID", "Meta", "Explanations"]


@pytest.mark.parametrize("binary", [False, True])
def test_the_document_written_part_by_part_is_the_whole_document_encoded_at_once(binary):
    settings_file = DOCS / "settings.ini"
    options = settings.load(settings_file)
    result = engine.run(DOCS / "024.jsonl", options, maps=True, explanations=True)
    whole = orjson.dumps(result.to_cardinal(maps=True, explanations=True)) + b"\n"
    # Standard output writes bytes to its buffer; a stream without one gets text.
    raw, text = io.BytesIO(), io.StringIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8") if binary else text

    status = cli.main(
        ["indicators", "-s", str(settings_file), "--map", "--explain", str(DOCS / "024.jsonl")],
        stdout=stream,
        stderr=io.StringIO(),
    )

    assert status == 0
    written = raw.getvalue() if binary else text.getvalue().encode()
    assert written == whole
    assert b'"Explanations":{"OCID":{' in written


def test_without_settings_no_indicator_runs():
    status, out, _ = call("indicators", str(DOCS / "003.jsonl"))

    assert status == 0
    assert json.loads(out) == {"Meta": {}}


def test_settings_error_names_the_key_and_exits_2(tmp_path):
    bad = tmp_path / "bad.ini"
    bad.write_text("[R003]\nthreshold = soon\n", encoding="utf-8")

    status, out, err = call("indicators", "-s", str(bad), str(DOCS / "003.jsonl"))

    assert status == 2
    assert out == ""
    assert err.startswith("error: ")
    assert "[R003] threshold: 'soon' is not a whole number" in err


def test_missing_input_file_exits_2(tmp_path):
    status, _, err = call("indicators", str(tmp_path / "missing.jsonl"))

    assert status == 2
    assert "missing.jsonl" in err


def test_invalid_lines_are_warned_about_on_stderr(tmp_path):
    data = tmp_path / "data.jsonl"
    data.write_text('{"ocid": "A"}\n{oops\n', encoding="utf-8")

    status, out, err = call("indicators", "-s", str(DOCS / "settings.ini"), "--no-meta", str(data))

    assert status == 0
    assert json.loads(out) == {}
    assert "WARNING Line 2 is invalid JSON, skipping." in err


def test_init_writes_a_settings_file_that_loads(tmp_path):
    target = tmp_path / "settings.ini"

    status, out, _ = call("init", str(target))

    assert status == 0
    assert out == f"Settings written to {target}.\n"
    assert set(settings.load(target).indicators) == set(settings.OPTIONS)


def test_init_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "settings.ini"
    target.write_text("[R003]\n", encoding="utf-8")

    status, _, err = call("init", str(target))
    assert status == 2
    assert "already exists" in err
    assert target.read_text(encoding="utf-8") == "[R003]\n"

    status, _, _ = call("init", "--force", str(target))
    assert status == 0
    assert target.read_text(encoding="utf-8") == settings.DEFAULT_INI


def test_init_to_stdout():
    status, out, _ = call("init", "-")

    assert status == 0
    assert out == settings.DEFAULT_INI


def test_coverage_prints_counts_per_path():
    status, out, _ = call("coverage", str(FIXTURES / "coverage" / "base_array.jsonl"))

    assert status == 0
    assert json.loads(out) == {"": 1, "[]": 1}


def test_usage_errors_exit_2(capsys):
    assert call("indicators")[0] == 2
    assert call("nonsense")[0] == 2
    capsys.readouterr()


@pytest.mark.parametrize("verbosity", [[], ["-v"], ["-vv"]])
def test_verbosity_flags_are_accepted(verbosity):
    status, _, _ = call(*verbosity, "init", "-")

    assert status == 0


def test_duckdb_options_are_passed_and_checked():
    status, out, _ = call(
        "indicators",
        "-s",
        str(DOCS / "settings.ini"),
        "--no-meta",
        "--threads",
        "1",
        "--memory-limit",
        "256MB",
        str(DOCS / "036.jsonl"),
    )
    assert status == 0
    assert json.loads(out) == {"OCID": {"F": {"R036": 1.0}}}

    status, _, err = call("indicators", "--memory-limit", "lots", str(DOCS / "036.jsonl"))
    assert status == 2
    assert "memory limit 'lots'" in err


def test_running_out_of_memory_says_how_to_give_duckdb_more(monkeypatch):
    def out_of_memory(*args: object, **kwargs: object) -> None:
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")

    monkeypatch.setattr(engine, "_collect", out_of_memory)

    status, out, err = call("indicators", "--memory-limit", "300MB", str(DOCS / "024.jsonl"))

    assert status == 1
    assert out == ""
    assert err == (
        "error: DuckDB ran out of memory under its limit of 300MB; "
        "give it more with --memory-limit (e.g. --memory-limit 2GB)\n"
    )


def test_spark_backend_without_pyspark_is_a_clear_usage_error(monkeypatch):
    from sujarit.redflags import spark

    def missing(name: str) -> object:
        raise ImportError(f"No module named {name!r}")

    monkeypatch.setattr(spark, "_import", missing)

    status, out, err = call("indicators", "--backend", "spark", str(DOCS / "024.jsonl"))

    assert status == 2
    assert out == ""
    assert (
        err == "error: the Spark backend needs PySpark (pip install pyspark) and Java 17 or later\n"
    )


def test_a_winning_bid_of_zero_gives_null_as_cardinal_prints_an_infinite_ratio(tmp_path):
    # (100 - 0) / 0 is infinite: R058 flags it, and Cardinal (serde_json) prints the
    # infinite value as null; R024's lower fence never catches it.
    def release(ocid: str, winner: float, other: float) -> str:
        bids = [
            {"status": "valid", "tenderers": [{"id": tenderer}], "value": value}
            for tenderer, value in (
                ("A", {"amount": winner, "currency": "THB"}),
                ("B", {"amount": other, "currency": "THB"}),
            )
        ]
        awards = [{"status": "active", "suppliers": [{"id": "A"}]}]
        return json.dumps({"ocid": ocid, "bids": {"details": bids}, "awards": awards}) + "\n"

    data = tmp_path / "data.jsonl"
    data.write_text(release("Z", 0, 100) + release("P", 100, 150), encoding="utf-8")
    ini = tmp_path / "settings.ini"
    ini.write_text("[R024]\nthreshold = 0.6\n[R058]\nthreshold = 0.4\n", encoding="utf-8")

    status, out, _ = call("indicators", "-s", str(ini), "--no-meta", "--explain", str(data))

    assert status == 0
    document = json.loads(out)
    assert document["OCID"] == {"P": {"R024": 0.5, "R058": 0.5}, "Z": {"R058": None}}
    assert document["Explanations"]["OCID"]["Z"]["R058"]["values"]["difference"] is None


def test_only_values_that_are_not_finite_become_null():
    from sujarit.redflags.engine import _json_values

    # Two huge values whose sum overflows are still printed as they are.
    assert _json_values({"R055": 1e308, "X001": 1e308}) == {"R055": 1e308, "X001": 1e308}
    assert _json_values({"R024": math.inf, "R058": 0.5}) == {"R024": None, "R058": 0.5}
    assert _json_values({"R058": math.nan}) == {"R058": None}
