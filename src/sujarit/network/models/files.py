"""Names under which private files are stored: random, so a name tells nothing."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any


def _random_name(folder: str, filename: str) -> str:
    # The uploader's file name may hold a person's name or a place; only the extension stays.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"network/{folder}/{uuid.uuid4().hex}{suffix}"


def mou_document_name(instance: Any, filename: str) -> str:
    return _random_name("mou", filename)


def activity_photo_name(instance: Any, filename: str) -> str:
    return _random_name("activity", filename)


def visit_photo_name(instance: Any, filename: str) -> str:
    return _random_name("visit", filename)
