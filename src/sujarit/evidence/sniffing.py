"""What kind of file an upload is, decided from its content alone.

The file name and the content type the browser sends are chosen by the sender and say
nothing reliable; the first bytes ("magic numbers") and, for the formats built on ZIP or
on ISO boxes, the structure behind them, do. Only the kinds listed in ``KINDS`` are
accepted: images (JPEG, PNG, HEIC), PDF, office documents (OOXML and OpenDocument) and
short audio or video recordings. Anything else is refused.

Pure Python (``zipfile`` only), so that it can be tested and reasoned about on its own.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    #: Short stable name, stored on the row (``EvidenceFile.kind``).
    code: str
    #: The content type the file is served with.
    content_type: str
    #: The extension of the generic name the file is downloaded under.
    extension: str
    #: image, document, audio or video: how the file is described on pages.
    family: str


def _kind(code: str, content_type: str, extension: str, family: str) -> FileKind:
    return FileKind(code, content_type, extension, family)


JPEG = _kind("jpeg", "image/jpeg", "jpg", "image")
PNG = _kind("png", "image/png", "png", "image")
HEIC = _kind("heic", "image/heic", "heic", "image")
PDF = _kind("pdf", "application/pdf", "pdf", "document")
_OOXML = "application/vnd.openxmlformats-officedocument"
DOCX = _kind("docx", f"{_OOXML}.wordprocessingml.document", "docx", "document")
XLSX = _kind("xlsx", f"{_OOXML}.spreadsheetml.sheet", "xlsx", "document")
PPTX = _kind("pptx", f"{_OOXML}.presentationml.presentation", "pptx", "document")
_ODF = "application/vnd.oasis.opendocument"
ODT = _kind("odt", f"{_ODF}.text", "odt", "document")
ODS = _kind("ods", f"{_ODF}.spreadsheet", "ods", "document")
ODP = _kind("odp", f"{_ODF}.presentation", "odp", "document")
MP3 = _kind("mp3", "audio/mpeg", "mp3", "audio")
M4A = _kind("m4a", "audio/mp4", "m4a", "audio")
OGG = _kind("ogg", "audio/ogg", "ogg", "audio")
WAV = _kind("wav", "audio/wav", "wav", "audio")
MP4 = _kind("mp4", "video/mp4", "mp4", "video")
MOV = _kind("mov", "video/quicktime", "mov", "video")
THREE_GP = _kind("3gp", "video/3gpp", "3gp", "video")
WEBM = _kind("webm", "video/webm", "webm", "video")

KINDS: dict[str, FileKind] = {
    kind.code: kind
    for kind in (
        JPEG,
        PNG,
        HEIC,
        PDF,
        DOCX,
        XLSX,
        PPTX,
        ODT,
        ODS,
        ODP,
        MP3,
        M4A,
        OGG,
        WAV,
        MP4,
        MOV,
        THREE_GP,
        WEBM,
    )
}

#: ISO base media ("ftyp") brands, major or compatible, and the kind they make a file.
#: HEIF image brands come first: a HEIC photo often lists ``mif1`` and ``heic`` only.
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})
#: AVIF pictures share HEIF's container and brands ("mif1") but not its codec.
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_M4A_BRANDS = frozenset({b"M4A ", b"M4B "})
_QUICKTIME_BRANDS = frozenset({b"qt  "})
_3GP_PREFIXES = (b"3gp", b"3g2")
_MP4_BRANDS = frozenset(
    {
        b"isom",
        b"iso2",
        b"iso3",
        b"iso4",
        b"iso5",
        b"iso6",
        b"mp41",
        b"mp42",
        b"avc1",
        b"M4V ",
        b"M4VP",
        b"dash",
        b"MSNV",
        b"f4v ",
    }
)

_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
    b"application/vnd.oasis.opendocument.presentation": ODP,
}
_OOXML_MAIN_PARTS = (
    ("word/document.xml", DOCX),
    ("xl/workbook.xml", XLSX),
    ("ppt/presentation.xml", PPTX),
)


def sniff(data: bytes) -> FileKind | None:
    """The kind of ``data`` by its content, or ``None`` for anything not accepted."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return _sniff_ftyp(data)
    if data.startswith(b"ID3") or _is_mpeg_audio_frame(data):
        return MP3
    if data.startswith(b"OggS"):
        return OGG
    if data.startswith(b"RIFF") and data[8:12] == b"WAVE":
        return WAV
    if data.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in data[:64]:
        return WEBM
    return None


def _is_mpeg_audio_frame(data: bytes) -> bool:
    # An MPEG audio frame header: 11 set sync bits, a version that is not "reserved" (01), a
    # layer that is not "reserved" (00, which is also how AAC's ADTS header reads), and a
    # bitrate index that is neither "free" nor "bad".
    if len(data) < 4 or data[0] != 0xFF or data[1] & 0xE0 != 0xE0:
        return False
    version = (data[1] >> 3) & 0b11
    layer = (data[1] >> 1) & 0b11
    bitrate = data[2] >> 4
    return version != 0b01 and layer != 0 and bitrate not in (0, 0b1111)


def _sniff_ftyp(data: bytes) -> FileKind | None:
    (size,) = struct.unpack(">I", data[:4])
    if size < 16 or size > 4096 or size > len(data):
        return None
    major = data[8:12]
    if major in _AVIF_BRANDS:
        return None
    brands = [major] + [data[i : i + 4] for i in range(16, size - 3, 4)]
    if any(brand in _HEIF_BRANDS for brand in brands) and major not in _MP4_BRANDS:
        return HEIC
    if major in _M4A_BRANDS:
        return M4A
    if major in _QUICKTIME_BRANDS:
        return MOV
    if major.startswith(_3GP_PREFIXES):
        return THREE_GP
    if any(brand in _MP4_BRANDS for brand in brands):
        return MP4
    if any(brand in _M4A_BRANDS for brand in brands):
        return M4A
    return None


def _sniff_zip(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                if archive.getinfo("mimetype").file_size > 200:
                    return None
                return _ODF_TYPES.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                for part, kind in _OOXML_MAIN_PARTS:
                    if part in names:
                        return kind
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        return None
    return None
