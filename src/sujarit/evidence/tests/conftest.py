from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from sujarit.cases.models import Case
from sujarit.evidence.forms import PreparedFile, prepare
from sujarit.evidence.models import EvidenceFile


@pytest.fixture(autouse=True)
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    """Each test stores evidence in its own empty directory, so it can read it raw."""
    directory = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(directory)},
        },
    }
    return directory


def stored_files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.rglob("*") if path.is_file())


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, data, content_type=content_type)


def prepared(name: str, data: bytes) -> PreparedFile:
    return prepare(name, upload(name, data))


@pytest.fixture
def case_with_evidence(
    case_factory: Callable[..., Case],
) -> Callable[..., tuple[Case, EvidenceFile]]:
    """A case with one photo the complainant sent (through the follow-up action)."""
    from sujarit.evidence.actions import add_citizen_evidence
    from sujarit.evidence.tests import samples

    def make(**fields: Any) -> tuple[Case, EvidenceFile]:
        case = case_factory(**fields)
        (row,) = add_citizen_evidence(
            case=case, files=[prepared("IMG_0042.jpg", samples.jpeg_with_gps())]
        )
        return case, row

    return make
