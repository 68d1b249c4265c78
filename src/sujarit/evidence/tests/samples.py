"""Real files made in the test, each carrying the identifying metadata a phone or an office
program would put in it: the author is "Somsri Jaidee", the place 13°41'20.5"N 101°4'3.25"E."""

from __future__ import annotations

import io
import struct
import zipfile

from PIL import Image

AUTHOR = "Somsri Jaidee"
MAKER = "SujaritCam"
PLACE = "+13.6890+101.0676/"


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = MAKER  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x013B] = AUTHOR  # Artist
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (13.0, 41.0, 20.5)
    gps[3] = "E"
    gps[4] = (101.0, 4.0, 3.25)
    return exif


def jpeg_with_gps() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(output, format="JPEG", exif=_exif())
    return output.getvalue()


def png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", AUTHOR)
    output = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 0, 200)).save(output, format="PNG", pnginfo=info)
    return output.getvalue()


def heic_with_gps() -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    output = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 200, 30)).save(output, format="HEIF", exif=_exif())
    return output.getvalue()


XMP = (
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{AUTHOR}</dc:creator>'
    '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def pdf_with_author(text: str = "") -> bytes:
    import pypdf
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": AUTHOR, "/Creator": f"{MAKER} Office"})
    xmp = DecodedStreamObject()
    xmp.set_data(XMP.encode())
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    if text:
        writer.add_metadata({"/Subject": text})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def pdf_with_photo() -> bytes:
    """A one-page PDF showing a phone photo embedded as it was taken: the JPEG file itself,
    its EXIF (maker, artist, GPS position) included, as scanners and "print to PDF" do."""
    import pypdf
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        StreamObject,
    )

    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(200, 150)
    photo = StreamObject()
    photo._data = jpeg_with_gps()
    photo.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(64),
            NameObject("/Height"): NumberObject(48),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): ArrayObject([NameObject("/DCTDecode")]),
        }
    )
    content = StreamObject()
    content._data = b"q 128 0 0 96 36 27 cm /Photo Do Q"
    page[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/XObject"): DictionaryObject(
                {NameObject("/Photo"): writer._add_object(photo)}
            )
        }
    )
    page[NameObject("/Contents")] = writer._add_object(content)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_with_author() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            "</Types>",
        )
        archive.writestr(
            "word/document.xml",
            f'<w:document {W}><w:body><w:p><w:ins w:id="1" w:author="{AUTHOR}" '
            'w:date="2024-01-01T00:00:00Z"><w:r><w:t>Budget 2567</w:t></w:r></w:ins>'
            "</w:p></w:body></w:document>",
        )
        archive.writestr(
            "word/comments.xml",
            f'<w:comments {W}><w:comment w:id="0" w:author="{AUTHOR}" w:initials="SJ">'
            "<w:p><w:r><w:t>see page 3</w:t></w:r></w:p></w:comment></w:comments>",
        )
        archive.writestr(
            "docProps/core.xml",
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:creator>{AUTHOR}</dc:creator><cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy>"
            "</cp:coreProperties>",
        )
        archive.writestr(
            "docProps/app.xml",
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'extended-properties"><Company>{MAKER} Co</Company><Manager>{AUTHOR}</Manager>'
            "</Properties>",
        )
        archive.writestr("word/media/image1.jpeg", jpeg_with_gps())
    return output.getvalue()


def odt_with_author() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "meta.xml",
            '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
            'office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0">'
            f"<office:meta><meta:initial-creator>{AUTHOR}</meta:initial-creator>"
            "</office:meta></office:document-meta>",
        )
        archive.writestr(
            "content.xml",
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
            'office:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:annotation>'
            f"<dc:creator>{AUTHOR}</dc:creator></office:annotation></office:document-content>",
        )
    return output.getvalue()


def _id3v2(text: str) -> bytes:
    payload = text.encode("latin-1")
    frame = b"TPE1" + struct.pack(">I", len(payload) + 1) + b"\x00\x00" + b"\x00" + payload
    size = len(frame)
    syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    return b"ID3\x03\x00\x00" + syncsafe + frame


#: One MPEG-1 Layer III frame header (128 kbit/s, 44.1 kHz) and its 417-byte frame.
MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 413


def mp3_with_tags() -> bytes:
    id3v1 = b"TAG" + AUTHOR.encode().ljust(30, b"\x00") + b"\x00" * 95
    return _id3v2(AUTHOR) + MP3_FRAME * 4 + id3v1


def wav_with_info() -> bytes:
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    samples = b"\x01\x00" * 400
    artist = AUTHOR.encode() + b"\x00"
    info = b"INFO" + b"IART" + struct.pack("<I", len(artist)) + artist
    body = (
        b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"LIST"
        + struct.pack("<I", len(info))
        + info
        + b"data"
        + struct.pack("<I", len(samples))
        + samples
    )
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(body), kind) + body


#: What the movie's only chunk holds, to find it again after the boxes have moved.
MEDIA_PAYLOAD = b"SAMPLE-DATA-" * 8


def mp4_with_location(*, brand: bytes = b"isom", moov_first: bool = True) -> bytes:
    """A movie whose ``moov/udta`` holds ``©xyz`` (where phones write the GPS position) and
    whose track's ``stco`` points at ``MEDIA_PAYLOAD`` in ``mdat``."""
    ftyp = _box(b"ftyp", brand + b"\x00\x00\x02\x00" + brand + b"mp41")
    location = PLACE.encode()
    xyz = _box(b"\xa9xyz", struct.pack(">HH", len(location), 0x15C7) + location)
    udta = _box(b"udta", xyz)
    meta = _box(b"meta", b"\x00\x00\x00\x00" + _box(b"hdlr", b"\x00" * 24) + MAKER.encode())
    hdlr = _box(b"hdlr", b"\x00" * 4 + b"\x00" * 4 + b"vide" + b"\x00" * 12 + b"\x00")

    def moov_with(offset: int) -> bytes:
        stco = _box(b"stco", b"\x00" * 4 + struct.pack(">II", 1, offset))
        stbl = _box(b"stbl", stco)
        minf = _box(b"minf", stbl)
        mdia = _box(b"mdia", hdlr + minf)
        trak = _box(b"trak", mdia + _box(b"udta", xyz))
        mvhd = _box(b"mvhd", b"\x00" * 100)
        return _box(b"moov", mvhd + trak + udta + meta)

    mdat = _box(b"mdat", MEDIA_PAYLOAD)
    if moov_first:
        size = len(moov_with(0))
        offset = len(ftyp) + size + 8
        return ftyp + moov_with(offset) + mdat
    offset = len(ftyp) + 8
    return ftyp + mdat + moov_with(offset)


def chunk_offset(data: bytes) -> int:
    """The first chunk offset of the first ``stco`` box in ``data``."""
    at = data.index(b"stco")
    return int(struct.unpack(">I", data[at + 12 : at + 16])[0])
