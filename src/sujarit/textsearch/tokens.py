"""Thai-aware text normalisation and word segmentation, shared by search and duplicate finding.

Thai is written without spaces between words, so an index needs the text cut into words first.
``words()`` does that with PyThaiNLP's ``newmm`` dictionary tokenizer, which runs entirely from
files shipped in the wheel (no network, no model download). Its dictionary is PyThaiNLP's word
list plus the words this domain needs kept whole: agency names such as ศูนย์ดำรงธรรม and ป.ป.ช.,
and the names of Chachoengsao's districts and subdistricts (from the pinned ``geothai`` package,
read from its JSON without a database).

``normalize()`` makes two spellings that a reader sees as the same text compare equal: Unicode
NFC, Thai digits as Arabic digits, sara am as one character, no zero-width or other invisible
format characters, tone and vowel marks in their standard order without duplicates
(``pythainlp.util.normalize``), lower case, thousands separators removed from numbers, and
single spaces.

This module is imported by other branches byte-for-byte; keep its public API
(``normalize``, ``words``, ``segmented``, ``DOMAIN_WORDS``) stable.
"""

from __future__ import annotations

import os

# PyThaiNLP creates ~/pythainlp-data as a side effect of looking up its data directory and may
# download corpora on demand. Sujarit only uses what the wheel ships, so forbid both before the
# first import. An operator can still override these in the environment.
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

import functools  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import unicodedata  # noqa: E402
from importlib import resources  # noqa: E402

from pythainlp.corpus.common import thai_words  # noqa: E402
from pythainlp.tokenize import Tokenizer  # noqa: E402
from pythainlp.util import normalize as thai_normalize  # noqa: E402

# Words of this domain that newmm would otherwise split (ศูนย์|ดำรง|ธรรม, สังคม|สุจริต) or that
# PyThaiNLP's list lacks. Only names and fixed terms: adding a compound such as ค่าแป๊ะเจี๊ยะ would
# hide its parts from a word search.
DOMAIN_WORDS: frozenset[str] = frozenset(
    {
        "ศูนย์ดำรงธรรม",
        "สังคมสุจริต",
        "ป.ป.ช.",
        "ป.ป.ท.",
        "ส.ต.ง.",
        "สตง.",
        "กกต.",
        "อบต.",
        "อบจ.",
        "อปท.",
        "สพฐ.",
        "ปปช",
        "ปปท",
        "สตง",
        "กกต",
        "อบต",
        "อบจ",
        "อปท",
        "ผู้ใหญ่บ้าน",
        "กำนัน",
        "หัวคะแนน",
        "ซื้อเสียง",
        "เงินทอน",
        "แป๊ะเจี๊ยะ",
        "ล็อกสเปก",
        "ล็อคสเปค",
        "ฮั้วประมูล",
        "ฮั้ว",
        "ผักตบชวา",
        "ขุดลอก",
        "กองทุนหมู่บ้าน",
        "จัดซื้อจัดจ้าง",
        "ร้องเรียน",
        "ร้องทุกข์",
        "ฉะเชิงเทรา",
        # Abbreviated month names newmm's list lacks (it cuts มี.ค. as มี|ค).
        "มี.ค.",
        "พ.ย.",
    }
)

# The province whose places the pilot serves (DOPA code, as in geo/data/README.md).
_PLACE_PROVINCE = "24"
_PLACE_PREFIXES = ("เขต", "อำเภอ", "ตำบล", "แขวง")

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# Tokens that carry no word: repetition and abbreviation signs on their own.
_NOT_WORDS = frozenset({"ๆ", "ฯ", "ฯลฯ"})
# Sara am typed as nikhahit + sara aa (some keyboards and PDF extractions), possibly with the
# tone mark in between; Unicode normalisation does not compose these.
_SARA_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")


def _is_wordy(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNM"


def normalize(text: str) -> str:
    """Return ``text`` in the one spelling that indexes and queries share."""
    text = unicodedata.normalize("NFC", text)
    # Zero-width spaces/joiners, BOM, soft hyphen, bidi marks: all Unicode category Cf.
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = _SARA_AM.sub("\\1\u0e33", text.translate(_THAI_DIGITS))
    text = thai_normalize(text)
    text = _THOUSANDS.sub("", text.lower())
    return " ".join(text.split())


def _strip_token(token: str) -> str:
    """Trim punctuation stuck to a token (``@b.co``, ``COVID-``) but keep ``ป.ป.ช.``."""
    start, end = 0, len(token)
    while start < end and not _is_wordy(token[start]):
        start += 1
    while end > start and not _is_wordy(token[end - 1]):
        end -= 1
    if end < len(token) and token[end] == "." and "." in token[start:end]:
        end += 1  # an abbreviation's final dot (ป.ป.ช., e.g.)
    return token[start:end]


def _place_names() -> set[str]:
    """Chachoengsao district and subdistrict names, plus every province name."""
    data = resources.files("geothai") / "_data"
    names: set[str] = set()
    try:
        provinces = json.loads((data / "provinces.json").read_text(encoding="utf-8"))
        districts = json.loads((data / "districts.json").read_text(encoding="utf-8"))
        subdistricts = json.loads((data / "subdistricts.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):  # pragma: no cover - geothai is a pinned dependency
        return names
    for row in provinces:
        names.add(str(row[1]))
    for row in [*districts, *subdistricts]:
        code, name = str(row[0]), str(row[1])
        if code.startswith(_PLACE_PROVINCE):
            for prefix in _PLACE_PREFIXES:
                name = name.removeprefix(prefix)
            names.add(name)
    return {n.strip() for n in names if n.strip()}


@functools.cache
def _tokenizer() -> Tokenizer:
    # Building the dictionary trie (62,000 words, in Python) costs one to two seconds; it is
    # built once per process. The Tokenizer builds its own trie from what it is given, even
    # from a trie (it iterates it): pass the words, or the trie is built twice.
    # PyThaiNLP's own list is already in normal form (checked: normalising it changes nothing,
    # and doing so would cost seconds); our additions are normalised here.
    extra = {normalize(w) for w in DOMAIN_WORDS | _place_names()}
    return Tokenizer(
        custom_dict=set(thai_words()) | extra,
        engine="newmm",
        keep_whitespace=False,
    )


def words(text: str) -> list[str]:
    """Cut ``text`` into normalised words: Thai by dictionary, English words and numbers kept.

    Each space-separated piece is segmented on its own (newmm is ~28x slower on one huge
    string than on short pieces, and a space is always a word boundary in Thai writing).
    Whitespace and punctuation tokens are dropped.
    """
    result: list[str] = []
    for piece in normalize(text).split(" "):
        if piece:
            result.extend(_piece_words(piece))
    return result


@functools.lru_cache(maxsize=100_000)
def _piece_words(piece: str) -> tuple[str, ...]:
    """The words of one normalised piece. Cached: intake segments a report for search and
    again for duplicate fingerprints, and reports repeat many pieces (place names, set
    phrases), so rebuilding a million fingerprints is about ten times faster."""
    tokens = (_strip_token(token) for token in _tokenizer().word_tokenize(piece))
    return tuple(word for word in tokens if word and word not in _NOT_WORDS)


def forget_pieces() -> None:
    """Empty the memory of segmented pieces (a benchmark's cold queries)."""
    _piece_words.cache_clear()


def segmented(text: str) -> str:
    """``words(text)`` joined with single spaces: the form stored for full-text indexes."""
    return " ".join(words(text))
