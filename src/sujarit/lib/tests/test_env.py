from __future__ import annotations

import pytest

from sujarit.lib.env import EnvError, env_bool, env_int, env_list, env_parsed, env_str


def test_defaults_apply_when_unset() -> None:
    assert env_str("X_UNSET", "a", environ={}) == "a"
    assert env_bool("X_UNSET", True, environ={}) is True
    assert env_int("X_UNSET", 3, environ={}) == 3
    assert env_list("X_UNSET", ["a"], environ={}) == ["a"]


@pytest.mark.parametrize("raw", ["1", "true", "YES", "on"])
def test_true_spellings(raw: str) -> None:
    assert env_bool("FLAG", False, environ={"FLAG": raw}) is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off", ""])
def test_false_spellings(raw: str) -> None:
    assert env_bool("FLAG", True, environ={"FLAG": raw}) is False


def test_bad_bool_names_the_variable() -> None:
    with pytest.raises(EnvError, match="FLAG='maybe'"):
        env_bool("FLAG", False, environ={"FLAG": "maybe"})


def test_bad_int_names_the_variable() -> None:
    with pytest.raises(EnvError, match="EMAIL_PORT='twenty-five'"):
        env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": "twenty-five"})


def test_int_below_minimum_is_refused() -> None:
    with pytest.raises(EnvError, match="at least 1"):
        env_int("N", 5, minimum=1, environ={"N": "0"})


def test_list_splits_on_commas_and_trims() -> None:
    assert env_list("HOSTS", [], environ={"HOSTS": " a.example , b.example,,"}) == [
        "a.example",
        "b.example",
    ]


def test_parsed_wraps_parse_errors() -> None:
    with pytest.raises(EnvError, match="RATIO='x' is invalid: expected a number"):
        env_parsed("RATIO", 1.0, float, "a number", environ={"RATIO": "x"})
