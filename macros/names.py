"""Names people cannot tell apart: Unicode TR39 skeletons. Pure.

Two strings whose skeletons are equal look the same to a reader: Latin 'Veto' and 'Vеto' with a Cyrillic
'е', 'un-1' and 'un-l'. The skeleton (UTS #39, section 4) is: NFD, replace every character by its prototype
from the Unicode confusables table, NFD again. The table comes from the `confusable_homoglyphs` package
(its bundled copy of confusables.txt, read as a graph of source <-> prototype pairs; nothing is fetched).
Here the skeleton is taken of the NFKC case-folded text, since term look-ups ignore case and full-width or
mathematical letters read as the plain ones.
"""
from __future__ import annotations

import functools
import unicodedata

from .safe import describe

_MARKS = {"\u200e", "\u200f"}     # the package wraps right-to-left characters in direction marks


def _plain(text: str) -> str:
    return "".join(ch for ch in text if ch not in _MARKS)


@functools.lru_cache(maxsize=1)
def prototypes() -> dict[str, str]:
    """Character -> its prototype (a character or a short string) for every confusable character.

    confusables.txt maps each source character to one prototype and never maps a prototype further, so the
    package's symmetric graph is a set of stars: a character with one neighbour that has several is a source
    (its prototype is that neighbour); a pair of characters with one neighbour each is one source and its
    prototype, and both map to the smaller (which one was the prototype does not change which strings match).
    """
    from confusable_homoglyphs import confusables
    graph: dict[str, set[str]] = {}
    for key, items in confusables.confusables_data.items():
        graph.setdefault(_plain(key), set()).update(_plain(item["c"]) for item in items)
    table = {}
    for ch, neighbours in graph.items():
        if len(ch) != 1 or len(neighbours) != 1:
            continue                                  # a prototype itself (several sources) or a sequence
        (other,) = neighbours
        table[ch] = other if len(other) > 1 or len(graph.get(other, ())) > 1 else min(ch, other)
    return table


def skeleton(text: str) -> str:
    """The TR39 skeleton of the NFKC case-folded text (so full-width and mathematical letters and case do not
    tell two names apart either): equal skeletons read alike."""
    table = prototypes()
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    return unicodedata.normalize("NFD", "".join(table.get(ch, ch) for ch in folded))


def difference(a: str, b: str) -> str:
    """The code points that tell a from b, named (for the message): 'U+0435 CYRILLIC SMALL LETTER IE'."""
    only = [ch for ch in dict.fromkeys(a + b) if (ch in a) != (ch in b)]
    odd = [ch for ch in only if not ch.isascii()] or only
    return ", ".join(describe(ch) for ch in odd[:4]) if odd else "letter case only"


def lookalikes(records, field: str):
    """(record, earlier record) for each record whose `field` reads like an earlier one's (equal skeletons),
    in file order. A record without the field (None) is skipped."""
    seen: dict[str, object] = {}
    for rec in records:
        value = getattr(rec, field, None)
        if not isinstance(value, str):
            continue
        key = skeleton(value)
        first = seen.setdefault(key, rec)
        if first is not rec:
            yield rec, first
