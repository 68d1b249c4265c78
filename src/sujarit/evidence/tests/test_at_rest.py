"""A database dump and a copy of the storage directory, alone, reveal no evidence: the
files are sealed, their names are random, and nothing of the upload's name is kept."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

import pytest

from sujarit.cases.tests.test_intake_form import valid_post
from sujarit.evidence.models import EvidenceFile
from sujarit.evidence.storage import read_sealed
from sujarit.evidence.tests import samples
from sujarit.evidence.tests.conftest import stored_files, upload
from sujarit.lib.crypto import TamperedData

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(client, cases_area, evidence_dir):
    data = valid_post()
    data["evidence"] = [
        upload("IMG_0042_Somsri.jpg", samples.jpeg_with_gps(), "image/jpeg"),
        upload(
            "budget_Somsri.pdf", samples.pdf_with_author(text="Budget memo 2567"), "application/pdf"
        ),
    ]
    assert client.post(reverse("cases:report"), data).status_code == 302
    return list(EvidenceFile.objects.order_by("id"))


def test_raw_storage_directory_holds_no_plaintext(sent, evidence_dir):
    plaintexts = [read_sealed(row.storage_name, context=row.context) for row in sent]
    files = stored_files(evidence_dir)
    assert len(files) == 2
    for path in files:
        raw = path.read_bytes()
        assert "." not in path.name  # no extension tells what it is
        assert "Somsri" not in str(path) and "IMG" not in str(path)
        assert not raw.startswith((b"\xff\xd8\xff", b"%PDF"))
        assert raw.startswith(b"SJ1")
        for needle in (b"JFIF", b"%PDF", b"Budget memo", samples.AUTHOR.encode(), b"Catalog"):
            assert needle not in raw
        for plaintext in plaintexts:
            # No run of the stored file's content appears in the raw storage.
            for start in range(0, len(plaintext) - 32, 97):
                assert plaintext[start : start + 32] not in raw
        assert path.stat().st_mode & 0o077 == 0  # readable by the site's user only


def _text(value: object) -> str:
    if isinstance(value, memoryview):
        value = bytes(value)
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def test_raw_database_tables_hold_no_file_name_or_content(sent):
    needles = ["IMG_0042", "Somsri", "budget", "Budget memo", "JFIF"]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(_text(value) for value in row)
                for needle in needles:
                    assert needle not in text, (table, needle)


def test_a_sealed_file_moved_under_another_row_does_not_open(sent, evidence_dir):
    photo, document = sent
    (evidence_dir / photo.storage_name).write_bytes(
        (evidence_dir / document.storage_name).read_bytes()
    )
    with pytest.raises(TamperedData):
        read_sealed(photo.storage_name, context=photo.context)


def test_the_stored_photo_has_no_gps_once_opened(sent):
    import io

    from PIL import Image

    photo = sent[0]
    with Image.open(io.BytesIO(read_sealed(photo.storage_name, context=photo.context))) as image:
        assert image.getexif().get_ifd(0x8825) == {}
        assert len(image.getexif()) == 0
