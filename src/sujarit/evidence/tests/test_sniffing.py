"""The kind of a file comes from its content: names and browser types are never asked."""

from __future__ import annotations

import io
import zipfile

import pytest

from sujarit.evidence import sniffing
from sujarit.evidence.tests import samples


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (samples.jpeg_with_gps, "jpeg"),
        (samples.png_with_text, "png"),
        (samples.heic_with_gps, "heic"),
        (samples.pdf_with_author, "pdf"),
        (samples.docx_with_author, "docx"),
        (samples.odt_with_author, "odt"),
        (samples.mp3_with_tags, "mp3"),
        (samples.wav_with_info, "wav"),
        (samples.mp4_with_location, "mp4"),
        (lambda: samples.mp4_with_location(brand=b"qt  "), "mov"),
        (lambda: samples.mp4_with_location(brand=b"M4A "), "m4a"),
        (lambda: samples.mp4_with_location(brand=b"3gp5"), "3gp"),
        (lambda: b"OggS\x00\x02" + b"\x00" * 40, "ogg"),
        (lambda: b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 20, "webm"),
        (lambda: samples.MP3_FRAME * 3, "mp3"),
    ],
)
def test_each_accepted_kind_is_recognised_by_content(make, expected):
    kind = sniffing.sniff(make())
    assert kind is not None
    assert kind.code == expected


def _zip(members: dict[str, str]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return output.getvalue()


def test_office_packages_are_told_apart_by_their_parts():
    types = {"[Content_Types].xml": "<Types/>"}
    assert sniffing.sniff(_zip({**types, "xl/workbook.xml": "<w/>"})) is sniffing.XLSX
    assert sniffing.sniff(_zip({**types, "ppt/presentation.xml": "<p/>"})) is sniffing.PPTX
    spreadsheet = _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"})
    assert sniffing.sniff(spreadsheet) is sniffing.ODS


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03" + b"\x00" * 60,  # a Windows program
        b"<!DOCTYPE html><script>alert(1)</script>",
        b"#!/bin/sh\nrm -rf /\n",
        b"GIF89a\x01\x00\x01\x00",
        b"PK\x03\x04not really a zip",
        b"\x1a\x45\xdf\xa3" + b"\x00" * 20 + b"matroska",  # Matroska, not WebM
        b"",
    ],
)
def test_anything_else_is_refused(data):
    assert sniffing.sniff(data) is None


def test_a_plain_zip_or_a_java_archive_is_refused():
    assert sniffing.sniff(_zip({"readme.txt": "hello"})) is None
    assert sniffing.sniff(_zip({"META-INF/MANIFEST.MF": "Main-Class: X"})) is None


def test_avif_is_not_taken_for_heic():
    avif = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + b"\x00" * 32
    assert sniffing.sniff(avif) is None
