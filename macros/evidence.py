"""Every citation the site makes, where it is, and the source's own words behind it. No HTML here.

A citation is evidenced when it names a passage of its source (`passage:` in the data, the second argument of
cite() on a page, `passage:` on an article point): the passage holds the source's exact words and a locator.
`make sources` reports the coverage; the build refuses a citation without a passage (see REQUIRED).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

from .errors import SiteError
from .model import ENTITY_SECTIONS, SLUG, Cite, SiteData


@dataclass(frozen=True)
class Citation:
    where: str               # what cites: "institutions/asean facts.members", "page docs/crises/gaza.md"
    file: str
    line: int | None
    source: str
    passage: str | None      # the passage id, when the citation has one
    pin: str | None = None   # a locator without words (a citation from before passages)


def data_citations(data: SiteData, file: str) -> list[Citation]:
    """Every citation in the data file, in file order within each section."""
    out: list[Citation] = []

    def add(where: str, c: Cite | None, owner=None, source: str | None = None, passage=None, pin=None) -> None:
        line = (getattr(c, "line", 0) or getattr(owner, "line", 0)) or None
        out.append(Citation(where, file, line, source or c.source, passage if c is None else c.passage,
                            pin if c is None else c.pin))

    for section in ENTITY_SECTIONS:
        for ent in getattr(data, section):
            for fact in ent.facts:
                add(f"{section}/{ent.id} fact '{fact.key}'", fact, ent)
                if fact.then:
                    add(f"{section}/{ent.id} fact '{fact.key}' (then)", fact.then, fact)
            for note in ent.notes:
                add(f"{section}/{ent.id} note", note, ent)
            if data.article:
                for point in ent.article:
                    out.append(Citation(f"{section}/{ent.id} article point ¶{point.para}", file,
                                        point.line or ent.line or None, data.article.source, point.passage,
                                        f"¶{point.para}"))
    for ev in data.events:
        add(f"event '{ev.id}'", ev)
    for term in data.glossary:
        add(f"glossary '{term.id}'", term)
    for mat in data.matrices:
        for cell in mat.cells:
            add(f"matrix '{mat.id}' cell {cell.row}/{cell.column}", cell, mat)
    for ms in data.memberships:
        add(f"membership '{ms.body}'", ms)
        for m in ms.members:
            if m.source or m.passage or m.since:   # a member with its own claim (a year, its own source)
                out.append(Citation(f"membership '{ms.body}' member '{m.state}'", file, m.line or ms.line or None,
                                    m.source or ms.source, m.passage, m.pin))
    for seat in data.council_seats:
        add(f"Council seat {seat.state} {seat.start}", seat)
    for vote in data.votes:
        add(f"vote '{vote.id}'", vote)
    for extra in _extra_citations(data):
        add(*extra)
    return out


def _extra_citations(data: SiteData) -> Iterable[tuple]:
    """Citations in sections added for single records of facts (figures, open questions, …)."""
    for name in ("council_none", "figures", "open_questions", "corrections"):
        for rec in getattr(data, name, None) or ():
            if getattr(rec, "source", None):
                yield (f"{name} '{getattr(rec, 'id', None) or getattr(rec, 'state', '?')}'", rec, rec)


def page_citations(calls: Mapping[str, Iterable]) -> list[Citation]:
    """cite() calls on pages: calls maps a page's path to its scanned MacroCalls."""
    out = []
    for path, page_calls in calls.items():
        for call in page_calls:
            if call.name == "cite" and call.first:
                second = call.strings[1] if len(call.strings) > 1 else None
                is_passage = bool(second and re.fullmatch(SLUG, second))
                out.append(Citation(f"page {path}", path, call.line, call.first, second if is_passage else None,
                                    None if is_passage else second))
    return out


def missing(citations: Iterable[Citation]) -> list[Citation]:
    """Citations that name no passage: each is a claim a reader cannot check from the page."""
    return [c for c in citations if not c.passage]


def problem(c: Citation) -> SiteError:
    hint = (f"add the source's own words under 'passages:' of '{c.source}' and name the passage here"
            + (f" (it has a pin '{c.pin}': give the passage that locator as 'at')" if c.pin else ""))
    return SiteError(f"{c.where} cites '{c.source}' without the source's words (no passage)", file=c.file,
                     line=c.line, hint=hint)


def require(citations: Iterable[Citation]) -> None:
    """The build's rule: every citation shows the words that support it."""
    for c in missing(citations):
        raise problem(c)


def coverage(citations: Iterable[Citation]) -> tuple[int, int]:
    cites = list(citations)
    return sum(1 for c in cites if c.passage), len(cites)


def text_fragment(url: str, quote_text: str) -> str:
    """The url with a text fragment that makes the browser scroll to and highlight the quoted words
    (https://wicg.github.io/scroll-to-text-fragment/). PDFs and non-HTML documents get the plain url."""
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    if path.endswith((".pdf", ".doc", ".docx", ".xls", ".xlsx")) or "#" in url:
        return url
    words = quote_text.split()
    def enc(s: str) -> str:      # ',' '&' and '-' separate a directive's parts: percent-encode them too
        return quote(s, safe="").replace("-", "%2D")
    if len(words) <= 8:
        directive = enc(" ".join(words))
    else:
        directive = f"{enc(' '.join(words[:4]))},{enc(' '.join(words[-4:]))}"
    return f"{url}#:~:text={directive}"
