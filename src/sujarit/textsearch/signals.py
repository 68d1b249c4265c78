"""Receivers: a case's personal data purge also removes its searchable text."""

from __future__ import annotations

from typing import Any

from sujarit.textsearch.indexing import forget_case


def on_personal_data_purge(sender: Any, *, case: Any, **kwargs: Any) -> int:
    return forget_case(case.pk)
