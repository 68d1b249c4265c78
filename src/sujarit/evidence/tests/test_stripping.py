"""What identifies the sender is gone from the stored file; the content is still there."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from sujarit.evidence import sniffing
from sujarit.evidence.stripping import CannotStrip, jpeg_without_metadata, strip
from sujarit.evidence.tests import samples


def test_jpeg_loses_gps_exif_and_maker_but_keeps_the_picture():
    original = samples.jpeg_with_gps()
    # The sample really carries what a phone writes.
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(0x8825)[2] == (13.0, 41.0, 20.5)

    stored, kind = strip(original, sniffing.JPEG)

    assert kind is sniffing.JPEG
    with Image.open(io.BytesIO(stored)) as after:
        assert len(after.getexif()) == 0
        assert after.getexif().get_ifd(0x8825) == {}
        assert after.size == (64, 48)
        pixel = after.getpixel((10, 10))
        assert isinstance(pixel, tuple) and pixel[0] > 150  # still the red picture
    assert samples.MAKER.encode() not in stored
    assert samples.AUTHOR.encode() not in stored


def test_png_loses_its_text_chunks():
    stored, kind = strip(samples.png_with_text(), sniffing.PNG)
    assert kind is sniffing.PNG
    assert samples.AUTHOR.encode() not in stored


def test_heic_becomes_a_jpeg_without_exif():
    original = samples.heic_with_gps()
    assert samples.MAKER.encode() in original

    stored, kind = strip(original, sniffing.HEIC)

    assert kind is sniffing.JPEG
    assert samples.MAKER.encode() not in stored
    with Image.open(io.BytesIO(stored)) as after:
        assert after.format == "JPEG"
        assert len(after.getexif()) == 0


def test_pdf_loses_author_info_and_xmp():
    import pypdf

    original = samples.pdf_with_author()
    metadata = pypdf.PdfReader(io.BytesIO(original)).metadata
    assert metadata is not None and metadata.author == samples.AUTHOR

    stored, kind = strip(original, sniffing.PDF)

    assert kind is sniffing.PDF
    reader = pypdf.PdfReader(io.BytesIO(stored))
    assert reader.metadata is None
    assert "/Metadata" not in reader.root_object
    assert len(reader.pages) == 1
    assert samples.AUTHOR.encode() not in stored
    assert samples.MAKER.encode() not in stored


def test_a_photo_inside_a_pdf_loses_its_exif_and_keeps_its_picture():
    import pypdf

    original = samples.pdf_with_photo()
    assert samples.MAKER.encode() in original and samples.AUTHOR.encode() in original

    stored, _kind = strip(original, sniffing.PDF)

    assert samples.MAKER.encode() not in stored
    assert samples.AUTHOR.encode() not in stored
    assert b"Exif" not in stored
    (image,) = pypdf.PdfReader(io.BytesIO(stored)).pages[0].images
    with Image.open(io.BytesIO(image.data)) as picture:
        assert picture.format == "JPEG"
        assert picture.size == (64, 48)
        assert not picture.getexif()
        assert picture.getpixel((10, 10)) == pytest.approx((200, 30, 30), abs=3)


def test_jpeg_segments_are_removed_without_touching_the_picture():
    original = samples.jpeg_with_gps()

    cleaned = jpeg_without_metadata(original)

    # Everything from the first scan on is the same bytes.
    assert original.endswith(cleaned[cleaned.index(b"\xff\xda") :])
    assert b"Exif" not in cleaned
    with pytest.raises(CannotStrip):
        jpeg_without_metadata(b"not a jpeg")
    with pytest.raises(CannotStrip):
        jpeg_without_metadata(original[:30])


def test_a_password_protected_or_broken_pdf_is_refused():
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt("secret")
    output = io.BytesIO()
    writer.write(output)
    with pytest.raises(CannotStrip):
        strip(output.getvalue(), sniffing.PDF)
    with pytest.raises(CannotStrip):
        strip(b"%PDF-1.7\n garbage", sniffing.PDF)


def test_docx_loses_properties_comment_and_revision_authors_and_picture_gps():
    stored, kind = strip(samples.docx_with_author(), sniffing.DOCX)

    assert kind is sniffing.DOCX
    with zipfile.ZipFile(io.BytesIO(stored)) as archive:
        texts = {name: archive.read(name) for name in archive.namelist()}
    assert sniffing.sniff(stored) is sniffing.DOCX
    for name, content in texts.items():
        assert samples.AUTHOR.encode() not in content, name
        assert samples.MAKER.encode() not in content, name
    assert b"Budget 2567" in texts["word/document.xml"]
    with Image.open(io.BytesIO(texts["word/media/image1.jpeg"])) as picture:
        assert len(picture.getexif()) == 0


def test_odt_loses_its_creators():
    stored, kind = strip(samples.odt_with_author(), sniffing.ODT)
    with zipfile.ZipFile(io.BytesIO(stored)) as archive:
        # OpenDocument needs "mimetype" first and uncompressed.
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert all(samples.AUTHOR.encode() not in archive.read(n) for n in archive.namelist())
    assert kind is sniffing.ODT


def test_mp3_loses_id3_tags_and_keeps_its_frames():
    stored, kind = strip(samples.mp3_with_tags(), sniffing.MP3)
    assert kind is sniffing.MP3
    assert stored == samples.MP3_FRAME * 4


def test_wav_keeps_only_format_and_samples():
    original = samples.wav_with_info()
    stored, _kind = strip(original, sniffing.WAV)
    assert samples.AUTHOR.encode() not in stored
    assert b"\x01\x00" * 400 in stored
    assert int.from_bytes(stored[4:8], "little") == len(stored) - 8


@pytest.mark.parametrize("moov_first", [True, False])
def test_mp4_loses_location_and_chunk_offsets_still_point_at_the_samples(moov_first):
    original = samples.mp4_with_location(moov_first=moov_first)
    offset = samples.chunk_offset(original)
    assert original[offset : offset + 12] == samples.MEDIA_PAYLOAD[:12]
    assert samples.PLACE.encode() in original

    stored, kind = strip(original, sniffing.MP4)

    assert kind is sniffing.MP4
    assert samples.PLACE.encode() not in stored
    assert samples.MAKER.encode() not in stored
    assert b"udta" not in stored
    assert len(stored) < len(original)
    new_offset = samples.chunk_offset(stored)
    assert stored[new_offset : new_offset + len(samples.MEDIA_PAYLOAD)] == samples.MEDIA_PAYLOAD
    assert sniffing.sniff(stored) is sniffing.MP4


def test_truncated_media_is_refused_not_stored_as_sent():
    original = samples.mp4_with_location()
    with pytest.raises(CannotStrip):
        strip(original[: len(original) // 2], sniffing.MP4)
    with pytest.raises(CannotStrip):
        strip(samples.jpeg_with_gps()[:200], sniffing.JPEG)
    with pytest.raises(CannotStrip):
        strip(b"ID3\x03\x00\x00\x00\x00\x00\x05abcde", sniffing.MP3)


def test_pptx_comment_authors_are_blanked():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
        archive.writestr(
            "ppt/commentAuthors.xml",
            f'<p:cmAuthorLst><p:cmAuthor id="1" name="{samples.AUTHOR}" initials="SJ" '
            'lastIdx="1" clrIdx="0"/></p:cmAuthorLst>',
        )
        archive.writestr(
            "ppt/authors.xml",
            f'<p188:authorLst><p188:author id="{{1}}" name="{samples.AUTHOR}" initials="SJ" '
            'userId="somsri@example.org" providerId="AD"/></p188:authorLst>',
        )
    stored, _kind = strip(output.getvalue(), sniffing.PPTX)
    with zipfile.ZipFile(io.BytesIO(stored)) as archive:
        for name in archive.namelist():
            content = archive.read(name)
            assert samples.AUTHOR.encode() not in content
            assert b"somsri@example.org" not in content
