"""The whole site on one printable page, /print_page/ (what `make pdf` turns into a PDF).

Replaces mkdocs-print-site-plugin, which cost a quarter of every build and grew with the square of a page's
size: for every tag with an id it searched the rest of the (one-line) HTML and then replaced the match in the
whole page, once per id; its link rewriting did the same per link. Here each page's HTML is read once by one
regular expression that rewrites every id, every attribute that points at an id and every link, so the work is
linear in the size of the site.

What the page holds: a cover, a table of contents (sections and pages, in nav order), then every page of the
nav in a `<section class="print-page" id="<page key>">`. The page key and the anchor scheme are the ones the
plugin used, so addresses people already took from the print page keep working: a page's key is its URL with
"/" turned into "-" ("institutions/asean/" -> "institutions-asean", the home page "index"), and an id "veto"
on the glossary page becomes "glossary-veto". Links between pages of the print page become links inside it;
links to anything else (data files, pages outside the nav) are made relative to the print page.

While `mkdocs serve` runs, a preview needs none of this: the page is a short note saying `mkdocs build`
makes it (and a --dirty build, which does not render every page, writes the same note). Every other command
(`mkdocs build`, CI, `make pdf`) writes the whole page.
"""
from __future__ import annotations

import html
import logging
import posixpath
import re
from urllib.parse import urlsplit

from mkdocs.commands.build import get_context
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import get_relative_url, write_file

log = logging.getLogger("mkdocs.hooks.print_page")

TITLE = "The whole site, printable"
BASENAME = "print_page"
STYLESHEET = "assets/print-page.css"

# Attributes whose value names ids of the same page (space-separated lists for the aria ones) and links.
_ATTR = re.compile(r'(?<=\s)(id|for|aria-describedby|aria-labelledby|aria-controls|href|src)="([^"]*)"')
_ID_LIST = {"aria-describedby", "aria-labelledby", "aria-controls"}
_URL_REF = re.compile(r"url\(#([^)\s]+)\)")
_H1 = re.compile(r"<h1[\s>]")
_TOC_LABEL = re.compile(r'<label class="md-nav__title" for="__toc">.*?</label>', re.S)
_NEEDS_ESCAPE = re.compile(r'[&<>"\']')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")

from command import previewing   # hooks/command.py: the one way to tell `mkdocs serve` (or --dirty)

_state: dict = {}


def on_nav(nav, config, files, **kwargs):
    _state["nav"], _state["files"] = nav, files
    return nav


def on_env(env, config, files, **kwargs):
    _state["env"] = env
    return env


def on_post_build(config, **kwargs):
    nav, env = _state.get("nav"), _state.get("env")
    if nav is None or env is None:
        return
    page = _print_page(config)
    if previewing():
        page.content = ('<h1 id="print-site-page">' + TITLE + '</h1><p>This preview (<code>mkdocs serve</code>) '
                        "skips the whole-site print page to rebuild fast. <code>mkdocs build</code> (or "
                        "<code>make build</code>, <code>make pdf</code>) writes it.</p>")
    else:
        page.content, links = combine(nav, config)
        page.toc = TableOfContents(links)
    context = get_context(nav, _state["files"], config, page)
    output = env.get_template("main.html").render(context)
    sheet = get_relative_url(STYLESHEET, page.url)
    output = output.replace("</head>", f'<link rel="stylesheet" href="{sheet}"></head>', 1)
    if 'id="__toc"' not in output:      # outside the nav, the page has no toggle for the contents' label
        output = _TOC_LABEL.sub("", output)
    write_file(output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)


def _print_page(config) -> Page:
    file = File(f"{BASENAME}.md", src_dir=None, dest_dir=config["site_dir"],
                use_directory_urls=config["use_directory_urls"])
    page = Page(TITLE, file, config)
    page.meta = {"description": f"Every page of “{config['site_name']}” on one page, to print or save as PDF."}
    return page


# --- the combined content ---------------------------------------------------------------------------------

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


def combine(nav, config) -> tuple[str, list[AnchorLink]]:
    """(HTML of the print page's article, its table of contents)."""
    pages = [p for p in nav.pages if p.content is not None]
    keys = {_norm(p.url): page_key(p.url) for p in pages}
    own = f"{BASENAME}/" if config["use_directory_urls"] else f"{BASENAME}.html"
    keys[_norm(own)] = ""                               # a link to the print page itself: its top
    home = get_relative_url(".", own)
    home = "" if home == "." else home.rstrip("/") + "/"
    seen: set[str] = set(keys.values())                 # an id that equals a page's key would be ambiguous
    parts = ['<div id="print-site-page">', _cover(config)]
    toc_at = len(parts)
    parts.append("")                                    # the table of contents, filled in below
    counter = [0]

    def walk(items, level: int) -> list[AnchorLink]:
        links = []
        for item in items:
            if item.is_page:
                if item.content is None:
                    continue
                key = page_key(item.url)
                links.append(AnchorLink(html.escape(item.title or key), key, level))
                body = rewrite(item.content, item.url, key, keys, home, seen)
                if not _H1.search(body):
                    body = f"<h1>{html.escape(item.title or key)}</h1>{body}"
                parts.append(f'<section class="print-page" id="{key}">{body}</section>')
            elif item.is_section:
                counter[0] += 1
                sid = f"section-{counter[0]}"
                if sid in seen:
                    log.warning(f"print page: the id '{sid}' of a nav section is also an id of a page")
                seen.add(sid)
                title = html.escape(item.title or "")
                parts.append(f'<section class="print-page md-section" id="{sid}"><h1>{title}</h1></section>')
                link = AnchorLink(title, sid, level)
                link.children = walk(item.children, level + 1)
                links.append(link)
        return links

    links = walk(nav.items, 0)
    parts[toc_at] = _toc(links)
    parts.append("</div>")
    return "".join(parts), links


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


def _cover(config) -> str:
    rows = [("About", config.get("site_description")), ("By", config.get("site_author")),
            ("Licence", config.get("copyright")), ("Online", config.get("site_url")),
            ("Edition", _edition(config))]
    items = "".join(f"<dt>{label}</dt><dd>{html.escape(str(value).strip())}</dd>" for label, value in rows if value)
    return (f'<section class="print-cover" id="print-site-cover-page"><h1 class="print-cover-title">'
            f'{html.escape(config["site_name"])}</h1><dl>{items}</dl></section>')


def _edition(config) -> str:
    """Which copy this is: a fixed edition (make edition sets extra.edition), or the live site as of its build."""
    import datetime as dt
    import os
    day = (config.get("extra") or {}).get("edition")
    if day:
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
        return f"The fixed edition of {day.day} {day:%B %Y} (editions/{day.isoformat()}/)"
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    built = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() if epoch else dt.date.today()
    return f"The live site as built on {built.day} {built:%B %Y}; cite a fixed edition where one exists"


def _toc(links: list[AnchorLink]) -> str:
    def items(nodes) -> str:
        return "".join(f'<li><a href="#{n.id}">{n.title}</a>'
                       + (f"<ol>{items(n.children)}</ol>" if n.children else "") + "</li>" for n in nodes)
    return (f'<nav class="print-toc" id="print-page-toc" aria-labelledby="print-toc-title">'
            f'<h2 id="print-toc-title">Contents</h2><ol>{items(links)}</ol></nav>')
