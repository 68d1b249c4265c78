"""Helpers for the engine's tests: write releases to a JSON-lines file and run indicators."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sujarit.redflags import engine, settings


@pytest.fixture
def write_lines(tmp_path: Path) -> Callable[..., Path]:
    """Write releases (dicts) or raw lines (str) to a file, one per line."""

    def write(lines: list[Any], name: str = "releases.jsonl") -> Path:
        path = tmp_path / name
        text = "".join(
            (line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines
        )
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def run(write_lines: Callable[..., Path]) -> Callable[..., engine.Result]:
    """Run indicators over releases with settings given as INI text."""

    def run_(lines: list[Any], ini: str, **options: Any) -> engine.Result:
        return engine.run(write_lines(lines), settings.parse(ini), **options)

    return run_
