"""Settings files in Cardinal's INI format: what is accepted, and the errors for what is not."""

from __future__ import annotations

import pytest

from sujarit.redflags import settings


def test_an_indicator_runs_only_if_its_section_is_present():
    parsed = settings.parse("[R003]\n[R036]\n")

    assert list(parsed.indicators) == ["R003", "R036"]
    assert parsed.options("R003").threshold == 15


def test_values_are_converted_to_the_option_types():
    parsed = settings.parse(
        "currency = USD\n"
        "no_price_comparison_procurement_methods = Random Selection|Lottery\n"
        "[exclusions]\nprocurement_method_details = EXC\n"
        "[R003]\nthreshold = 10\nprocurement_methods = open|selective\n"
        "[R003.procurement_method_details]\nx = 5\ny = 10\n"
        "[R024]\nthreshold = 0.05\n"
        "[R048]\ndigits = 3\nminimum_contracting_processes = 1\n"
        "[output]\ninfo_currency_mismatches = true\n"
    )

    assert parsed.currency == "USD"
    assert parsed.no_price_comparison_procurement_methods == {"Random Selection", "Lottery"}
    assert parsed.excluded_procurement_method_details == {"EXC"}
    assert parsed.options("R003").threshold == 10
    assert parsed.options("R003").procurement_methods == {"open", "selective"}
    assert parsed.options("R003").procurement_method_details == {"x": 5, "y": 10}
    assert parsed.options("R024").threshold == 0.05
    assert parsed.options("R048").digits == 3
    assert parsed.info_currency_mismatches is True


def test_pipe_lists_split_like_cardinal():
    assert settings.parse_pipe_list("a|b|") == {"a", "b"}
    assert settings.parse_pipe_list("") == frozenset()
    assert settings.parse_pipe_list("a||b") == {"a", "", "b"}


def test_an_empty_method_list_overrides_the_default():
    assert settings.parse("[R018]").options("R018").procurement_methods == {"open", "selective"}
    assert (
        settings.parse("[R018]\nprocurement_methods =").options("R018").procurement_methods == set()
    )


def test_a_sub_section_alone_enables_its_indicator_as_in_cardinal():
    parsed = settings.parse("[R003.procurement_method_details]\nx = 5")

    assert parsed.options("R003").procurement_method_details == {"x": 5}


def test_comments_and_quotes():
    parsed = settings.parse('; a comment\n# another\ncurrency = "THB"\n[R035]\n; threshold = 9\n')

    assert parsed.currency == "THB"
    assert parsed.options("R035").threshold == 1


def test_unknown_key_is_an_error_naming_the_key_line_and_close_match():
    with pytest.raises(settings.SettingsError) as error:
        settings.parse("[R003]\nthreshhold = 10\n", "my.ini")

    message = str(error.value)
    assert "my.ini, line 2" in message
    assert "[R003] threshhold" in message
    assert "did you mean 'threshold'" in message


def test_unknown_top_level_key_is_an_error():
    with pytest.raises(settings.SettingsError, match=r"line 1: currencyy: unknown key"):
        settings.parse("currencyy = THB")


def test_bad_value_is_an_error_naming_the_key():
    with pytest.raises(settings.SettingsError, match=r"line 2: \[R003\] threshold: 'ten' is not"):
        settings.parse("[R003]\nthreshold = ten")


def test_negative_count_is_an_error():
    with pytest.raises(settings.SettingsError, match=r"\[R035\] threshold: '-1' must not be"):
        settings.parse("[R035]\nthreshold = -1")


def test_bad_float_and_boolean_are_errors():
    with pytest.raises(settings.SettingsError, match=r"\[R024\] threshold: '1_0' is not a decimal"):
        settings.parse("[R024]\nthreshold = 1_0")
    with pytest.raises(settings.SettingsError, match=r"info_currency_mismatches: 'maybe'"):
        settings.parse("[output]\ninfo_currency_mismatches = maybe")


def test_bad_value_in_a_map_section_names_the_key():
    with pytest.raises(
        settings.SettingsError, match=r"\[R003.procurement_method_details\] x: '5d'"
    ):
        settings.parse("[R003.procurement_method_details]\nx = 5d")


def test_unknown_section_is_an_error_with_a_suggestion():
    with pytest.raises(settings.SettingsError, match=r"unknown section \[R03\].*did you mean"):
        settings.parse("[R03]")


def test_duplicate_key_and_malformed_lines_are_errors():
    with pytest.raises(settings.SettingsError, match="'threshold' is set twice in \\[R003\\]"):
        settings.parse("[R003]\nthreshold = 1\nthreshold = 2")
    with pytest.raises(settings.SettingsError, match="line 2: expected 'key = value'"):
        settings.parse("[R003]\nthreshold")
    with pytest.raises(settings.SettingsError, match="section header must end"):
        settings.parse("[R003")


def test_prepare_sections_of_cardinal_are_accepted_and_checked():
    parsed = settings.parse("[defaults]\ncurrency = USD\n[codelists.bid_status]\nqualified = valid")
    assert parsed.indicators == {}
    with pytest.raises(settings.SettingsError, match=r"\[defaults\] currncy"):
        settings.parse("[defaults]\ncurrncy = USD")


def test_the_init_file_enables_every_indicator_with_thai_defaults():
    parsed = settings.parse(settings.DEFAULT_INI)

    assert set(parsed.indicators) == set(settings.OPTIONS)
    assert parsed.options("R055").threshold == 500_000
    assert parsed.options("R055").procurement_method_details["เฉพาะเจาะจง"] == 500_000


def test_missing_settings_file_is_a_settings_error(tmp_path):
    with pytest.raises(settings.SettingsError, match="cannot read the settings file"):
        settings.load(tmp_path / "missing.ini")
