"""Removing what could identify the sender from an evidence file, before it is stored.

``strip(data, kind)`` returns the file as it will be stored, and the kind it is stored as
(a HEIC photo becomes a JPEG). It raises ``CannotStrip`` for a file it cannot read: such a
file is refused, never stored as it came. What each format loses (and what it keeps) is
listed in docs/evidence.md:

- images: decoded and written again from the pixels alone (``sujarit.lib.media``): no EXIF,
  GPS, maker notes, XMP, ICC profile or text chunks survive;
- PDF: the document information dictionary (author, creator, producer, dates), the XMP
  metadata streams of the document, its pages and its images, and the EXIF, XMP, ICC and
  comment segments of photos embedded as JPEG (the pictures themselves are kept as they are);
- OOXML (docx, xlsx, pptx): the core, extended and custom properties (author, last modified
  by, company, manager, dates), the authors of comments and of tracked changes, and the
  metadata of embedded JPEG and PNG pictures;
- OpenDocument: meta.xml (initial creator, creator, dates, statistics, user fields) and the
  creators of annotations and tracked changes;
- MP3: ID3v1, ID3v2 and APE tags;
- WAV: every chunk but the format, the samples and the sample count (LIST/INFO, bext,
  iXML, XMP, ID3 chunks go);
- MP4, M4A, MOV, 3GP: the ``udta`` and ``meta`` boxes of the movie and of its tracks (where
  phones write the GPS position ``©xyz``, the make and the model), top-level ``meta``,
  ``udta`` and XMP ``uuid`` boxes, and timed-metadata tracks; chunk offsets are corrected.
- Ogg (Vorbis, Opus, Speex, Theora): the comment header of every stream, emptied; WebM: tags,
  attachments, chapters, title, muxing and writing application, date and track names,
  blanked in place (``sujarit.evidence.streams``).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable
from typing import Any

from sujarit.evidence import sniffing
from sujarit.evidence.sniffing import FileKind
from sujarit.evidence.streams import UnreadableMedia, ogg_without_comments, webm_without_metadata
from sujarit.lib.media import UnsupportedImage, heif_to_jpeg, strip_image_metadata

#: Uncompressed size above which an office document is refused (a "zip bomb" would
#: otherwise cost memory), and the most members it may have.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 5_000


class CannotStrip(ValueError):
    """The file cannot be read well enough to remove its metadata: it is refused."""


def strip(data: bytes, kind: FileKind) -> tuple[bytes, FileKind]:
    """The file without identifying metadata, and its kind as stored."""
    stripper = _STRIPPERS.get(kind.code)
    if stripper is None:
        raise CannotStrip(kind.code)
    try:
        return stripper(data)
    except CannotStrip:
        raise
    except (UnsupportedImage, UnreadableMedia) as error:
        raise CannotStrip(str(error)) from error
    except (
        ValueError,
        KeyError,
        IndexError,
        OSError,
        EOFError,
        struct.error,
        zipfile.BadZipFile,
        RecursionError,
    ) as error:
        raise CannotStrip(f"{kind.code} could not be read") from error


# --- images --------------------------------------------------------------------------------


def _image(kind: FileKind) -> Callable[[bytes], tuple[bytes, FileKind]]:
    return lambda data: (strip_image_metadata(data), kind)


def _heic(data: bytes) -> tuple[bytes, FileKind]:
    # A HEIC photo is stored as a JPEG of its pixels: every viewer opens it, and the HEIF
    # container's own metadata (EXIF, XMP, depth maps, thumbnails) is gone with it.
    return heif_to_jpeg(data), sniffing.JPEG


# --- PDF -----------------------------------------------------------------------------------


def _pdf(data: bytes) -> tuple[bytes, FileKind]:
    import pypdf
    from pypdf.errors import PyPdfError
    from pypdf.generic import NameObject, StreamObject

    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise CannotStrip("the PDF is protected by a password")
        writer = pypdf.PdfWriter(clone_from=reader)
        # No document information dictionary at all (pypdf would otherwise add a Producer).
        writer.metadata = None
        writer._root_object.pop(NameObject("/Metadata"), None)
        writer._root_object.pop(NameObject("/PieceInfo"), None)
        for page in writer.pages:
            page.pop(NameObject("/Metadata"), None)
            page.pop(NameObject("/PieceInfo"), None)
        for obj in writer._objects:
            if isinstance(obj, StreamObject):
                _pdf_stream(obj)
        # Cloning copies every object of the file, reachable or not: drop the ones nothing
        # refers to any more (the old information dictionary and XMP streams among them).
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        output = io.BytesIO()
        writer.write(output)
    except PyPdfError as error:
        raise CannotStrip("the PDF could not be read") from error
    return output.getvalue(), sniffing.PDF


def _pdf_stream(stream: Any) -> None:
    """Remove the XMP of an image or form, and the EXIF of a photo embedded as JPEG."""
    from pypdf.generic import NameObject

    stream.pop(NameObject("/Metadata"), None)
    stream.pop(NameObject("/PieceInfo"), None)
    if stream.get("/Subtype") != "/Image":
        return
    filters = stream.get("/Filter")
    if filters == "/DCTDecode" or (isinstance(filters, list) and list(filters) == ["/DCTDecode"]):
        # A photo pasted into a PDF is usually the camera's JPEG file as it was, EXIF and GPS
        # included: its metadata segments go, the compressed picture is kept bit for bit.
        stream._data = jpeg_without_metadata(stream._data)


#: JPEG markers kept before the first scan: APP0 (JFIF) and APP14 (Adobe: how to read the
#: colours), the tables and the frame header. APP1 (EXIF, XMP), APP2 (ICC profile, FlashPix),
#: APP3-APP13 (maker data, IPTC), APP15 and comments go.
_APP0, _APP14, _COM = 0xE0, 0xEE, 0xFE


def jpeg_without_metadata(data: bytes) -> bytes:
    """``data`` (a JPEG file) without its metadata segments, the picture untouched. Raises
    ``CannotStrip`` for bytes that are not a well-formed JPEG up to its first scan."""
    if data[:2] != b"\xff\xd8":
        raise CannotStrip("an embedded picture is not a JPEG")
    kept = [data[:2]]
    at = 2
    while True:
        # Markers may be padded with any number of 0xFF bytes.
        while at < len(data) and data[at] == 0xFF and at + 1 < len(data) and data[at + 1] == 0xFF:
            at += 1
        if at + 4 > len(data) or data[at] != 0xFF:
            raise CannotStrip("an embedded JPEG ends before its picture")
        marker = data[at + 1]
        if marker == 0xDA:  # start of scan: the rest is the picture itself
            kept.append(data[at:])
            return b"".join(kept)
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        end = at + 2 + length
        if length < 2 or end > len(data):
            raise CannotStrip("an embedded JPEG has a broken segment")
        metadata = (0xE0 <= marker <= 0xEF and marker not in (_APP0, _APP14)) or marker == _COM
        if not metadata:
            kept.append(data[at:end])
        at = end


# --- office documents (ZIP packages) -------------------------------------------------------

_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
)
_EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"/>'
)
_EMPTY_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'custom-properties"/>'
)
_EMPTY_ODF_META = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'office:version="1.2"><office:meta/></office:document-meta>'
)

# Who wrote a comment or a tracked change, in Word, Excel, PowerPoint and OpenDocument.
_AUTHOR_ATTRIBUTES = re.compile(
    rb'\b((?:w|w15|w16cid|w16cex):(?:author|initials|userId|providerId)|authorId)="[^"]*"'
)
_XL_AUTHOR = re.compile(rb"<author>[^<]*</author>")
_XL_PERSON = re.compile(rb'\b(displayName|userId|providerId)="[^"]*"')
_PPT_AUTHOR = re.compile(rb"<(?:p:cmAuthor|p188:author)\b[^>]*>")
_PPT_AUTHOR_FIELDS = re.compile(rb'\b(name|initials|userId|providerId)="[^"]*"')
_DC_CREATOR = re.compile(rb"<dc:creator>[^<]*</dc:creator>")
_ODF_INITIALS = re.compile(rb"<meta:creator-initials>[^<]*</meta:creator-initials>")
_PICTURE = re.compile(r"\.(jpe?g|png)$", re.IGNORECASE)


def _blank(pattern: re.Pattern[bytes], text: bytes) -> bytes:
    return pattern.sub(lambda match: match.group(1) + b'=""', text)


def _ooxml_member(name: str, data: bytes) -> bytes | None:
    lower = name.lower()
    if lower == "docprops/core.xml":
        return _EMPTY_CORE
    if lower == "docprops/app.xml":
        return _EMPTY_APP
    if lower == "docprops/custom.xml":
        return _EMPTY_CUSTOM
    if lower.endswith(".xml") and lower.startswith(("word/", "xl/", "ppt/")):
        data = _blank(_AUTHOR_ATTRIBUTES, data)
        if lower.startswith("xl/"):
            data = _XL_AUTHOR.sub(b"<author></author>", data)
            if lower.startswith("xl/persons/"):
                data = _blank(_XL_PERSON, data)
        if lower.startswith("ppt/"):
            data = _PPT_AUTHOR.sub(lambda match: _blank(_PPT_AUTHOR_FIELDS, match.group(0)), data)
        return data
    return _picture(name, data)


def _odf_member(name: str, data: bytes) -> bytes | None:
    if name == "meta.xml":
        return _EMPTY_ODF_META
    if name.endswith(".xml"):
        data = _DC_CREATOR.sub(b"<dc:creator></dc:creator>", data)
        return _ODF_INITIALS.sub(b"<meta:creator-initials></meta:creator-initials>", data)
    return _picture(name, data)


def _picture(name: str, data: bytes) -> bytes:
    # A photo pasted into a document keeps its EXIF (GPS included) inside the package.
    if _PICTURE.search(name) and sniffing.sniff(data) in (sniffing.JPEG, sniffing.PNG):
        return strip_image_metadata(data)
    return data


def _rezip(
    data: bytes, kind: FileKind, member: Callable[[str, bytes], bytes | None]
) -> tuple[bytes, FileKind]:
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        infos = source.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise CannotStrip("the document has too many parts")
        if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
            raise CannotStrip("the document is too large once unpacked")
        with zipfile.ZipFile(output, "w") as target:
            for info in infos:
                content = member(info.filename, source.read(info))
                if content is None:
                    continue
                # A fresh entry: no original timestamps, comments or "extra" fields (which
                # can hold the creating machine's user and group ids).
                entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type = info.compress_type
                entry.external_attr = 0o644 << 16
                target.writestr(entry, content)
    return output.getvalue(), kind


def _ooxml(kind: FileKind) -> Callable[[bytes], tuple[bytes, FileKind]]:
    return lambda data: _rezip(data, kind, _ooxml_member)


def _odf(kind: FileKind) -> Callable[[bytes], tuple[bytes, FileKind]]:
    return lambda data: _rezip(data, kind, _odf_member)


# --- audio ---------------------------------------------------------------------------------


def _syncsafe(raw: bytes) -> int:
    return (raw[0] << 21) | (raw[1] << 14) | (raw[2] << 7) | raw[3]


def _mp3(data: bytes) -> tuple[bytes, FileKind]:
    # ID3v2 tags at the start (there may be several in a row).
    while data.startswith(b"ID3"):
        if len(data) < 10:
            raise CannotStrip("truncated ID3 tag")
        footer = 10 if data[5] & 0x10 else 0
        data = data[10 + _syncsafe(data[6:10]) + footer :]
    # Tags at the end, in any order: ID3v1 (128 bytes), an ID3v2.4 appended tag (footer
    # "3DI"), an APE tag (footer "APETAGEX").
    changed = True
    while changed:
        changed = False
        if len(data) >= 128 and data[-128:-125] == b"TAG":
            data, changed = data[:-128], True
        if len(data) >= 10 and data[-10:-7] == b"3DI":
            data, changed = data[: -(20 + _syncsafe(data[-4:]))], True
        if len(data) >= 32 and data[-32:-24] == b"APETAGEX":
            size, flags = struct.unpack("<II", data[-20:-12])
            header = 32 if flags & 0x80000000 else 0
            data, changed = data[: -(size + header)], True
    if sniffing.sniff(data) is not sniffing.MP3 or data.startswith(b"ID3"):
        raise CannotStrip("no MPEG audio after the tags")
    return data, sniffing.MP3


_WAV_KEPT_CHUNKS = frozenset({b"fmt ", b"data", b"fact"})


def _wav(data: bytes) -> tuple[bytes, FileKind]:
    (riff_size,) = struct.unpack("<I", data[4:8])
    end = min(len(data), 8 + riff_size)
    position = 12
    chunks: list[bytes] = []
    while position + 8 <= end:
        chunk_id = data[position : position + 4]
        (size,) = struct.unpack("<I", data[position + 4 : position + 8])
        stop = position + 8 + size
        if stop > end:
            raise CannotStrip("truncated WAV chunk")
        if chunk_id in _WAV_KEPT_CHUNKS:
            chunks.append(data[position:stop] + (b"\x00" if size % 2 else b""))
        position = stop + (size % 2)
    if not any(chunk.startswith(b"data") for chunk in chunks):
        raise CannotStrip("no samples in the WAV file")
    body = b"WAVE" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body, sniffing.WAV


def _ogg(data: bytes) -> tuple[bytes, FileKind]:
    return ogg_without_comments(data), sniffing.OGG


def _webm(data: bytes) -> tuple[bytes, FileKind]:
    return webm_without_metadata(data), sniffing.WEBM


# --- ISO base media (MP4, M4A, MOV, 3GP) ---------------------------------------------------

#: Boxes that only contain other boxes, and that we walk into.
_CONTAINERS = frozenset({b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf"})
#: Boxes removed wherever they are inside the movie: user data and metadata.
_METADATA_BOXES = frozenset({b"udta", b"meta"})
#: XMP packets in a ``uuid`` box (Adobe's UUID).
_XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")


class _Box:
    def __init__(self, kind: bytes, start: int, header: int, end: int) -> None:
        self.kind = kind
        self.start = start
        self.header = header
        self.end = end


def _boxes(data: bytes, start: int, end: int) -> list[_Box]:
    boxes: list[_Box] = []
    position = start
    while position < end:
        if position + 8 > end:
            raise CannotStrip("truncated box")
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        header = 8
        if size == 1:
            if position + 16 > end:
                raise CannotStrip("truncated box")
            (size,) = struct.unpack(">Q", data[position + 8 : position + 16])
            header = 16
        elif size == 0:
            size = end - position
        if size < header or position + size > end:
            raise CannotStrip("a box runs past its container")
        boxes.append(_Box(kind, position, header, position + size))
        position += size
    return boxes


def _handler_type(data: bytes, trak: _Box) -> bytes:
    for mdia in _boxes(data, trak.start + trak.header, trak.end):
        if mdia.kind == b"mdia":
            for box in _boxes(data, mdia.start + mdia.header, mdia.end):
                if box.kind == b"hdlr":
                    # version/flags (4), pre_defined (4), handler_type (4)
                    return data[box.start + box.header + 8 : box.start + box.header + 12]
    return b""


def _rebuild(data: bytes, box: _Box, removed: list[tuple[int, int]]) -> bytes:
    """``box`` written again without the metadata boxes inside it; the byte ranges removed
    (in the original file) are added to ``removed``."""
    if box.kind not in _CONTAINERS:
        return data[box.start : box.end]
    parts: list[bytes] = []
    for child in _boxes(data, box.start + box.header, box.end):
        drop = child.kind in _METADATA_BOXES or (
            child.kind == b"trak" and _handler_type(data, child) == b"meta"
        )
        if drop:
            removed.append((child.start, child.end))
        else:
            parts.append(_rebuild(data, child, removed))
    body = b"".join(parts)
    if box.header == 16:
        return struct.pack(">I4sQ", 1, box.kind, 16 + len(body)) + body
    # The box only shrinks, so a 32-bit size still fits.
    return struct.pack(">I4s", 8 + len(body), box.kind) + body


def _shift(offset: int, removed: list[tuple[int, int]]) -> int:
    return offset - sum(end - start for start, end in removed if end <= offset)


def _fix_chunk_offsets(moov: bytearray, removed: list[tuple[int, int]]) -> None:
    """Chunk offsets (``stco``, ``co64``) are positions in the file: when bytes before the
    media data go, every offset after them moves back by as much."""
    if not removed:
        return
    data = bytes(moov)

    def walk(start: int, end: int) -> None:
        for box in _boxes(data, start, end):
            if box.kind in _CONTAINERS:
                walk(box.start + box.header, box.end)
            elif box.kind in (b"stco", b"co64"):
                body = box.start + box.header
                (count,) = struct.unpack(">I", data[body + 4 : body + 8])
                width, fmt = (4, ">I") if box.kind == b"stco" else (8, ">Q")
                if body + 8 + count * width > box.end:
                    raise CannotStrip("truncated chunk offset table")
                for index in range(count):
                    at = body + 8 + index * width
                    (offset,) = struct.unpack(fmt, data[at : at + width])
                    struct.pack_into(fmt, moov, at, _shift(offset, removed))

    (top,) = _boxes(data, 0, len(data))
    walk(top.start + top.header, top.end)


def _iso_media(kind: FileKind) -> Callable[[bytes], tuple[bytes, FileKind]]:
    def strip_boxes(data: bytes) -> tuple[bytes, FileKind]:
        top = _boxes(data, 0, len(data))
        if not any(box.kind == b"moov" for box in top):
            raise CannotStrip("no movie box")
        removed: list[tuple[int, int]] = []
        rebuilt: list[tuple[_Box, bytes]] = []
        for box in top:
            if box.kind in _METADATA_BOXES or (
                box.kind == b"uuid" and data[box.start + 8 : box.start + 24] == _XMP_UUID
            ):
                removed.append((box.start, box.end))
            elif box.kind == b"moov":
                rebuilt.append((box, _rebuild(data, box, removed)))
            else:
                rebuilt.append((box, data[box.start : box.end]))
        if removed and any(box.kind in (b"moof", b"sidx", b"mfra") for box in top):
            # Fragmented files address their samples in ways we do not rewrite.
            raise CannotStrip("fragmented media with metadata")
        parts: list[bytes] = []
        for box, content in rebuilt:
            if box.kind == b"moov":
                moov = bytearray(content)
                _fix_chunk_offsets(moov, removed)
                content = bytes(moov)
            parts.append(content)
        return b"".join(parts), kind

    return strip_boxes


_STRIPPERS: dict[str, Callable[[bytes], tuple[bytes, FileKind]]] = {
    "jpeg": _image(sniffing.JPEG),
    "png": _image(sniffing.PNG),
    "heic": _heic,
    "pdf": _pdf,
    "docx": _ooxml(sniffing.DOCX),
    "xlsx": _ooxml(sniffing.XLSX),
    "pptx": _ooxml(sniffing.PPTX),
    "odt": _odf(sniffing.ODT),
    "ods": _odf(sniffing.ODS),
    "odp": _odf(sniffing.ODP),
    "mp3": _mp3,
    "wav": _wav,
    "ogg": _ogg,
    "webm": _webm,
    "m4a": _iso_media(sniffing.M4A),
    "mp4": _iso_media(sniffing.MP4),
    "mov": _iso_media(sniffing.MOV),
    "3gp": _iso_media(sniffing.THREE_GP),
}
