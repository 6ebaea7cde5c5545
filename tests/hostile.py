"""A poisoned project: every text field of every record kind holds hostile payloads, and every macro shows
them somewhere. Shared by the property test (tests/test_hostile.py) and the browser test
(tests/browser/test_hostile_pages.py), with the checks that say whether the built site stayed inert.
"""
from __future__ import annotations

import csv
import html.parser
import itertools
import json
import re
import shutil
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import yaml

from conftest import MINI_PAGES, Built, build, make_project

EVIL_HOST = "evil.example"
# Fragments an attacker (or a careless paste) puts into a text field. Control characters are not here:
# the model rejects them (tests/test_hostile.py checks that separately).
FRAGMENTS = [
    '"><svg onload=alert(1)>', "'><img src=x onerror=alert(1)>", "<script>alert(1)</script>",
    "[click](javascript:alert(1))", f"![](https://{EVIL_HOST}/pixel.png)", f"[x](https://{EVIL_HOST}/)",
    "[x][ref]\n\n[ref]: javascript:alert(1)", f"<https://{EVIL_HOST}/auto>", "data:text/html,<script>alert(1)</script>",
    "<a href=\"javascript:alert(1)\">a</a>", "<iframe src=//evil.example></iframe>", "&#106;avascript:alert(1)",
    "=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd", "\t=1", "=1",
    "{{ 7*7 }}", "{% include 'x' %}", "{# c #}", "*em* __strong__ `code`", "{: onclick=\"alert(1)\" }",
    "*[HTML]: Hyper", "\\<b>\\", "| a | b |", "\n\n# Heading\n\n", "\n\n    indented", "---", "<!-- x -->",
    "&amp; &lt; &#x3C;", "it's \"quoted\"", "<style>body{background:url(//evil.example/x)}</style>",
    "<meta http-equiv=refresh content=0;url=//evil.example>", "<base href=//evil.example/>",
    "<object data=//evil.example></object>", "%s %(x)s {0}",
    # formulas behind what a reader cannot see, full-width forms, DDE (issue 20)
    "\uff1d1+1", "\uff0bcmd", "\uff20SUM(1)", "\uff0d1", "|calc!A0", "\u00a0=1+1",
]
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "srcset", "ping",
             "cite", "longdesc", "manifest", "codebase"}
LOADING_ATTRS = {"src", "srcset", "poster", "data", "background", "codebase", "manifest"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}
from macros.safe import FORMULA_START, first_visible  # noqa: E402  (the neutraliser's own rule)


def nonblank(text: str) -> str:
    return text if text.strip() else "x" + text


class Planter:
    """Hands out payloads to fields in turn, remembering what went where."""

    def __init__(self, payloads: list[str], per_field: int = 2):
        self.cycle = itertools.cycle(payloads)
        self.per_field = per_field
        self.planted: list[tuple[str, str]] = []      # (field, value)

    def __call__(self, where: str, limit: int | None = None) -> str:
        value = " ".join(next(self.cycle) for _ in range(self.per_field))
        value = nonblank(value[:limit] if limit else value)
        self.planted.append((where, value))
        return value

    @property
    def payload_field_pairs(self) -> int:
        return len(self.planted) * self.per_field


# Limits: names 200 characters, labels 60, summaries 260 (macros/model.py).
def poisoned_data(v: Planter) -> dict:
    cite = {"source": "charter"}
    return {
        "publishers": [{"id": "un-pub", "name": v("publishers.name", 200), "kind": "official", "domains": ["example.org"]}],
        "blocked_hosts": [{"host": "bad.example", "kind": "wiki", "reason": v("blocked_hosts.reason")}],
        "sources": [
            {"id": "charter", "title": v("sources.title"), "publisher": "un-pub", "date": "1945-06-26",
             "url": "https://example.org/charter", "primary": True, "symbol": v("sources.symbol"),
             "note": v("sources.note"), "checked": "2026-11-30"},
            {"id": "lin-2024", "title": v("sources.title"), "publisher": "un-pub", "checked": "2026-11-30"}],
        # the article record (main): its fields are the article's citation, not shown by these pages
        "article": {"source": "lin-2024", "author": "Joanne Lin", "author_family": "Lin", "container": "Fulcrum",
                    "imprint": "ISEAS", "paragraphs": 13, "cutoff": "2024-10-11"},
        "fact_keys": [{"id": "founded", "label": v("fact_keys.label", 60)},
                      {"id": "members", "label": v("fact_keys.label", 60), "changes": True}],
        "institutions": [
            {"id": "un", "name": v("entity.name", 200), "short": v("entity.short", 60), "summary": v("entity.summary", 260),
             "related": ["unsc"],
             "facts": [{"key": "founded", "value": v("fact.value"), "pin": v("fact.pin"), **cite},
                       {"key": "members", "value": v("fact.value"), "as_of": "2024-10-01", **cite,
                        "then": {"value": v("then.value"), "as_of": "2020", "pin": v("then.pin"), **cite}}],
             "article": [{"para": 4, "says": v("article.says")}],
             "notes": [{"text": v("note.text"), "pin": v("note.pin"), **cite}]},
            {"id": "unsc", "name": v("entity.name", 200), "summary": v("entity.summary", 260),
             "facts": [{"key": "founded", "value": v("fact.value"), **cite},
                       {"key": "members", "value": v("fact.value"), "as_of": "2024-10-01", **cite}]}],
        "actors": [{"id": "guterres", "name": v("entity.name", 200), "short": v("entity.short", 60),
                    "summary": v("entity.summary", 260), "related": ["un"],
                    "facts": [{"key": "founded", "value": v("fact.value"), **cite}],
                    "article": [{"para": 2, "says": v("article.says")}]}],
        "events": [{"id": "charter-signed", "date": "1945-06-26", "title": v("event.title", 200),
                    "summary": v("event.summary"), "related": ["un", "unsc"], "pin": v("event.pin"), **cite}],
        "glossary": [
            {"id": "veto", "term": v("term.term", 200), "label": v("term.label", 60), "aliases": [v("term.aliases", 200)],
             "definition": v("term.definition"), "see_also": ["p5", "unsc"], "pin": v("term.pin"), **cite},
            {"id": "p5", "term": v("term.term", 200), "definition": v("term.definition"), "see_also": ["veto"], **cite}],
        "comparisons": [{"id": "un-unsc", "title": v("comparison.title"), "caption": v("comparison.caption"),
                         "rows": ["un", "unsc"], "columns": ["founded", "members"]}],
        "matrices": [{"id": "who-acts", "title": v("matrix.title"), "caption": v("matrix.caption"),
                      "rows": ["un"], "columns": ["unsc"],
                      "cells": [{"row": "un", "column": "unsc", "text": v("cell.text"), "pin": v("cell.pin"), **cite}]}],
    }


PAGES = {
    "index.md": "# Home\n\n{{ term('veto') }}, {{ term('p5') }}, {{ ref('un') }}, {{ ref('unsc') }} and "
                "{{ ref('guterres') }}.\n\n{{ key_terms() }}\n",
    "institutions/index.md": "# Institutions\n\n{{ listing('institutions') }}\n",
    "institutions/un.md": "---\nentity: un\n---\n# UN\n\n{{ infobox('un') }}\n\n{{ article_points('un') }}\n\n"
                          "{{ notes('un') }}\n\n{{ related('un') }}\n\n{{ timeline('un') }}\n\n"
                          "Text {{ cite('lin-2024', 'p. 1') }}.\n\n{{ sources() }}\n",
    "institutions/unsc.md": "---\nentity: unsc\n---\n# UNSC\n\n{{ infobox('unsc') }}\n\n{{ compare('un-unsc') }}\n\n"
                            "{{ matrix('who-acts') }}\n\n{{ sources() }}\n",
    "glossary.md": "# Glossary\n\n{{ glossary() }}\n\n{{ sources() }}\n",
    "who.md": "# Who\n\n{{ who() }}\n\n{{ sources() }}\n",
    "timeline.md": "# Timeline\n\n{{ timeline() }}\n\n{{ sources() }}\n",
    "print_page.md": MINI_PAGES["print_page.md"],      # the site's print page: every page again, on one page
}

def write_project(project: Path, data: dict) -> Path:
    """A mini project (conftest.make_project: the site's mkdocs.yml, hooks and print page included) with these
    pages and the hostile data."""
    if project.exists():
        shutil.rmtree(project)
    return make_project(project, yaml.safe_dump(data, allow_unicode=True, sort_keys=False), PAGES)


def build_poisoned(project: Path, payloads: list[str], per_field: int = 2) -> tuple[Built, Planter]:
    planter = Planter(payloads, per_field)
    write_project(project, poisoned_data(planter))
    return build(project), planter


# --- What the built site must not contain -----------------------------------------------------------------
class PageScan(html.parser.HTMLParser):
    """Executable or outside-loading constructs in one page, and its visible text."""

    def __init__(self, name: str):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.problems: list[str] = []
        self.text: list[str] = []
        self.in_script = self.in_style = False
        self.json_ld = False

    def problem(self, what: str) -> None:
        self.problems.append(f"{self.name}: {what}")

    def handle_starttag(self, tag, attrs):
        self.in_script, self.in_style = tag == "script", tag == "style"
        self.json_ld = tag == "script" and ("type", "application/ld+json") in attrs
        if tag in FORBIDDEN_TAGS:
            self.problem(f"<{tag}> element")
        for name, value in attrs:
            value = value or ""
            squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
            if name.startswith("on"):
                self.problem(f"event-handler attribute <{tag} {name}={value!r}>")
            if name in URL_ATTRS and squeezed.startswith(("javascript:", "data:", "vbscript:")):
                self.problem(f"executable URL <{tag} {name}={value!r}>")
            if name in URL_ATTRS and EVIL_HOST in squeezed:
                self.problem(f"link made from data <{tag} {name}={value!r}>")
            loads = name in LOADING_ATTRS or (tag == "link" and name == "href")
            if loads and squeezed.startswith(("http:", "https:", "//")):
                self.problem(f"outside resource <{tag} {name}={value!r}>")
            if name == "style" and "url(" in squeezed:
                self.problem(f"style attribute loading a resource <{tag} style={value!r}>")
            if tag == "meta" and name == "http-equiv" and squeezed == "refresh":
                self.problem("<meta http-equiv=refresh>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.in_script = self.in_style = False

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.in_script = self.in_style = False

    def handle_data(self, data):
        if self.in_script and self.json_ld:      # JSON-LD (macros/seo.py) quotes the data's text: inert as long
            try:                                  # as it is JSON and cannot close its <script> element
                json.loads(data)
            except ValueError:
                self.problem(f"JSON-LD that is not JSON: {data[:120]!r}")
            if "<" in data:
                self.problem(f"'<' in JSON-LD (could close the script): {data[:120]!r}")
        elif self.in_script and ("alert(" in data or EVIL_HOST in data):
            self.problem(f"script content from data: {data[:120]!r}")
        elif self.in_style and EVIL_HOST in data:
            self.problem(f"style content from data: {data[:120]!r}")
        elif not (self.in_script or self.in_style):
            self.text.append(data)


def squash(text: str) -> str:
    return " ".join(text.split())


def scan_site(site: Path) -> tuple[list[str], dict[str, str]]:
    """(problems, page -> its visible text) over every built HTML page."""
    problems, texts = [], {}
    for page in sorted(site.rglob("*.html")):
        scan = PageScan(page.relative_to(site).as_posix())
        scan.feed(page.read_text(encoding="utf-8"))
        scan.close()
        problems += scan.problems
        texts[scan.name] = squash("".join(scan.text))
    return problems, texts


def formula_cells(site: Path) -> list[str]:
    bad = []
    for table in sorted((site / "data").glob("*.csv")):
        with table.open(encoding="utf-8", newline="") as f:
            for row_no, row in enumerate(csv.reader(f), 1):
                bad += [f"{table.name}:{row_no}: {cell!r}" for cell in row
                        if cell.startswith(FORMULA_START) or first_visible(cell).startswith(FORMULA_START)]
    return bad


# Fields whose values a reader sees as page text (others sit in tooltips, attributes or the CSVs).
VISIBLE = {"sources.title", "entity.name", "entity.summary", "fact.value", "then.value", "article.says",
           "note.text", "event.title", "event.summary", "term.term", "term.definition", "comparison.title",
           "matrix.title", "cell.text"}


def not_shown_literally(planted: Iterable[tuple[str, str]], texts: dict[str, str]) -> list[str]:
    """Visible fields whose value appears on no page as text, character for character (so nothing was
    dropped, and no Markdown or HTML in it was interpreted)."""
    everything = "\n".join(texts.values())
    return [f"{where}: {value!r}" for where, value in planted       # values are shown in NFC (macros/model.py)
            if where in VISIBLE and squash(unicodedata.normalize("NFC", value)) not in everything]
