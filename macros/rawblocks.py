"""The macros' own HTML blocks, handed to Python-Markdown as the raw HTML they are, without parsing them again.

A page's figures, tables, source lists and infoboxes are HTML that the macros have just written. Python-Markdown's
`html_block` preprocessor would run an HTML parser over every tag of them (nine in ten of a page's tags) only to
store each block unchanged in its stash. This extension stores the blocks it knows first, exactly as `html_block`
would, so the parser sees the page's own text only. It uses Python-Markdown's public extension API (an
Extension, a Preprocessor, `md.htmlStash.store`), added to MkDocs' `markdown_extensions` from the macros'
on_config (mkdocs-macros' define_env), which is how plugins add extensions. On an engine that does not take it
the pages are converted the usual way, to the same HTML (tests/test_rawblocks.py compares whole built sites).

Only a string a macro returned in this build is taken, and only where `html_block` itself would take the whole
of it as one raw block: at the start of a line, opening with a block-level tag that it also closes, with a blank
line (or the end) after it. Anything else is left to `html_block`.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from pathlib import Path

from markdown import Extension
from markdown.preprocessors import Preprocessor

_OPEN = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)[\s>/]")
# Preprocessors run from the highest priority down: Python-Markdown's normalize_whitespace (30), the fences (25),
# then STASH, MkDocs' scan of the raw HTML for the ids that links may point at (21), UNMARK, and html_block (20).
STASH, UNMARK = 22, 20.5
_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
# The ids in a stashed block, for MkDocs' scan: what its parser takes as an anchor (any tag's id, an <a>'s name),
# written double-quoted as the macros write every attribute; a block with another spelling is not stashed early.
_ID = re.compile(r'\s(id="[^"]*")', re.I)
_NAME = re.compile(r'<a(?=\s)[^>]*?\s(name="[^"]*")', re.I)
_ODD_ANCHOR = re.compile(r"\s(?:id|name)\s*=\s*(?!\")", re.I)


def whole_element(html: str) -> str | None:
    """The tag name if `html` is one element, from its start tag to the end tag that closes it (the same name
    counted in and out: html_block keeps a raw block open until then), else None."""
    m = _OPEN.match(html)
    if m is None:
        return None
    tag, depth = m.group(1), 0
    for t in re.finditer(rf"<(/?){re.escape(tag)}(?=[\s>/])", html, re.I):
        depth += -1 if t.group(1) else 1
        if depth == 0:
            return tag.lower() if html.endswith(">", t.end()) and t.end() + 1 == len(html) else None
    return None


class Blocks:
    """The block-level HTML the macros returned in one build, by first line. A result is kept when it is one
    element, or lines that are each one element (a figure and its reuse links): html_block stashes each of
    those on its own, and so does this."""

    tab_length = 4          # Python-Markdown's default: a Markdown instance with another one is left alone

    def __init__(self):
        self.by_first: dict[str, list[tuple[list[str], list[str]]]] = {}

    def add(self, html: str) -> None:
        """Remember a macro's result if it is made of whole elements (else nothing happens)."""
        if not html.startswith("<"):
            return
        # as Python-Markdown's normalize_whitespace leaves the text before the preprocessors below see it
        lines = html.rstrip("\n").replace("\r\n", "\n").replace("\r", "\n").expandtabs(self.tab_length).split("\n")
        tags = [whole_element(line) for line in lines]
        if all(tags):
            entry = (lines, tags)                                   # each line one element
        elif (tag := whole_element("\n".join(lines))) is not None:
            entry = (lines, [tag])                                  # one element over several lines
        else:
            return
        known = self.by_first.setdefault(lines[0], [])
        if entry not in known:
            known.append(entry)

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
        out: list[str] = []
        i, n = 0, len(lines)
        while i < n:
            line = lines[i]
            candidates = known.get(line) if line.startswith("<") else None
            entry = next((c for c in candidates or () if self._whole_block_at(lines, i, *c)), None)
            if entry is None:
                out.append(line)
                i += 1
                continue
            block, tags = entry
            # what html_block leaves: each element stashed on a line of its own between blank lines, the last
            # one (followed by a blank line) with that line's break
            elements = block if len(tags) == len(block) else ["\n".join(block)]
            for k, text in enumerate(elements):
                out += ["", self.md.htmlStash.store(text + ("\n" if k == len(elements) - 1 else "")), ""]
                # the element's anchors, on lines that MkDocs' scan reads and _Unmark then removes
                out += [f"<{self.marker} {m.group(1)}></{self.marker}>" for m in _ID.finditer(text)]
                out += [f"<{self.marker}><a {m.group(1)}></a></{self.marker}>" for m in _NAME.finditer(text)]
            i += len(block)
        return out

    def _whole_block_at(self, lines: list[str], i: int, block: list[str], tags: list[str]) -> bool:
        end = i + len(block)
        return (lines[i:end] == block and (end == len(lines) or not lines[end].strip())
                and all(self.md.is_block_level(tag) for tag in tags)
                and not any(_ODD_ANCHOR.search(line) for line in block))


class _Unmark(Preprocessor):
    def __init__(self, md, marker: str):
        super().__init__(md)
        self.start = f"<{marker}"

    def run(self, lines: list[str]) -> list[str]:
        return [line for line in lines if not line.startswith(self.start)]


class MacroBlocks(Extension):
    """Python-Markdown extension: stash the blocks in `blocks` (filled while the pages' macros run)."""

    def __init__(self, blocks: Blocks, **kwargs):
        self.blocks = blocks
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        marker = f"asean-anchors-{secrets.token_hex(8)}"     # no page can write it
        md.preprocessors.register(_Stash(md, self.blocks, marker), "asean_macro_blocks", STASH)
        md.preprocessors.register(_Unmark(md, marker), "asean_macro_anchors", UNMARK)

    def __repr__(self) -> str:     # changes with this file: serve's page cache (hooks/preview.py) keys on it
        return f"MacroBlocks({_CODE})"
