"""Start-up configuration: invalid values stop the site with a message naming the variable."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sujarit.lib.env import DOCUMENTED

README = Path(__file__).resolve().parents[4] / "README.md"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "-production-secret-with-enough-entropy-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "sujarit.example.go.th",
    "SUJARIT_HTTPS": "true",
    "SUJARIT_DATA_KEYS": "p1:" + "A" * 43,
}


def run_sujarit(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in DOCUMENTED}
    clean.update(
        {
            "SECRET_KEY": "k" * 60,
            "SUJARIT_DATA_KEYS": "p1:" + "A" * 43,
            "DJANGO_SETTINGS_MODULE": "sujarit.settings",
        },
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "sujarit", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SUJARIT_PROVINCE", "99"),
        ("SUJARIT_PROVINCE", "Chachoengsao"),
        ("DATABASE_URL", "oracle-ish://nowhere"),
        ("DEBUG", "maybe"),
        ("EMAIL_PORT", "twenty-five"),
        ("SUJARIT_LOGIN_MAX_FAILURES", "0"),
        ("SUJARIT_DATA_KEYS", "k1:too-short"),
        ("SUJARIT_DATA_KEYS", "k1:" + "A" * 43 + ",k1:" + "B" * 43),
    ],
)
def test_invalid_variable_stops_startup_naming_it(name: str, value: str) -> None:
    result = run_sujarit("check", **{name: value})
    assert result.returncode != 0
    assert f"{name}=" in result.stderr


def test_production_without_secret_key_names_it() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_sujarit("check", **env, SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_without_data_keys_names_them() -> None:
    result = run_sujarit("check", **PRODUCTION | {"SUJARIT_DATA_KEYS": ""})
    assert result.returncode != 0
    assert "SUJARIT_DATA_KEYS" in result.stderr


def test_check_deploy_is_clean_with_production_variables(tmp_path: Path) -> None:
    result = run_sujarit(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, SUJARIT_VAR_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_https(tmp_path: Path) -> None:
    env = dict(PRODUCTION, SUJARIT_HTTPS="false", SUJARIT_VAR_DIR=str(tmp_path))
    result = run_sujarit("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr or "security.W004" in result.stdout


def test_every_variable_read_is_in_the_readme_table() -> None:
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", README.read_text(), flags=re.M))
    assert DOCUMENTED, "settings were not loaded through sujarit.lib.env"
    missing = set(DOCUMENTED) - documented
    assert not missing, f"README's configuration table lacks {sorted(missing)}"
