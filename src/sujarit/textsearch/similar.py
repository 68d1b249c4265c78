"""Near-duplicate reports: Thai-aware shingles, candidates from the rare ones, exact re-ranking.

Two reports of the same incident share its particulars: the village and its หมู่, the names,
the company, the amount. They also share a lot with every other report on the same topic
("ขอให้เจ้าหน้าที่ลงมาตรวจสอบ"), which is why a threshold on plain MinHash similarity
either misses duplicates or drowns in candidates (see docs/duplicates.md for the figures).

So the search has two steps:

1. **Candidates.** Every report is reduced to a set of *shingles*: pairs of neighbouring
   words from ``textsearch.tokens.words`` (Thai digits, invisible characters and mark order
   normalised; Thai segmented by newmm), with common abbreviations written out
   (จนท. → เจ้าหน้าที่, ต. → ตำบล) and polite particles dropped. An inverted index maps each
   shingle to the reports that have it. A query looks up only its *rarer* shingles (document
   frequency at most ``max_df``, rarest first, within a posting budget) and scores each report
   by how many of those shingles they share. The best ``candidates`` (150) go on.
2. **Re-ranking.** For each candidate the exact IDF-weighted Jaccard similarity of the two
   shingle sets is computed: shared weight over combined weight, 0 to 1. This is the score a
   coordinator sees.

Shingles are stored as 32-bit CRC-32 hashes (a collision merges two shingles; at a few
million distinct shingles that happens to a handful and costs nothing measurable). The index
is plain Python with the standard library's compact ``array`` type: one array of every
report's shingles (report → shingles) and a dict from shingle to an array of reports (or to a
single report, for the many shingles only one report has). Counting candidates uses
``collections.Counter``'s C loop. Figures for a million reports are in docs/duplicates.md.

Nothing here touches the database; ``sujarit.cases.duplicates`` keeps the fingerprints of
cases and an index of them per process.
"""

from __future__ import annotations

import math
import re
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sujarit.lib.thaidate import BE_OFFSET, MONTHS_TH, MONTHS_TH_SHORT
from sujarit.textsearch.tokens import words

#: Bump when ``shingles`` changes, so stored fingerprints are recomputed.
SHINGLE_VERSION = 3

# Abbreviations and their full forms, as words() leaves them (a final dot is stripped unless
# the abbreviation has an inner one). A second reporter of the same incident often writes the
# other form; people also write ประชาชน where others write ชาวบ้าน.
CANONICAL: dict[str, str] = {
    "จนท": "เจ้าหน้าที่",
    "ต": "ตำบล",
    "อ": "อำเภอ",
    "จ": "จังหวัด",
    "ม": "หมู่",
    "ร.ร.": "โรงเรียน",
    "รร": "โรงเรียน",
    "ผญบ": "ผู้ใหญ่บ้าน",
    "อบต": "องค์การบริหารส่วนตำบล",
    "ทต": "เทศบาลตำบล",
    "ประชาชน": "ชาวบ้าน",
    "งบ": "งบประมาณ",
}
# Polite particles: they say who wrote, not what happened.
IGNORED: frozenset[str] = frozenset({"ครับ", "ค่ะ", "คะ", "นะ", "นะคะ", "นะครับ", "จ้ะ"})


# Words that multiply the number before them: 1.5 ล้าน is 1500000.
MULTIPLIERS: dict[str, int] = {"พัน": 1_000, "หมื่น": 10_000, "แสน": 100_000, "ล้าน": 1_000_000}
# Words that hedge the number after them ("ประมาณ 20,000 บาท", "ราว 2 หมื่น"): one reporter
# hedges, another does not.
HEDGES: frozenset[str] = frozenset({"ประมาณ", "ราว", "ราวๆ", "ราว ๆ", "เกือบ", "ร่วม"})
# Thai month names, full and abbreviated, as words() leaves them (with and without dots).
MONTHS: dict[str, int] = {}
for _number, (_full, _short) in enumerate(zip(MONTHS_TH, MONTHS_TH_SHORT, strict=True), 1):
    MONTHS[_full] = MONTHS[_short] = MONTHS[_short.rstrip(".")] = _number
    MONTHS[_short.replace(".", "")] = _number
# Words that introduce a date and say nothing once the date is written in one form.
_DATE_WORDS = frozenset({"วันที่", "วัน", "เดือน", "ณ"})
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def features(text: str) -> list[str]:
    """The words shingles are made of: normalised, abbreviations written out, no particles,
    amounts and dates in one form. Segmentation is remembered per piece
    (``tokens.forget_pieces`` empties that memory; the benchmark times queries with it
    emptied)."""
    result: list[str] = []
    for word in words(text):
        if word in IGNORED:
            continue
        word = CANONICAL.get(word, word)
        # หมู่ที่ 6 and ม.6 are the same address; newmm cuts the first as หมู่|ที่.
        if word == "ที่" and result and result[-1] == "หมู่":
            continue
        result.append(word)
    return _amounts_and_dates(result)


def _amounts_and_dates(tokens: list[str]) -> list[str]:
    """One form for what people write in many: "1,500,000 บาท", "1.5 ล้านบาท" and "ราว
    1500000 บาท" become 1500000 บาท; "วันที่ 12 มกราคม 2568", "12 ม.ค. 68" and "เดือน
    มกราคม 2568" become the one word 2568-01 (the day is dropped: one reporter remembers it,
    another only the month). A year is in the Buddhist era (a Christian-era year gets 543,
    a two-digit one 2500)."""
    result: list[str] = []
    count = len(tokens)
    i = 0
    while i < count:
        word = tokens[i]
        following = tokens[i + 1] if i + 1 < count else ""
        if word in HEDGES and _NUMBER.fullmatch(following):
            i += 1
            continue
        if _NUMBER.fullmatch(word):
            if following in MULTIPLIERS:
                value = float(word) * MULTIPLIERS[following]
                result.append(str(round(value)) if value >= 1 else word)
                i += 2
                continue
            if following in MONTHS:  # the day of a date: dropped with its วันที่
                if result and result[-1] in _DATE_WORDS:
                    result.pop()
                i += 1
                continue
        if word in MONTHS:
            if result and result[-1] in _DATE_WORDS:
                result.pop()
            year = _year(following)
            if year:
                result.append(f"{year}-{MONTHS[word]:02d}")
                i += 2
            else:
                result.append(f"เดือน{MONTHS[word]:02d}")
                i += 1
            continue
        result.append(word)
        i += 1
    return result


def _year(word: str) -> int:
    """A year written after a month, in the Buddhist era; 0 when ``word`` is none."""
    if not word.isdigit() or len(word) not in (2, 4):
        return 0
    year = int(word)
    if len(word) == 2:
        return 2500 + year
    if 1900 <= year <= 2200:
        return year + BE_OFFSET
    return year if 2400 <= year <= 2700 else 0


def shingles(text: str) -> list[int]:
    """The sorted, distinct shingle hashes of a report's text: CRC-32 of each word pair."""
    tokens = features(text)
    if len(tokens) == 1:
        pairs = tokens
    else:
        pairs = [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
    return sorted({zlib.crc32(pair.encode()) for pair in pairs})


def to_bytes(hashes: Sequence[int]) -> bytes:
    """A fingerprint as stored: little-endian unsigned 32-bit integers."""
    data = array("I", hashes)
    if data.itemsize != 4:  # pragma: no cover - every platform Django runs on has 4-byte I
        raise RuntimeError("array('I') is not 32 bits here")
    if _BIG_ENDIAN:
        data.byteswap()
    return data.tobytes()


def from_bytes(data: bytes) -> array[int]:
    hashes = array("I")
    hashes.frombytes(data)
    if _BIG_ENDIAN:
        hashes.byteswap()
    return hashes


_BIG_ENDIAN = array("H", [1]).tobytes() == b"\x00\x01"


@dataclass(frozen=True)
class Match:
    id: int
    score: float


class SimilarityIndex:
    """Shingle sets of many documents (by integer id) and the search over them.

    ``max_df``: shingles in more than this share of the documents are too common to
    propose candidates (they still count in the re-ranking). ``budget``: at most this many
    postings are read per query, rarest shingles first. ``candidates``: how many go to the
    exact re-ranking. Not safe for concurrent writers.
    """

    def __init__(
        self, *, max_df: float = 0.01, budget: int = 60_000, candidates: int = 150
    ) -> None:
        self.max_df = max_df
        self.budget = budget
        self.candidates = candidates
        self._ids = array("q")
        self._offsets = array("q", [0])
        self._fwd = array("I")
        # shingle → the internal numbers of the documents that have it: an int while only
        # one does (most shingles), an array once more do.
        self._postings: dict[int, int | array[int]] = {}
        self._internal: dict[int, int] = {}
        self._weights: dict[int, float] = {}
        self._doc_weights: dict[int, float] = {}
        self._weights_at = 0

    @classmethod
    def from_items(
        cls, items: Iterable[tuple[int, Sequence[int]]], **options: float
    ) -> SimilarityIndex:
        index = cls(**options)  # type: ignore[arg-type]
        for doc_id, hashes in items:
            index.add(doc_id, hashes)
        return index

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._internal

    @property
    def last_id(self) -> int:
        """The highest id indexed (0 when empty)."""
        return max(self._ids, default=0)

    def add(self, doc_id: int, hashes: Sequence[int]) -> None:
        """Add one document. A second add of the same id is ignored: a report's text, and so
        its fingerprint, does not change."""
        if doc_id in self._internal:
            return
        internal = len(self._ids)
        self._internal[doc_id] = internal
        self._ids.append(doc_id)
        self._fwd.extend(hashes)
        self._offsets.append(len(self._fwd))
        postings = self._postings
        for h in hashes:
            current = postings.get(h)
            if current is None:
                postings[h] = internal
            elif isinstance(current, int):
                postings[h] = array("i", (current, internal))
            else:
                current.append(internal)

    def shingles_of(self, doc_id: int) -> list[int]:
        """The stored shingles of a document (empty if it is not indexed)."""
        internal = self._internal.get(doc_id)
        return [] if internal is None else list(self._set_of(internal))

    def _df(self, h: int) -> int:
        current = self._postings.get(h)
        if current is None:
            return 0
        return 1 if isinstance(current, int) else len(current)

    def _set_of(self, internal: int) -> array[int]:
        return self._fwd[self._offsets[internal] : self._offsets[internal + 1]]

    def top(
        self,
        hashes: Sequence[int],
        *,
        k: int = 10,
        exclude: Iterable[int] = (),
        min_score: float = 0.0,
    ) -> list[Match]:
        """The ``k`` documents most similar to the shingle set ``hashes``, best first."""
        n = len(self._ids)
        query = set(hashes)
        if n == 0 or not query:
            return []
        limit = max(50, int(self.max_df * n))
        counts: Counter[int] = Counter()
        spent = 0
        for df, h in sorted((self._df(h), h) for h in query):
            if df == 0:
                continue
            if df > limit or spent + df > self.budget:
                break
            current = self._postings[h]
            if isinstance(current, int):
                counts[current] += 1
            else:
                counts.update(current)
            spent += df
        for doc_id in exclude:
            counts.pop(self._internal.get(doc_id, -1), None)
        chosen = [internal for internal, _ in counts.most_common(self.candidates)]
        return self._rerank(query, chosen, k=k, min_score=min_score)

    def _weight(self, h: int) -> float:
        """Inverse document frequency of a shingle, remembered until the index has grown by
        a hundredth (document frequencies change slowly; exactness is not needed here)."""
        n = len(self._ids)
        if n > self._weights_at * 1.01 + 10:
            self._weights.clear()
            self._doc_weights.clear()
            self._weights_at = n
        w = self._weights.get(h)
        if w is None:
            w = self._weights[h] = math.log((n + 1) / (self._df(h) + 1)) + 1e-3
        return w

    def _doc_weight(self, internal: int, hashes: set[int]) -> float:
        w = self._doc_weights.get(internal)
        if w is None:
            weight = self._weight
            w = self._doc_weights[internal] = sum(weight(h) for h in hashes)
        return w

    def _rerank(
        self, query: set[int], candidates: list[int], *, k: int, min_score: float
    ) -> list[Match]:
        weight = self._weight
        query_weight = sum(weight(h) for h in query)
        scored: list[tuple[float, int]] = []
        for internal in candidates:
            other = set(self._set_of(internal))
            shared = sum(weight(h) for h in query & other)
            union = query_weight + self._doc_weight(internal, other) - shared
            score = shared / union if union else 0.0
            if score > min_score:
                scored.append((score, -internal))
        scored.sort(reverse=True)
        return [Match(id=self._ids[-neg], score=round(score, 4)) for score, neg in scored[:k]]


def jaccard(a: Iterable[int], b: Iterable[int]) -> float:
    """Plain Jaccard similarity of two shingle sets (the brute-force baseline's measure)."""
    first, second = set(a), set(b)
    union = len(first | second)
    return len(first & second) / union if union else 0.0
