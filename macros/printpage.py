"""The whole site on one printable page, /print_page/ (what `make pdf` turns into a PDF), made over the built
site by the post-build step (macros/postbuild.py), so it is the same on MkDocs, ProperDocs and Zensical.

docs/print_page.md is an ordinary page, themed by the engine like any other; it holds a placeholder
(`<div id="print-site-page" class="print-site-placeholder">`, with a note for the preview). After the build this
module replaces the placeholder with every page of the nav, each read back from its built HTML (the part of the
article before the `page-end` marker that overrides/main.html puts after the content): a cover, a table of
contents, then each page in a `<section class="print-page" id="<page key>">`. Nothing here touches an engine's
objects; the nav comes from mkdocs.yml's `nav:` (or, without one, the pages in path order).

Replaces mkdocs-print-site-plugin, which cost a quarter of every build and grew with the square of a page's size:
here each page's HTML is read once by one regular expression that rewrites every id, every attribute that points
at an id and every link, so the work is linear in the size of the site. The page key and the anchor scheme are the
plugin's, so addresses people took from the print page keep working: a page's key is its URL with "/" turned into
"-" ("institutions/asean/" -> "institutions-asean", the home page "index"); an id "veto" on the glossary page
becomes "glossary-veto". Links between pages of the print page become links inside it; links to anything else
(data files, pages outside the nav) are made relative to the print page.

While `mkdocs serve` previews (or a --dirty build), the placeholder's note stays: the preview skips the work.
"""
from __future__ import annotations

import html
import logging
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

from .catalog import Catalog
from .render import fmt_date
from .site import build_date

log = logging.getLogger("mkdocs.plugins.macros.print_page")

SOURCE = "print_page.md"
STYLESHEET = "assets/print-page.css"
PLACEHOLDER = re.compile(r'<div id="print-site-page" class="print-site-placeholder">.*?</div>', re.S)
PAGE_END = '<div class="page-end" hidden></div>'     # overrides/main.html: where a page's own content ends
_ARTICLE = '<article class="md-content__inner md-typeset">'
_EDIT_BUTTONS = re.compile(r'<a [^>]*class="md-content__button[^"]*"[^>]*>.*?</a>', re.S)
_H1_TEXT = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_HEADERLINK = re.compile(r'<a class="headerlink".*?</a>', re.S)
_TAGS = re.compile(r"<[^>]+>")

# Attributes whose value names ids of the same page (space-separated lists for the aria ones) and links.
_ATTR = re.compile(r'(?<=\s)(id|for|aria-describedby|aria-labelledby|aria-controls|href|src)="([^"]*)"')
_ID_LIST = {"aria-describedby", "aria-labelledby", "aria-controls"}
_URL_REF = re.compile(r"url\(#([^)\s]+)\)")
_H1 = re.compile(r"<h1[\s>]")
_NEEDS_ESCAPE = re.compile(r'[&<>"\']')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


def page_key(url: str) -> str:
    """The plugin's key for a page: 'institutions/asean/' -> 'institutions-asean', '' -> 'index'."""
    key = url.lower().strip().rstrip("/").replace(".html", "").replace("/", "-").lstrip("-")
    return key or "index"


def _norm(url: str) -> str:
    """A site path compared without its trailing slash or index.html: 'a/b/', 'a/b/index.html' -> 'a/b'."""
    path = posixpath.normpath(url or ".")
    if path.endswith("/index.html"):
        path = path[: -len("/index.html")]
    elif path == "index.html":
        path = "."
    return path


# --- the nav, from mkdocs.yml ------------------------------------------------------------------------------

def nav_tree(nav, sources) -> list:
    """[("page", title or None, src) | ("section", title, [...])] from mkdocs.yml's raw `nav:` list; without a
    nav, every page but the print page, in path order (as MkDocs lists them). External links are left out."""
    if not nav:
        return [("page", None, src) for src in sorted(sources, key=lambda s: (s != "index.md", s)) if src != SOURCE]

    def walk(items) -> list:
        out = []
        for item in items:
            title, value = (next(iter(item.items())) if isinstance(item, dict) else (None, item))
            if isinstance(value, list):
                out.append(("section", title or "", walk(value)))
            elif isinstance(value, str) and not _SCHEME.match(value) and value != SOURCE:
                out.append(("page", title, value))
        return out
    return walk(nav)


# --- a built page ------------------------------------------------------------------------------------------

def page_body(built_html: str) -> str | None:
    """The page's own content from its built HTML (the article up to the page-end marker), or None."""
    start = built_html.find(_ARTICLE)
    if start == -1:
        return None
    start += len(_ARTICLE)
    end = built_html.rfind(PAGE_END)
    if end == -1:
        end = built_html.rfind("</article>")
    return _EDIT_BUTTONS.sub("", built_html[start:end]).strip()


def _title(body: str) -> str | None:
    m = _H1_TEXT.search(body)
    return html.unescape(_TAGS.sub("", _HEADERLINK.sub("", m.group(1)))).strip() if m else None


# --- the combined page -------------------------------------------------------------------------------------

def combine(tree, pages: dict[str, tuple[str, str]], own_url: str, cover: str) -> str:
    """The print page's article: cover, contents, then each page. pages: src -> (url, body)."""
    keys = {_norm(url): page_key(url) for url, _ in pages.values()}
    keys[_norm(own_url)] = ""                           # a link to the print page itself: its top
    home = posixpath.relpath(".", own_url if own_url.endswith("/") else posixpath.dirname(own_url) or ".")
    home = "" if home == "." else home.rstrip("/") + "/"
    seen: set[str] = set(keys.values())                 # an id that equals a page's key would be ambiguous
    parts = ['<div id="print-site-page">', cover, ""]   # [2]: the table of contents, filled in below
    counter = [0]

    def walk(items, level: int) -> list:
        links = []
        for item in items:
            if item[0] == "page":
                _, title, src = item
                if src not in pages:
                    continue
                url, body = pages[src]
                key = page_key(url)
                title = title or _title(body) or key
                links.append((html.escape(title), key, []))
                body = rewrite(body, url, key, keys, home, seen)
                if not _H1.search(body):
                    body = f"<h1>{html.escape(title)}</h1>{body}"
                parts.append(f'<section class="print-page" id="{key}">{body}</section>')
            else:
                _, title, children = item
                counter[0] += 1
                sid = f"section-{counter[0]}"
                if sid in seen:
                    log.warning(f"print page: the id '{sid}' of a nav section is also an id of a page")
                seen.add(sid)
                parts.append(f'<section class="print-page md-section" id="{sid}"><h1>{html.escape(title)}</h1>'
                             "</section>")
                links.append((html.escape(title), sid, walk(children, level + 1)))
        return links

    parts[2] = _toc(walk(tree, 0))
    parts.append("</div>")
    return "".join(parts)


def rewrite(content: str, url: str, key: str, keys: dict[str, str], home: str, seen: set[str]) -> str:
    """One page's HTML for the print page: ids prefixed with its key, links turned into in-page links."""
    here = url if url.endswith("/") or not url else posixpath.dirname(url) + "/"

    def anchor(target_key: str, fragment: str) -> str:
        if not target_key:
            return "#print-site-page"
        return f"#{target_key}-{fragment}" if fragment else f"#{target_key}"

    def link(value: str) -> str:
        if not value or _SCHEME.match(value):
            return value
        if value.startswith("#"):
            return anchor(key, value[1:])
        parts = urlsplit(value)
        target = _norm(posixpath.join(here, parts.path)) if parts.path else _norm(url)
        if target in keys and not parts.query:
            return anchor(keys[target], parts.fragment)
        # not part of the print page: the same file, addressed from the print page
        if target == ".":
            rebased = home or "./"
        else:
            rebased = home + target + ("/" if parts.path.endswith("/") else "")
        return rebased + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")

    def attr(m: re.Match) -> str:
        name, raw = m.group(1), m.group(2)
        value = html.unescape(raw) if "&" in raw else raw
        if name == "id":
            new = f"{key}-{value}"
            if new in seen:
                log.warning(f"print page: the id '{new}' occurs twice (page {url or '/'}): links to it are ambiguous")
            seen.add(new)
        elif name == "for":
            new = f"{key}-{value}"
        elif name in _ID_LIST:
            new = " ".join(f"{key}-{v}" for v in value.split())
        elif value.startswith("#") and name == "src" or _SCHEME.match(value):
            return m.group(0)
        else:                                           # href, src
            new = link(value)
        return f'{name}="{html.escape(new) if _NEEDS_ESCAPE.search(new) else new}"'

    out = _ATTR.sub(attr, content)
    # SVG paint references (hatching, markers) name ids of the same figure, which were prefixed above.
    return _URL_REF.sub(lambda m: f"url(#{key}-{m.group(1)})", out)


def cover(site_name: str, rows: list[tuple[str, str | None]]) -> str:
    items = "".join(f"<dt>{label}</dt><dd>{html.escape(str(value).strip())}</dd>" for label, value in rows if value)
    return (f'<section class="print-cover" id="print-site-cover-page"><h1 class="print-cover-title">'
            f'{html.escape(site_name)}</h1><dl>{items}</dl></section>')


def edition_line(edition: str | None) -> str:
    """Which copy this is: a fixed edition (make edition), or the live site as of its build."""
    if edition:
        return f"The fixed edition of {fmt_date(str(edition))} (editions/{edition}/)"
    return f"The live site as built on {fmt_date(build_date().isoformat())}; cite a fixed edition where one exists"


def _toc(links) -> str:
    def items(nodes) -> str:
        return "".join(f'<li><a href="#{key}">{title}</a>' + (f"<ol>{items(children)}</ol>" if children else "")
                       + "</li>" for title, key, children in nodes)
    return (f'<nav class="print-toc" id="print-page-toc" aria-labelledby="print-toc-title">'
            f'<h2 id="print-toc-title">Contents</h2><ol>{items(links)}</ol></nav>')


# --- the step ----------------------------------------------------------------------------------------------

def write(cat: Catalog, built: dict[str, Path], settings, preview: bool = False) -> bool:
    """Fill the built print page's placeholder with the whole site. built: each page's source and built HTML file
    (postbuild.built_pages). False (nothing done) when the site has no print page, or while previewing (the
    placeholder's note stays)."""
    own_file = built.get(SOURCE)
    if own_file is None or preview:
        return False
    own_url = cat.url_of(SOURCE)
    shell = own_file.read_text(encoding="utf-8")
    if not PLACEHOLDER.search(shell):
        from .errors import SiteError
        raise SiteError("the print page has no placeholder to fill", file=f"docs/{SOURCE}",
                        hint='keep <div id="print-site-page" class="print-site-placeholder">…</div> in it')
    pages = {}
    for src, path in built.items():
        if src != SOURCE and (body := page_body(path.read_text(encoding="utf-8"))) is not None:
            pages[src] = (cat.url_of(src), body)
    front = cover(settings.site_name, [("About", settings.description), ("By", settings.author),
                                       ("Licence", settings.copyright), ("Online", settings.site_url),
                                       ("Edition", edition_line(settings.edition))])
    article = combine(nav_tree(settings.nav, cat.page_meta), pages, own_url, front)
    sheet = posixpath.relpath(STYLESHEET, own_url if own_url.endswith("/") else posixpath.dirname(own_url) or ".")
    out = PLACEHOLDER.sub(lambda m: article, shell, count=1)
    # the page's own tools (share, cite, report) would describe the print page, not the pages it holds
    end, close = out.rfind(PAGE_END), out.rfind("</article>")
    if -1 < end < close:
        out = out[:end] + out[close:]
    out = out.replace("</head>", f'<link rel="stylesheet" href="{sheet}"></head>', 1)
    own_file.write_text(out, encoding="utf-8")
    return True
