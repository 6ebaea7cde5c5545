"""macros/rawblocks.py: the macros' HTML blocks go to Python-Markdown's stash as they are, and the pages come out
exactly as Python-Markdown's own html_block makes them; MkDocs still finds the ids inside them for its link
checks."""
from __future__ import annotations

import filecmp
import html.parser

import markdown
import pytest
from markdown.preprocessors import Preprocessor

from conftest import ENV, ROOT, build, mkdocs
from macros import engine
from macros.rawblocks import Blocks, MacroBlocks, elements, whole_element

EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "tables", "toc", "pymdownx.superfences"]

FIGURE = ('<div class="fig-block" data-search-exclude><figure class="fig" id="fig-a"><svg viewBox="0 0 9 9">'
          '<path d="M0 0"/><text x="1" y="2">A &amp; B</text></svg><figcaption>A map</figcaption></figure></div>')
KIT = '<div class="kit"><p class="kit-links"><a href="kit/a/">Reuse</a> <a name="old-anchor">here</a></p></div>'
SOURCES = '<ol class="sources">\n<li id="src-a">A, <q>quoted</q></li>\n<li id="src-b">B</li>\n</ol>'
INFOBOX = '<aside class="infobox" aria-label="At a glance"><dl><dt>Members</dt><dd>11</dd></dl></aside>'
TERM = '<span class="xref"><a href="../glossary/#veto" data-preview="term:veto">veto</a></span>'
CITE = '<sup class="cite"><a href="#src-a--q1" id="cite-a" data-cite aria-label="Source 1: A &amp; B">[17]</a></sup>'
STARRED = '<span class="xref"><a href="../glossary/#x" data-preview="term:x">a *starred* word</a></span>'


class _Ids(html.parser.HTMLParser):
    """The ids a parser finds in raw HTML as MkDocs' anchor scan counts them: any tag's id, an <a>'s name."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.ids |= {v for k, v in attrs if k == "id" or (k == "name" and tag == "a")}


class _Scan(Preprocessor):
    """Stands where MkDocs' scan of the raw HTML stands (priority 21), and keeps what it saw."""

    def __init__(self, md, seen: set):
        super().__init__(md)
        self.seen = seen

    def run(self, lines):
        parser = _Ids()
        parser.feed("\n".join(lines))
        self.seen |= parser.ids
        return lines


def convert(text: str, results: list[str], stash: bool) -> tuple[str, set, int]:
    """(HTML, ids seen at priority 21, raw blocks stashed) for a page whose macros returned `results`."""
    blocks = Blocks()
    for r in results:
        blocks.add(r)
    md = markdown.Markdown(extensions=[*EXTENSIONS, *([MacroBlocks(blocks)] if stash else [])])
    seen: set = set()
    md.preprocessors.register(_Scan(md, seen), "scan", 21)
    return md.convert(text), seen, len(md.htmlStash.rawHtmlBlocks)


CASES = {
    "a figure and its reuse links, each a line": (f"# T\n\nText.\n\n{FIGURE}\n{KIT}\n\nMore text.\n", [f"{FIGURE}\n{KIT}"]),
    "a list over several lines": (f"Text.\n\n{SOURCES}\n", [SOURCES]),
    "blocks one after the other": (f"{INFOBOX}\n\n{FIGURE}\n\n{INFOBOX}\n", [INFOBOX, FIGURE]),
    "a block right after a paragraph line": (f"Text.\n{INFOBOX}\n\nMore.\n", [INFOBOX]),
    "inline HTML at the start of a line is not a block": (f"{TERM} is a word.\n\n{TERM}\n", [TERM]),
    "a block with text after it on the next line is left alone": (f"{INFOBOX}\nafter\n\nx\n", [INFOBOX]),
    "a block inside a list item is left alone": (f"- item\n\n    {INFOBOX}\n", [INFOBOX]),
    "two elements on one line, each stashed": (f"{INFOBOX}{FIGURE}\n{KIT}\n\nx\n", [f"{INFOBOX}{FIGURE}\n{KIT}"]),
    "an element and text on one line are left alone": (f"{INFOBOX} tail\n\nx\n", [f"{INFOBOX} tail"]),
    "a citation mark and links in a paragraph": (f"Text{CITE} and {TERM}, then {TERM}.\n\n", [CITE, TERM]),
    "a link whose text Markdown would read is left alone": (f"Text {STARRED} here.\n", [STARRED]),
    "a page with link references is left alone": (f"Text {CITE}.\n\n[17]: https://example.org\n", [CITE]),
    "a page with abbreviations is left alone": (f"The {TERM}.\n\n*[veto]: a no vote\n", [TERM]),
    "a link inside a code span stays code": (f"Write `{TERM}` as {TERM}.\n", [TERM]),
    "an indented code line stays code": (f"Text.\n\n    {TERM}\n", [TERM]),
    "a fenced example of the same HTML stays code": (f"```html\n{INFOBOX}\n```\n\n{INFOBOX}\n", [INFOBOX]),
    "text the macros did not write is parsed as usual": ('<div id="own">\n*x*\n</div>\n\nText.\n', []),
}


@pytest.mark.parametrize("name", CASES)
def test_the_same_html_and_ids_as_html_block(name):
    text, results = CASES[name]
    plain_html, plain_ids, _ = convert(text, results, stash=False)
    html_out, ids, _ = convert(text, results, stash=True)
    assert html_out == plain_html
    assert ids == plain_ids


def test_the_macros_blocks_skip_the_html_parser():
    """The point of it: the blocks are stashed before the scan at 21, which then reads only small marker tags,
    and html_block (20) sees no block at all."""
    text = f"Text{CITE} on the {TERM}.\n\n{FIGURE}\n{KIT}\n\n{SOURCES}\n"
    seen_lines = []

    class Look(Preprocessor):
        def run(self, lines):
            seen_lines.extend(lines)
            return lines

    blocks = Blocks()
    blocks.add(f"{FIGURE}\n{KIT}")
    blocks.add(SOURCES)
    blocks.add(CITE)
    blocks.add(TERM)
    md = markdown.Markdown(extensions=[*EXTENSIONS, MacroBlocks(blocks)])
    md.preprocessors.register(Look(md), "look", 20.1)
    md.convert(text)
    assert not any(tag in line for line in seen_lines for tag in ("<svg", "<li", "<sup", "<span")), seen_lines
    assert len(md.htmlStash.rawHtmlBlocks) == 5          # the mark, the link, the figure, its links, the list


def test_only_whole_elements_are_kept():
    assert whole_element(FIGURE) == "div"
    assert whole_element(SOURCES) == "ol"
    assert whole_element(INFOBOX + INFOBOX) is None          # closes before the end
    assert [tag for tag, _ in elements(INFOBOX + FIGURE + "\n" + KIT)] == ["aside", "div", "div"]
    assert elements(INFOBOX + " tail") is None
    assert whole_element("<div><div>a</div>") is None        # never closes
    assert whole_element("plain text") is None
    blocks = Blocks()
    for html_text in (TERM + " and text", "text <b>x</b>", INFOBOX + "tail"):
        blocks.add(html_text)
    assert blocks.by_first == {} and blocks.inline == {}
    blocks.add(STARRED)
    assert blocks.inline == {}


def test_a_markdown_instance_with_other_tabs_is_left_alone():
    blocks = Blocks()
    blocks.add(INFOBOX)
    md = markdown.Markdown(extensions=[MacroBlocks(blocks)], tab_length=2)
    md.convert(f"{INFOBOX}\n")
    assert len(md.htmlStash.rawHtmlBlocks) == 1 and md.htmlStash.rawHtmlBlocks[0] == INFOBOX + "\n"


@pytest.mark.build
def test_links_to_ids_inside_the_macros_html_are_still_checked(mini):
    """MkDocs checks a Markdown link's #anchor against the ids it found on the target page, including those in
    raw HTML: ids inside stashed blocks are still found, and a missing one is still reported."""
    built = mini(extra_pages={"links.md": "# Links\n\nSee [the veto](glossary.md#veto), [the Charter]"
                                          "(glossary.md#src-charter) and [nothing](glossary.md#no-such-anchor).\n"})
    assert built.code != 0
    assert "no-such-anchor" in built.output, built.output
    assert "#veto" not in built.output and "#src-charter" not in built.output, built.output


@pytest.mark.build
@pytest.mark.site
def test_the_whole_site_is_byte_identical_to_a_plain_build(real_site, tmp_path):
    """Every file of the real site, built without the extension (ASEAN_UN_PLAIN_MARKDOWN=1), is the same."""
    assert real_site.code == 0, real_site.output
    plain = tmp_path / "plain"
    proc = mkdocs("build", "--strict", "-d", plain, cwd=ROOT, env={**ENV, engine.PLAIN_MARKDOWN: "1"}, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    files = sorted(p.relative_to(plain) for p in plain.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(real_site.site) for p in real_site.site.rglob("*") if p.is_file())
    differ = [f for f in files if not filecmp.cmp(plain / f, real_site.site / f, shallow=False)]
    assert differ == []
