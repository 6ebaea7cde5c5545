"""The macros' own HTML, handed to Python-Markdown as the raw HTML it is, without parsing it again.

A page's figures, tables, source lists, infoboxes, links and citation marks are HTML that the macros have just
written. Python-Markdown's `html_block` preprocessor and MkDocs' scan for anchors would each run an HTML parser
over every one of their tags (nine in ten of a page's tags), only for Python-Markdown to keep them unchanged in
its stash. This extension stashes the results it knows first, exactly as Python-Markdown would keep them, so the
parsers see the page's own text. It uses Python-Markdown's public extension API (an Extension, Preprocessors,
`md.htmlStash.store`), added to MkDocs' `markdown_extensions` from the macros' on_config (mkdocs-macros'
define_env), which is how plugins add extensions. On an engine that does not take it the pages are converted the
usual way, to the same HTML: tests/test_rawblocks.py compares whole built sites byte for byte.

Only a string a macro returned in this build is taken, and only where Python-Markdown would give back exactly
what the macro wrote:
- a block: elements that `html_block` would take as raw blocks, one after the other (block-level tags, each
  closed), at the start of a line, with a blank line (or the end) after them. Each is stashed on its own, as
  `html_block` does.
- an inline result (a link, a citation mark): one element on one line, whose text holds nothing Markdown reads
  (no `*`, `_`, backquote, backslash, bare `&`, `](`…), on a line that is not indented (code) and has no code
  span, in a page without abbreviations or link references (they would change words inside it).
Anything else is left to `html_block`. The ids inside what is stashed are written, for MkDocs' scan only, on
lines that are removed before `html_block` runs: MkDocs' link checks still find them.
"""
from __future__ import annotations

import functools
import hashlib
import re
import secrets
from pathlib import Path

from markdown import Extension
from markdown.preprocessors import Preprocessor

# Preprocessors run from the highest priority down: Python-Markdown's normalize_whitespace (30), the fences (25),
# then STASH, MkDocs' scan of the raw HTML for the ids that links may point at (21), UNMARK, and html_block (20).
STASH, UNMARK = 22, 20.5
_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]

_OPEN = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)[\s>/]")
_OPENING = re.compile(r"<[a-zA-Z][^<>]*>")
# The anchors in stashed HTML, for MkDocs' scan: what its parser takes as one (any tag's id, an <a>'s name),
# written double-quoted as the macros write every attribute; HTML with another spelling is not stashed.
_ID = re.compile(r'\s(id="[^"]*")', re.I)
_NAME = re.compile(r'<a(?=\s)[^>]*?\s(name="[^"]*")', re.I)
_ODD_ANCHOR = re.compile(r"\s(?:id|name)\s*=\s*(?!\")", re.I)
# An inline result's text (tags and entities taken out) that Markdown would read, or leave changed
_TAG = re.compile(r"<[^<>]*>")
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_MARKDOWN_TEXT = re.compile(r"[\\`*_!<>{}~^=|&]|\]\(|  ")
# A page that defines abbreviations or link references: words in an inline result could change
_DEFINITIONS = re.compile(r"^ {0,3}\*?\[[^\]]*\]:")


def element_end(html: str, at: int = 0) -> tuple[str, int] | None:
    """(tag, end) of the element whose start tag is at `at`: the end of the end tag that closes it (the same name
    counted in and out: html_block keeps a raw block open until then), else None."""
    m = _OPEN.match(html, at)
    if m is None:
        return None
    tag, depth = m.group(1), 0
    for t in re.compile(rf"<(/?){re.escape(tag)}(?=[\s>/])", re.I).finditer(html, at):
        depth += -1 if t.group(1) else 1
        if depth == 0:
            return (tag.lower(), t.end() + 1) if html.startswith(">", t.end()) else None
    return None


def whole_element(html: str) -> str | None:
    """The tag name if `html` is exactly one element, else None."""
    found = element_end(html)
    return found[0] if found and found[1] == len(html) else None


def elements(html: str) -> list[tuple[str, str]] | None:
    """(tag, text) of each element if `html` is elements one after the other (a line break between two allowed),
    else None."""
    out, pos = [], 0
    while pos < len(html):
        found = element_end(html, pos)
        if found is None:
            return None
        out.append((found[0], html[pos:found[1]]))
        pos = found[1] + (html.startswith("\n", found[1]))
    return out or None


def inline_key(text: str, at: int) -> str:
    """What finds an inline result in a line: the text from `at` to the end of its second tag (a link's span and
    the link itself: unique to the record and the page it links to), or to the end of its first."""
    first = text.find(">", at)
    second = text.find(">", first + 1) if first != -1 else -1
    return text[at:(second if second != -1 else first) + 1]


@functools.lru_cache(maxsize=8192)     # under serve most results come back unchanged from one rebuild to the next
def _analysed(html: str) -> tuple[list[str], list[tuple[str, str]], str | None] | None:
    """(its lines, its elements, its inline_key if it can be stashed inline) for a result made of whole elements,
    else None."""
    if not html.startswith("<") or _ODD_ANCHOR.search(html):
        return None
    # as Python-Markdown's normalize_whitespace leaves the text before the preprocessors below see it
    text = html.rstrip("\n").replace("\r\n", "\n").replace("\r", "\n").expandtabs(Blocks.tab_length)
    parts = elements(text)
    if parts is None:
        return None
    inline = (inline_key(html, 0) if len(parts) == 1 and text == html and "\n" not in html and "\\" not in html
              and not _MARKDOWN_TEXT.search(_ENTITY.sub("", _TAG.sub("", html))) else None)
    return text.split("\n"), parts, inline


class Blocks:
    """The HTML the macros returned in one build: blocks by their first line, inline results by inline_key."""

    tab_length = 4          # Python-Markdown's default: a Markdown instance with another one is left alone

    def __init__(self):
        self.by_first: dict[str, list[tuple[list[str], list[tuple[str, str]]]]] = {}
        self.inline: dict[str, list[tuple[str, str]]] = {}

    def add(self, html: str) -> None:
        """Remember a macro's result if it is made of whole elements (else nothing happens)."""
        found = _analysed(html)
        if found is None:
            return
        lines, parts, inline = found
        known = self.by_first.setdefault(lines[0], [])
        if (lines, parts) not in known:
            known.append((lines, parts))
        if inline is not None:
            same_key = self.inline.setdefault(inline, [])
            if (html, parts[0][0]) not in same_key:
                same_key.append((html, parts[0][0]))

    def __repr__(self) -> str:           # stable: the preview hook fingerprints the extension list with repr()
        return "Blocks()"


class _Stash(Preprocessor):
    def __init__(self, md, blocks: Blocks, marker: str):
        super().__init__(md)
        self.blocks, self.marker = blocks, marker

    def run(self, lines: list[str]) -> list[str]:
        known = self.blocks.by_first
        if not known or self.md.tab_length != self.blocks.tab_length:
            return lines
        inline = self.blocks.inline if not any(_DEFINITIONS.match(line) for line in lines) else {}
        out: list[str] = []
        i, n = 0, len(lines)
        while i < n:
            line = lines[i]
            candidates = known.get(line) if line.startswith("<") else None
            entry = next((c for c in candidates or () if self._whole_block_at(lines, i, *c)), None)
            if entry is not None:
                block, parts = entry
                # what html_block leaves: each element stashed on a line of its own between blank lines, the
                # last one (followed by a blank line) with that line's break
                for k, (_tag, text) in enumerate(parts):
                    out += ["", self.md.htmlStash.store(text + ("\n" if k == len(parts) - 1 else "")), ""]
                    out += self._anchors(text)
                i += len(block)
                continue
            if inline and "<" in line and "`" not in line and not line.startswith(("    ", "\t")):
                line, anchors = self._inline(line, inline)
                out.append(line)
                out += anchors
            else:
                out.append(line)
            i += 1
        return out

    def _whole_block_at(self, lines: list[str], i: int, block: list[str], parts: list[tuple[str, str]]) -> bool:
        end = i + len(block)
        return (lines[i:end] == block and (end == len(lines) or not lines[end].strip())
                and all(self.md.is_block_level(tag) for tag, _text in parts))

    def _anchors(self, text: str) -> list[str]:
        """The anchors in stashed HTML, on lines that MkDocs' scan reads and _Unmark then removes."""
        return ([f"<{self.marker} {m.group(1)}></{self.marker}>" for m in _ID.finditer(text)]
                + [f"<{self.marker}><a {m.group(1)}></a></{self.marker}>" for m in _NAME.finditer(text)])

    def _inline(self, line: str, inline: dict) -> tuple[str, list[str]]:
        """The line with each inline result in it stashed, and the marker lines of their anchors."""
        parts: list[str] = []
        anchors: list[str] = []
        pos = 0
        for m in _OPENING.finditer(line):
            start = m.start()
            if start < pos:
                continue
            found = next((html for html, tag in inline.get(inline_key(line, start), ())
                          if line.startswith(html, start) and not self.md.is_block_level(tag)), None)
            if found is None:
                continue
            parts += [line[pos:start], self.md.htmlStash.store(found)]
            anchors += self._anchors(found)
            pos = start + len(found)
        if not parts:
            return line, anchors
        parts.append(line[pos:])
        return "".join(parts), anchors


class _Unmark(Preprocessor):
    def __init__(self, md, marker: str):
        super().__init__(md)
        self.start = f"<{marker}"

    def run(self, lines: list[str]) -> list[str]:
        return [line for line in lines if not line.startswith(self.start)]


class MacroBlocks(Extension):
    """Python-Markdown extension: stash the macros' HTML in `blocks` (filled while the pages' macros run)."""

    def __init__(self, blocks: Blocks, **kwargs):
        self.blocks = blocks
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        marker = f"asean-anchors-{secrets.token_hex(8)}"     # no page can write it
        md.preprocessors.register(_Stash(md, self.blocks, marker), "asean_macro_blocks", STASH)
        md.preprocessors.register(_Unmark(md, marker), "asean_macro_anchors", UNMARK)

    def __repr__(self) -> str:     # changes with this file: serve's page cache (hooks/preview.py) keys on it
        return f"MacroBlocks({_CODE})"
