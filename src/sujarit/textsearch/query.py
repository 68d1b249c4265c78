"""What a search box's text means: words the user typed, each segmented like the index."""

from __future__ import annotations

from dataclasses import dataclass

from sujarit.textsearch.tokens import normalize, words

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


def parse(query: str) -> list[Term]:
    """The terms of ``query``; every term must match (AND). Empty for a blank query."""
    terms: list[Term] = []
    for piece in normalize(query).split(" "):
        tokens = tuple(words(piece))
        if tokens:
            terms.append(Term(text="".join(tokens), tokens=tokens))
    return terms[:MAX_TERMS]
