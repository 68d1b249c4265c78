"""What a search box's text means: words the user typed, each segmented like the index."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from pythainlp.corpus.common import thai_words

from sujarit.textsearch.tokens import DOMAIN_WORDS, normalize, words

#: More words than this in one search are ignored (each costs a clause in every backend).
MAX_TERMS = 8


@dataclass(frozen=True)
class Term:
    """One space-separated word of a query: as typed (normalised, punctuation and spaces
    removed) and as the index's word segmentation cuts it. A case matches the term when its
    text holds the same words in a row, or an indexed word that contains ``text`` (this finds
    โต๊ะจีน inside เลี้ยงโต๊ะจีน, which the dictionary keeps as one word)."""

    text: str
    tokens: tuple[str, ...]
    #: Ways the term can straddle two indexed words: ``(whole word, start of the next)``.
    #: ``กู้เงิน`` is one dictionary word, but a report's ``กู้เงินปลอม`` is cut กู้|เงินปลอม;
    #: the split ``("กู้", "เงิน")`` finds it as a phrase of กู้ and a word starting เงิน.
    splits: tuple[tuple[str, str], ...] = ()


#: Thai vowels written before their consonant: a word cannot end on one.
_LEADING_VOWELS = frozenset("เแโใไ")


_KARAN = "\u0e4c"


@functools.cache
def _dictionary() -> frozenset[str]:
    return frozenset(thai_words()) | DOMAIN_WORDS


def _splits(text: str) -> tuple[tuple[str, str], ...]:
    """Where ``text`` could be cut into a dictionary word and the start of another one."""
    if len(text) < 4 or not all("\u0e00" <= c <= "\u0e7f" for c in text):
        return ()
    dictionary = _dictionary()
    found = []
    for cut in range(2, len(text) - 1):
        head, tail = text[:cut], text[cut:]
        if head[-1] in _LEADING_VOWELS or unicodedata.category(tail[0]).startswith("M"):
            continue
        if tail[1:2] == _KARAN or head not in dictionary or words(head) != [head]:
            continue
        first = words(tail)[:1]
        if first and len(first[0]) >= 2 and first[0] in dictionary:
            found.append((head, tail))
    return tuple(found)


def parse(query: str) -> list[Term]:
    """The terms of ``query``; every term must match (AND). Empty for a blank query."""
    terms: list[Term] = []
    for piece in normalize(query).split(" "):
        tokens = tuple(words(piece))
        if tokens:
            text = "".join(tokens)
            splits = _splits(text) if len(tokens) == 1 else ()
            terms.append(Term(text=text, tokens=tokens, splits=splits))
    return terms[:MAX_TERMS]
