"""Removing text metadata from Ogg and WebM recordings, without touching the sound or picture.

**Ogg** (``ogg_without_comments``). An Ogg file is a sequence of pages; each logical stream
starts with header packets, and the second header of every codec a phone or browser writes
is a *comment header*: a vendor string and ``NAME=value`` comments (title, artist, a
location, anything the recording app chose). The comment header of each stream is replaced
by an empty one (no vendor, no comments), the header pages of that stream are laid out
again, and the stream's later pages are renumbered with their checksums recomputed. Audio
and video packets are copied byte for byte. Kinds handled: Vorbis, Opus, Speex and Theora;
a Skeleton stream (an index of the others) is dropped; any other kind of stream, a bad
checksum or a truncated page refuses the file.

**WebM** (``webm_without_metadata``). WebM is Matroska: nested EBML elements, each an ID, a
size and a payload. Elements that carry text are overwritten in place, so that no position
recorded elsewhere in the file (the seek index, the cues) moves:

- ``Tags``, ``Attachments`` (files carried inside, such as a cover photo) and ``Chapters``
  become ``Void`` elements of the same length, as do the seek entries that point to them;
- in ``Info``, the ``Title``, ``MuxingApp`` and ``WritingApp`` strings are filled with zero
  bytes (an empty string to every reader) and ``DateUTC`` becomes ``Void``;
- in each track, ``Name`` is filled with zero bytes, and a Vorbis track's comment header,
  which WebM keeps in the track's codec data, is rewritten at the same length with a vendor
  string of spaces and no comment.

Browsers' recorders write a segment and clusters of unknown size; a cluster of unknown size
ends where the next element that belongs to the segment begins. A file that does not parse
to its end is refused.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field


class UnreadableMedia(ValueError):
    """The recording does not parse as its format says; it is refused."""


# --- Ogg -----------------------------------------------------------------------------------

_CAPTURE = b"OggS"
_PAGE_HEADER = struct.Struct("<4sBBqIIiB")  # capture, version, flags, granule, serial, seq, crc, n
_CONTINUED, _FIRST, _LAST = 0x01, 0x02, 0x04
_MAX_SEGMENTS = 255
# Ogg's CRC-32 is the unreflected form of the polynomial zlib uses: reflect every byte, run
# zlib's CRC with a zero register and no final inversion, and reflect the 32-bit result.
_REFLECT = bytes(int(f"{byte:08b}"[::-1], 2) for byte in range(256))


def ogg_crc(page: bytes) -> int:
    """The checksum of an Ogg page whose checksum field holds zeros."""
    reflected = zlib.crc32(page.translate(_REFLECT), 0xFFFFFFFF) ^ 0xFFFFFFFF
    return int(f"{reflected:032b}"[::-1], 2)


@dataclass
class _Page:
    flags: int
    granule: int
    serial: int
    sequence: int
    lacing: bytes
    body: bytes
    #: The page as read from the file (empty for a new page).
    raw: bytes = b""

    def packets(self) -> list[tuple[bytes, bool]]:
        """The page's packet pieces in order, each with whether it ends on this page."""
        pieces: list[tuple[bytes, bool]] = []
        start = size = 0
        for value in self.lacing:
            size += value
            if value < 255:
                pieces.append((self.body[start : start + size], True))
                start += size
                size = 0
        if size:  # the page ends inside a packet (its last lacing value is 255)
            pieces.append((self.body[start : start + size], False))
        return pieces

    def encode(self) -> bytes:
        header = _PAGE_HEADER.pack(
            _CAPTURE, 0, self.flags, self.granule, self.serial, self.sequence, 0, len(self.lacing)
        )
        page = header + self.lacing + self.body
        return page[:22] + struct.pack("<I", ogg_crc(page)) + page[26:]


def _ogg_pages(data: bytes) -> list[_Page]:
    pages: list[_Page] = []
    position = 0
    while position < len(data):
        if data[position : position + 4] != _CAPTURE or len(data) < position + 27:
            raise UnreadableMedia("not an Ogg page where one should start")
        _, version, flags, granule, serial, sequence, crc, count = _PAGE_HEADER.unpack_from(
            data, position
        )
        if version != 0:
            raise UnreadableMedia("unknown Ogg page version")
        lacing = data[position + 27 : position + 27 + count]
        end = position + 27 + count + sum(lacing)
        if len(lacing) < count or end > len(data):
            raise UnreadableMedia("truncated Ogg page")
        raw = data[position:end]
        if ogg_crc(raw[:22] + b"\0\0\0\0" + raw[26:]) != crc & 0xFFFFFFFF:
            raise UnreadableMedia("Ogg page checksum does not match")
        pages.append(_Page(flags, granule, serial, sequence, lacing, raw[27 + count :], raw))
        position = end
    if not pages:
        raise UnreadableMedia("no Ogg pages")
    return pages


def _codec(first_packet: bytes) -> tuple[str, int]:
    """The kind of a logical stream from its first packet, and how many header packets it
    has (0 for a stream that is dropped)."""
    if first_packet.startswith(b"\x01vorbis"):
        return "vorbis", 3
    if first_packet.startswith(b"OpusHead"):
        return "opus", 2
    if first_packet.startswith(b"\x80theora"):
        return "theora", 3
    if first_packet.startswith(b"Speex   ") and len(first_packet) >= 72:
        (extra,) = struct.unpack_from("<i", first_packet, 68)
        if not 0 <= extra <= 16:
            raise UnreadableMedia("Speex header with an unlikely number of extra headers")
        return "speex", 2 + extra
    if first_packet.startswith(b"fishead\0"):
        return "skeleton", 0
    raise UnreadableMedia("an Ogg stream of a kind that cannot be checked")


#: The empty comment header of each kind: no vendor string, no comments.
_EMPTY_COMMENTS = {
    "vorbis": b"\x03vorbis" + bytes(8) + b"\x01",
    "opus": b"OpusTags" + bytes(8),
    "theora": b"\x81theora" + bytes(8),
    "speex": bytes(8),
}


@dataclass
class _Stream:
    codec: str
    headers: int
    packets: list[bytes] = field(default_factory=list)
    partial: bytes = b""
    #: Indexes (in the file) of the pages that carry header packets.
    header_pages: list[int] = field(default_factory=list)
    done: bool = False


def _lay_out(packets: list[bytes], serial: int, first_sequence: int) -> list[_Page]:
    """Header packets on new pages of at most 255 lacing values; the last page ends with the
    last packet. A page on which no packet ends has granule -1, the others 0 (as header pages
    have)."""
    pages: list[_Page] = []
    lacing, body = bytearray(), bytearray()
    starts_inside = ends_packet = False

    def flush() -> None:
        pages.append(
            _Page(
                _CONTINUED if starts_inside else 0,
                0 if ends_packet else -1,
                serial,
                first_sequence + len(pages),
                bytes(lacing),
                bytes(body),
            )
        )

    for packet in packets:
        values = [255] * (len(packet) // 255) + [len(packet) % 255]
        offset = 0
        for number, value in enumerate(values):
            if len(lacing) == _MAX_SEGMENTS:
                flush()
                lacing, body = bytearray(), bytearray()
                starts_inside, ends_packet = number > 0, False
            lacing.append(value)
            body += packet[offset : offset + value]
            offset += value
        ends_packet = True
    flush()
    return pages


def ogg_without_comments(data: bytes) -> bytes:
    """The Ogg file with every stream's comment header emptied (see the module's text)."""
    pages = _ogg_pages(data)
    streams: dict[int, _Stream] = {}
    # What to write in place of each page: the page itself, new pages, or nothing.
    replaced: dict[int, list[_Page]] = {}
    shift: dict[int, int] = {}
    for index, page in enumerate(pages):
        if page.flags & _FIRST:
            pieces = page.packets()
            if page.flags & _CONTINUED or not pieces or not pieces[0][1] or len(pieces) != 1:
                raise UnreadableMedia("the first page of an Ogg stream must hold one whole packet")
            codec, headers = _codec(pieces[0][0])
            streams[page.serial] = _Stream(codec, headers)
            shift[page.serial] = 0
            if codec == "skeleton":
                replaced[index] = []
                continue
            streams[page.serial].packets.append(pieces[0][0])
            continue
        stream = streams.get(page.serial)
        if stream is None:
            raise UnreadableMedia("an Ogg page of a stream that never began")
        if stream.codec == "skeleton":
            replaced[index] = []
            continue
        if stream.done:
            if shift[page.serial]:
                page.sequence += shift[page.serial]
                page.raw = b""
            continue
        # A header page: collect its packets.
        stream.header_pages.append(index)
        for piece, ends in page.packets():
            stream.partial += piece
            if ends:
                stream.packets.append(stream.partial)
                stream.partial = b""
        if len(stream.packets) > stream.headers or (
            len(stream.packets) == stream.headers and stream.partial
        ):
            raise UnreadableMedia("Ogg headers do not end their page")
        if len(stream.packets) == stream.headers:
            stream.done = True
            rest = list(stream.packets[1:])
            rest[0] = _EMPTY_COMMENTS[stream.codec]
            first = pages[stream.header_pages[0]].sequence
            new_pages = _lay_out(rest, page.serial, first)
            if any(pages[i].flags & _LAST for i in stream.header_pages):
                new_pages[-1].flags |= _LAST
            shift[page.serial] = len(new_pages) - len(stream.header_pages)
            replaced[stream.header_pages[0]] = new_pages
            for other in stream.header_pages[1:]:
                replaced[other] = []
    if any(not stream.done and stream.codec != "skeleton" for stream in streams.values()):
        raise UnreadableMedia("an Ogg stream ends inside its headers")
    out = bytearray()
    for index, page in enumerate(pages):
        if index in replaced:
            for new_page in replaced[index]:
                out += new_page.encode()
        else:
            out += page.raw or page.encode()
    return bytes(out)


# --- WebM (Matroska) -----------------------------------------------------------------------

_EBML_HEADER = 0x1A45DFA3
_SEGMENT = 0x18538067
_CLUSTER = 0x1F43B675
_SEEK_HEAD, _SEEK, _SEEK_ID = 0x114D9B74, 0x4DBB, 0x53AB
_INFO, _TRACKS, _TRACK_ENTRY = 0x1549A966, 0x1654AE6B, 0xAE
_TAGS, _ATTACHMENTS, _CHAPTERS = 0x1254C367, 0x1941A469, 0x1043A770
_CUES = 0x1C53BB6B
_VOID = 0xEC
#: Whole elements of the segment that carry text or files: they become Void.
_VOIDED = frozenset({_TAGS, _ATTACHMENTS, _CHAPTERS})
#: The elements a segment holds: where a cluster of unknown size ends.
_SEGMENT_CHILDREN = frozenset(
    {_SEEK_HEAD, _INFO, _TRACKS, _CLUSTER, _CUES, _TAGS, _ATTACHMENTS, _CHAPTERS, _VOID}
)
#: Strings in Info (Title, MuxingApp, WritingApp) and in a track (Name): zero-filled.
_INFO_STRINGS = frozenset({0x7BA9, 0x4D80, 0x5741})
_DATE_UTC = 0x4461
_TRACK_NAME = 0x536E
_CODEC_ID, _CODEC_PRIVATE = 0x86, 0x63A2


def _vint(data: bytes | bytearray, position: int, *, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at ``position``: (value, length). Element IDs keep
    their length marker; sizes do not, and a size of all ones is "unknown" (-1)."""
    if position >= len(data):
        raise UnreadableMedia("truncated WebM element")
    first = data[position]
    length = 9 - first.bit_length() if first else 0
    if not 1 <= length <= 8 or position + length > len(data):
        raise UnreadableMedia("bad EBML number")
    value = int.from_bytes(data[position : position + length], "big")
    if keep_marker:
        return value, length
    value &= (1 << (7 * length)) - 1
    if value == (1 << (7 * length)) - 1:
        return -1, length
    return value, length


@dataclass
class _Element:
    id: int
    start: int
    payload: int
    end: int  # -1 while the size is unknown


def _element(data: bytearray, position: int) -> _Element:
    element_id, id_length = _vint(data, position, keep_marker=True)
    size, size_length = _vint(data, position + id_length, keep_marker=False)
    payload = position + id_length + size_length
    end = -1 if size < 0 else payload + size
    if end > len(data):
        raise UnreadableMedia("WebM element runs past the end of the file")
    return _Element(element_id, position, payload, end)


def _children(data: bytearray, parent: _Element) -> list[_Element]:
    """The children of an element of known size."""
    children = []
    position = parent.payload
    while position < parent.end:
        child = _element(data, position)
        if child.end < 0 or child.end > parent.end:
            raise UnreadableMedia("WebM element larger than its parent")
        children.append(child)
        position = child.end
    return children


def _void(data: bytearray, start: int, end: int) -> None:
    """Overwrite ``data[start:end]`` with one Void element of exactly that length."""
    length = end - start
    if length < 2:
        raise UnreadableMedia("WebM element too short to blank")
    payload = length - 2
    if payload < 127:
        header = bytes([_VOID, 0x80 | payload])
    else:
        payload = length - 9
        header = bytes([_VOID, 0x01]) + payload.to_bytes(7, "big")
    data[start:end] = header + bytes(payload)


def _zero(data: bytearray, element: _Element) -> None:
    data[element.payload : element.end] = bytes(element.end - element.payload)


def _cluster_end(data: bytearray, cluster: _Element, limit: int) -> int:
    """Where a cluster of unknown size ends: at the next element the segment holds."""
    position = cluster.payload
    while position < limit:
        element_id, _ = _vint(data, position, keep_marker=True)
        if element_id in _SEGMENT_CHILDREN or element_id == _EBML_HEADER:
            break
        child = _element(data, position)
        if child.end < 0:
            raise UnreadableMedia("WebM block of unknown size")
        position = child.end
    if position > limit:
        raise UnreadableMedia("WebM cluster runs past its segment")
    return position


def _blank_track(data: bytearray, entry: _Element) -> None:
    """A track's name, and for Vorbis the comment header its codec data carries."""
    items = _children(data, entry)
    codec = next((bytes(data[i.payload : i.end]) for i in items if i.id == _CODEC_ID), b"")
    for item in items:
        if item.id == _TRACK_NAME:
            _zero(data, item)
        elif item.id == _CODEC_PRIVATE and codec.rstrip(b"\0") == b"A_VORBIS":
            _blank_vorbis_comments(data, item.payload, item.end)


def _blank_vorbis_comments(data: bytearray, start: int, end: int) -> None:
    """Vorbis in WebM keeps its three header packets in the track's codec data (Xiph
    lacing). The comment header is rewritten in place, at the same length: a vendor string
    of spaces and no comment."""
    count = data[start] + 1 if start < end else 0
    if count != 3:
        raise UnreadableMedia("Vorbis codec data without its three headers")
    position = start + 1
    sizes = []
    for _ in range(count - 1):
        size = 0
        while position < end and data[position] == 255:
            size += 255
            position += 1
        if position >= end:
            raise UnreadableMedia("truncated Vorbis codec data")
        size += data[position]
        position += 1
        sizes.append(size)
    comment_start = position + sizes[0]
    comment_end = comment_start + sizes[1]
    length = sizes[1]
    if comment_end > end or length < 16 or data[comment_start : comment_start + 7] != b"\x03vorbis":
        raise UnreadableMedia("Vorbis codec data without a comment header")
    vendor = length - 16
    data[comment_start:comment_end] = (
        b"\x03vorbis" + struct.pack("<I", vendor) + b" " * vendor + bytes(4) + b"\x01"
    )


def _blank_segment(data: bytearray, segment: _Element) -> int:
    """Blank what the segment's children carry; returns where the segment ends."""
    limit = len(data) if segment.end < 0 else segment.end
    position = segment.payload
    while position < limit:
        child = _element(data, position)
        if child.end < 0:
            if child.id != _CLUSTER:
                raise UnreadableMedia("WebM element of unknown size")
            child.end = _cluster_end(data, child, limit)
        elif child.end > limit:
            raise UnreadableMedia("WebM element larger than its segment")
        if child.id in _VOIDED:
            _void(data, child.start, child.end)
        elif child.id == _INFO:
            for item in _children(data, child):
                if item.id in _INFO_STRINGS:
                    _zero(data, item)
                elif item.id == _DATE_UTC:
                    _void(data, item.start, item.end)
        elif child.id == _TRACKS:
            for entry in _children(data, child):
                if entry.id == _TRACK_ENTRY:
                    _blank_track(data, entry)
        elif child.id == _SEEK_HEAD:
            for seek in _children(data, child):
                if seek.id != _SEEK:
                    continue
                for item in _children(data, seek):
                    if item.id == _SEEK_ID:
                        target, _ = _vint(bytes(data[item.payload : item.end]), 0, keep_marker=True)
                        if target in _VOIDED:
                            _void(data, seek.start, seek.end)
                        break
        position = child.end
    return limit


def webm_without_metadata(data: bytes) -> bytes:
    """The WebM file with its text metadata blanked in place (see the module's text)."""
    out = bytearray(data)
    position = 0
    segments = 0
    while position < len(out):
        element = _element(out, position)
        if element.id == _EBML_HEADER and element.end > 0:
            position = element.end
        elif element.id == _SEGMENT:
            position = _blank_segment(out, element)
            segments += 1
        elif element.id == _VOID and element.end > 0:
            position = element.end
        else:
            raise UnreadableMedia("unexpected element at the top of a WebM file")
    if not segments:
        raise UnreadableMedia("no segment in the WebM file")
    return bytes(out)
