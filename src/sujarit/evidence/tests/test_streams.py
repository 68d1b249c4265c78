"""Ogg and WebM recordings lose their text metadata; the sound is copied byte for byte.

The files in ``media/`` were made by real encoders (see ``media/README.md``) and carry a
title, an artist, a place and a telephone number, as a recording app could write them.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import NamedTuple

import pytest

from sujarit.evidence import sniffing
from sujarit.evidence.streams import _lay_out, _Page
from sujarit.evidence.stripping import CannotStrip, strip

MEDIA = Path(__file__).parent / "media"
# What the sample files carry that could identify whoever recorded them.
IDENTIFYING = [
    "สมชาย".encode(),
    b"LOCATION",
    b"13.6904",
    b"0812345678",
    b"libVorbis",
    b"libopus",
    b"ENCODER",
    b"mkvmerge",
    b"libebml",
]


def _crc(data: bytes) -> int:
    """Ogg's CRC-32 computed bit by bit (independent of the code under test)."""
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    return crc


class Page(NamedTuple):
    flags: int
    granule: int
    serial: int
    sequence: int
    lacing: bytes
    body: bytes


def _pages(data: bytes) -> list[Page]:
    """Every page of an Ogg file, checking its checksum."""
    pages = []
    position = 0
    while position < len(data):
        assert data[position : position + 4] == b"OggS"
        flags, granule, serial, sequence, crc, count = struct.unpack_from(
            "<BqIIIB", data, position + 5
        )
        lacing = data[position + 27 : position + 27 + count]
        end = position + 27 + count + sum(lacing)
        raw = data[position:end]
        assert _crc(raw[:22] + b"\0\0\0\0" + raw[26:]) == crc
        pages.append(Page(flags, granule, serial, sequence, lacing, raw[27 + count :]))
        position = end
    return pages


def _packets(pages: list[Page]) -> list[bytes]:
    packets, partial = [], b""
    for page in pages:
        start = 0
        for value in page.lacing:
            partial += page.body[start : start + value]
            start += value
            if value < 255:
                packets.append(partial)
                partial = b""
    return packets


@pytest.mark.parametrize(
    ("name", "comment_magic"),
    [("tagged-vorbis.ogg", b"\x03vorbis"), ("tagged-opus.opus", b"OpusTags")],
)
def test_ogg_loses_its_comments_and_keeps_every_sound_packet(name, comment_magic):
    original = (MEDIA / name).read_bytes()
    assert all(text in original for text in IDENTIFYING[:3])

    assert sniffing.sniff(original) is sniffing.OGG
    stored, kind = strip(original, sniffing.OGG)

    assert kind is sniffing.OGG
    assert not [text for text in IDENTIFYING if text in stored]
    before, after = _pages(original), _pages(stored)  # every checksum is right
    packets_before, packets_after = _packets(before), _packets(after)
    # Same packets, but for the comment header, which is now empty.
    assert len(packets_after) == len(packets_before)
    assert packets_after[0] == packets_before[0]
    assert packets_after[1].startswith(comment_magic)
    assert len(packets_after[1]) <= len(comment_magic) + 9
    assert packets_after[2:] == packets_before[2:]
    # Pages are numbered without a gap, the last one still ends the stream, and the sound
    # pages keep their positions in time.
    assert [p.sequence for p in after] == list(range(len(after)))
    assert after[-1].flags & 0x04 and after[0].flags & 0x02
    assert [p.granule for p in after if p.granule > 0] == [
        p.granule for p in before if p.granule > 0
    ]
    # Stripping again changes nothing.
    assert strip(stored, sniffing.OGG)[0] == stored


def _opus_stream(comment_size: int) -> bytes:
    """An Opus stream whose comment header is ``comment_size`` bytes (a cover picture, say):
    it spans several pages, which the stripped file no longer needs."""
    head = b"OpusHead\x01\x01\x38\x01\x80\x3e\x00\x00\x00\x00\x00"
    tags = b"OpusTags" + struct.pack("<I", 5) + b"Somsr" + struct.pack("<I", 1)
    comment = b"METADATA_BLOCK_PICTURE=" + b"P" * comment_size
    tags += struct.pack("<I", len(comment)) + comment
    pages = [_Page(0x02, 0, 7, 0, bytes([len(head)]), head)]
    pages += _lay_out([tags], 7, 1)
    audio = [bytes([0xF8, n]) * 20 for n in range(30)]
    sequence = len(pages)
    for start in range(0, len(audio), 10):
        chunk = audio[start : start + 10]
        last = start + 10 >= len(audio)
        pages.append(
            _Page(
                0x04 if last else 0,
                960 * (start + 10),
                7,
                sequence,
                bytes(len(p) for p in chunk),
                b"".join(chunk),
            )
        )
        sequence += 1
    return b"".join(page.encode() for page in pages)


def test_a_comment_header_spanning_pages_is_replaced_and_later_pages_renumbered():
    original = _opus_stream(150_000)
    before = _pages(original)
    assert len(before) == 1 + 3 + 3  # head, three pages of comments, three of sound

    stored, _kind = strip(original, sniffing.OGG)

    after = _pages(stored)
    assert len(after) == 1 + 1 + 3
    assert b"Somsr" not in stored and b"PICTURE" not in stored
    assert [p.sequence for p in after] == [0, 1, 2, 3, 4]
    assert len(_packets(after)) == 2 + 30
    assert _packets(after)[2:] == _packets(before)[2:]
    assert [p.granule for p in after[2:]] == [9600, 19200, 28800]


def test_broken_or_unknown_ogg_is_refused():
    original = (MEDIA / "tagged-vorbis.ogg").read_bytes()
    with pytest.raises(CannotStrip):
        strip(original[: len(original) // 2], sniffing.OGG)
    damaged = bytearray(original)
    damaged[-10] ^= 0xFF
    with pytest.raises(CannotStrip, match="checksum"):
        strip(bytes(damaged), sniffing.OGG)
    flac = _Page(0x02, 0, 3, 0, bytes([9]), b"\x7fFLAC\x01\x00\x00\x01").encode()
    with pytest.raises(CannotStrip, match="cannot be checked"):
        strip(flac, sniffing.OGG)
    with pytest.raises(CannotStrip, match="inside its headers"):
        strip(_opus_stream(10)[:47], sniffing.OGG)


# --- WebM ----------------------------------------------------------------------------------

CLUSTER, CUES = b"\x1f\x43\xb6\x75", b"\x1c\x53\xbb\x6b"


def test_webm_loses_title_apps_track_name_and_tags_in_place():
    original = (MEDIA / "tagged.webm").read_bytes()
    assert "สมชาย".encode() in original and b"RECORDING_LOCATION" in original

    assert sniffing.sniff(original) is sniffing.WEBM
    stored, kind = strip(original, sniffing.WEBM)

    assert kind is sniffing.WEBM
    assert not [text for text in IDENTIFYING if text in stored]
    assert b"RECORDING_LOCATION" not in stored
    assert b"\x12\x54\xc3\x67" not in stored  # no Tags element left
    # Nothing moved: same length, and the clusters (the sound) are the same bytes.
    assert len(stored) == len(original)
    start = original.index(CLUSTER)
    end = original.index(CUES, start)
    assert stored[start:end] == original[start:end]
    assert strip(stored, sniffing.WEBM)[0] == stored


def test_a_vorbis_webm_loses_the_comments_inside_its_codec_data():
    original = (MEDIA / "tagged-vorbis.webm").read_bytes()
    assert b"LOCATION" in original and "สมชาย".encode() in original

    stored, _kind = strip(original, sniffing.WEBM)

    assert not [text for text in IDENTIFYING if text in stored]
    assert len(stored) == len(original)
    # The identification and setup headers are the same bytes; the comment header is still
    # one (an empty one), so a player still finds three headers.
    for header in (b"\x01vorbis", b"\x05vorbis"):
        at = original.index(header)
        assert stored[at : at + 30] == original[at : at + 30]
    comment = stored.index(b"\x03vorbis")
    assert stored[comment + 7 : comment + 11] != b"\0\0\0\0"  # vendor: spaces
    start = original.index(CLUSTER)
    assert stored[start:][:500] == original[start:][:500]


def _element(element_id: bytes, payload: bytes, *, unknown: bool = False) -> bytes:
    """An EBML element; ``unknown``: its size is "unknown" and its payload follows as is."""
    size = b"\x01\xff\xff\xff\xff\xff\xff\xff" if unknown else bytes([0x80 | len(payload)])
    assert unknown or len(payload) < 127
    return element_id + size + payload


def _recorder_webm() -> bytes:
    """What a browser's MediaRecorder writes: a segment and clusters of unknown size."""
    header = _element(
        b"\x1a\x45\xdf\xa3", _element(b"\x42\x82", b"webm") + _element(b"\x42\x87", b"\x04")
    )
    info = _element(
        b"\x15\x49\xa9\x66",
        _element(b"\x2a\xd7\xb1", b"\x0f\x42\x40")
        + _element(b"\x4d\x80", b"Chrome")
        + _element(b"\x57\x41", b"Chrome")
        + _element(b"\x7b\xa9", "คลิปของสมชาย".encode()),
    )
    tracks = _element(
        b"\x16\x54\xae\x6b",
        _element(
            b"\xae",
            _element(b"\xd7", b"\x01")
            + _element(b"\x86", b"A_OPUS")
            + _element(b"\x53\x6e", b"Somsri"),
        ),
    )
    block = _element(b"\xa3", b"\x81\x00\x00\x80" + b"SOUND" * 10)
    cluster_1 = _element(CLUSTER, _element(b"\xe7", b"\x00") + block, unknown=True)
    cluster_2 = _element(CLUSTER, _element(b"\xe7", b"\x10") + block, unknown=True)
    tags = _element(
        b"\x12\x54\xc3\x67",
        _element(
            b"\x73\x73",
            _element(
                b"\x67\xc8", _element(b"\x45\xa3", b"TITLE") + _element(b"\x44\x87", b"Somsri")
            ),
        ),
    )
    segment = _element(
        b"\x18\x53\x80\x67", info + tracks + cluster_1 + cluster_2 + tags, unknown=True
    )
    return header + segment


def test_a_recorder_webm_of_unknown_sizes_is_blanked_to_its_end():
    original = _recorder_webm()
    assert sniffing.sniff(original) is sniffing.WEBM

    stored, _kind = strip(original, sniffing.WEBM)

    assert b"Chrome" not in stored and b"Somsri" not in stored
    assert "สมชาย".encode() not in stored and b"TITLE" not in stored
    assert len(stored) == len(original)
    assert stored.count(b"SOUND" * 10) == 2
    assert (
        stored[original.index(CLUSTER) : original.index(b"\x12\x54\xc3\x67")]
        == original[original.index(CLUSTER) : original.index(b"\x12\x54\xc3\x67")]
    )


def test_broken_webm_is_refused():
    original = (MEDIA / "tagged.webm").read_bytes()
    with pytest.raises(CannotStrip):
        strip(original[: len(original) // 2], sniffing.WEBM)
    with pytest.raises(CannotStrip, match="unexpected element"):
        strip(original + b"\x42\x86\x81\x01", sniffing.WEBM)
    header_only = original[: original.index(b"\x18\x53\x80\x67")]
    with pytest.raises(CannotStrip, match="no segment"):
        strip(header_only, sniffing.WEBM)
